"""The tabular input format: CSV files that analysts write instead of Turtle.

One file per record type, recognised by the end of its name (``acme-memberships.csv``); the
record types, their columns and the RDF each column becomes are data, in ``schema.yaml``.

- :func:`ingest_files` checks files and writes their triples to ``data/ingested/<stem>.ttl``,
  all or nothing.
- :func:`export_tables` writes a graph back in the same format.
- :func:`format_reference` renders the column reference (Markdown) from the schema.
"""

from __future__ import annotations

from .docs import format_reference
from .exporting import ExportResult, export_tables, table_rows
from .ingesting import IngestedFile, IngestResult, ingest_files, output_path
from .schema import Column, RecordType, Schema, load_schema

__all__ = [
    "Column",
    "ExportResult",
    "IngestResult",
    "IngestedFile",
    "RecordType",
    "Schema",
    "export_tables",
    "format_reference",
    "ingest_files",
    "load_schema",
    "output_path",
    "table_rows",
]
