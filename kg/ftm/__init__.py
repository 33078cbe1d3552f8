"""FollowTheMoney (FtM) in and out: the data model of OpenSanctions and Aleph.

- :func:`export_ftm` / :func:`write_ftm`: kg's graph as FtM entities (JSON lines).
- :func:`import_ftm`: FtM entities (JSON lines) into ``data/ingested/`` through the tabular
  ingest, with their dataset as the source of every fact.

Needs the optional ``followthemoney`` package (``pip install 'kg[ftm]'``); without it each
function raises a one-line :class:`~kg.errors.KGError` saying so.
"""

from __future__ import annotations

from .exporting import FtmExport, export_ftm, ftm_date, write_ftm
from .importing import FtmImport, import_ftm

__all__ = ["FtmExport", "FtmImport", "export_ftm", "ftm_date", "import_ftm", "write_ftm"]
