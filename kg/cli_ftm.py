"""The ``kg import-ftm`` command: FollowTheMoney entities (JSON lines) into the project.

Registered on the group of :mod:`kg.cli`; ``kg export --format ftm`` is the other direction.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .cli import EXIT_OK, State, cli

FTM_SUFFIXES = (".json", ".jsonl", ".ndjson")
EXIT_ERROR = 2


def is_ftm_file(path: Path) -> bool:
    """An FtM JSON lines file by its name (``x.ftm.json``, ``x.jsonl``), for ``kg ingest``."""
    return path.suffix.lower() in FTM_SUFFIXES


def run_import(state: State, files: list[Path], *, dataset: str | None = None,
               dataset_url: str | None = None, dry_run: bool = False) -> int:
    from .ftm import import_ftm

    done = import_ftm(state.settings, files, dataset=dataset, dataset_url=dataset_url,
                      dry_run=dry_run)
    if not done.ok:
        click.echo(done.summary(), err=True)
        return EXIT_ERROR
    click.echo(done.summary())
    return EXIT_OK


@cli.command("import-ftm")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--dataset", default=None,
              help="The dataset to record as the source (default: each entity's `datasets`, "
                   "else the file name).")
@click.option("--dataset-url", default=None,
              help="The dataset's web page (default for OpenSanctions datasets: its page on "
                   "opensanctions.org).")
@click.option("--dry-run", is_flag=True, help="Check everything, write nothing.")
@click.pass_obj
def import_ftm_command(state: State, files: tuple[Path, ...], dataset: str | None,
                       dataset_url: str | None, dry_run: bool) -> None:
    """Bring FollowTheMoney entities (JSON lines from OpenSanctions or Aleph) into
    data/ingested/, with their dataset as the source of every fact.

    Companies, organizations and public bodies, memberships, directorships, court cases with
    their parties, ownership, representation and unknown links, and projects become kg's
    records; what kg cannot hold (people, vessels, ...) is counted and reported. One bad line
    and nothing is written: the error names the file and line.
    """
    sys.exit(run_import(state, list(files), dataset=dataset, dataset_url=dataset_url,
                        dry_run=dry_run))
