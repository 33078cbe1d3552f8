"""The ``kg`` command line: a thin layer that parses arguments, calls the API, formats output.

Exit codes: 0 ok (or the data conforms), 1 the data has violations or failed checks,
2 the command could not run (usage, parse error, unknown query, bad parameter, missing file).
"""

from __future__ import annotations

import os
import sys
import traceback
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import click

from .config import STORE_KINDS, Settings
from .console import one_line, quiet_rdflib
from .errors import KGError
from .output import FORMATS, render_rows

EXIT_OK, EXIT_VIOLATIONS, EXIT_ERROR = 0, 1, 2
_debug = False  # --debug (or KG_DEBUG=1): show the traceback of an unexpected error


class State:
    """What every command needs: settings, and a store built once on first use."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._store: Any = None

    @property
    def store(self) -> Any:
        if self._store is None:
            from .stores import build_store, open_store

            if self.settings.store == "oxigraph" and self.settings.store_path is not None:
                from .building import open_persistent

                self._store = open_persistent(self.settings.store_path)
            elif self.settings.store == "sparql":
                self._store = open_store(self.settings)
            else:
                self._store = build_store(self.settings)
        return self._store


def fail(message: str) -> NoReturn:
    click.echo(f"kg: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


def parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise click.UsageError(f"parameter {pair!r} is not key=value")
        params[key.strip()] = value
    return params


def parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    if value == "today":
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD or 'today')",
                                 param_hint=option) from None


format_option = click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
    help="table for people; json (a list of objects keyed by column) or csv for programs.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Project folder holding ontology/, data/, queries/ (default: $KG_ROOT or .).")
@click.option("--store", type=click.Choice(STORE_KINDS), default=None,
              help="Backend: oxigraph (embedded, default), rdflib, or sparql (a remote server).")
@click.option("--endpoint", default=None, help="SPARQL query endpoint URL for --store sparql.")
@click.option("--store-path", type=click.Path(path_type=Path), default=None,
              help="A persistent oxigraph store built by 'kg build'.")
@click.option("--timeout", type=click.FloatRange(0, 1e9, min_open=True), default=None,
              help="Seconds a remote store may take to answer one request "
                   "(default: $KG_TIMEOUT or 60).")
@click.option("--debug", is_flag=True, default=False,
              help="On an unexpected error, show the traceback (also KG_DEBUG=1).")
@click.version_option(package_name="kg")
@click.pass_context
def cli(ctx: click.Context, root: Path | None, store: str | None, endpoint: str | None,
        store_path: Path | None, timeout: float | None, debug: bool) -> None:
    """kg: a knowledge graph of vendors, open-source projects and lawsuits that shows who is
    on both sides."""
    from .project import require_project

    global _debug
    _debug = _debug or debug
    settings = Settings.from_env(root, store=store, endpoint=endpoint, timeout=timeout)
    if store_path is not None:
        settings = settings.with_store(settings.store, store_path=store_path)
    if ctx.invoked_subcommand not in ("demo", "diff"):
        require_project(settings)
    ctx.obj = State(settings)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--shard-size", type=click.IntRange(1), default=None,
              help="Validate each PATH on its own, in shards of this many focus nodes "
                   "(for graphs too big to validate whole; same report).")
@click.option("--engine", type=click.Choice(["pyshacl", "fast"]), default="pyshacl",
              show_default=True,
              help="SHACL engine. pyshacl: the reference. fast: pyshacl-turbo's native engine "
                   "(kg.fastshacl), the same report (tested result for result against "
                   "pySHACL); with --shard-size it reads each file as text, and a shard size "
                   "above the file's focus nodes validates it whole (1M triples: about 15 s "
                   "instead of 159 s). Needs pyshacl-turbo 0.6.")
@click.option("--workers", type=click.IntRange(1), default=1, show_default=True,
              help="With --shard-size: validate this many shards at once, each in its own "
                   "process (memory: one shard per process).")
@format_option
@click.pass_obj
def validate(state: State, paths: tuple[Path, ...], shard_size: int | None, engine: str,
             workers: int, fmt: str) -> None:
    """Validate the data with the SHACL shapes (default: the whole graph).

    With PATHS, each file is checked in the context of the project's data and only the
    results about nodes it states are reported. Exit 1 when there are violations.
    """
    from .validation import Engine, ValidationReport, split_ontology, validate_project

    chosen: Engine = "fast" if engine == "fast" else "pyshacl"

    for path in paths:
        if not path.exists():
            raise KGError(f"{path}: no such file")
    if shard_size is not None:
        from .sharding import validate_sharded

        if not paths:
            raise click.UsageError("--shard-size needs the files to validate")
        vocabulary, shapes = split_ontology(state.settings)
        validator = None
        if chosen == "fast":
            from .fastshacl import FastValidator

            validator = FastValidator()
        report = ValidationReport()
        for path in paths:
            part = validate_sharded(path, shapes=shapes, vocabulary=vocabulary,
                                    shard_size=shard_size, validator=validator,
                                    workers=workers)
            report.results.extend(part.results)
            report.triples += part.triples
    else:
        report = validate_project(state.settings, list(paths) or None, engine=chosen)
    rows = [r.to_dict() for r in report.results]
    columns = ["severity", "file", "focus_node", "path", "value", "message", "source_shape"]
    if fmt == "table":
        if rows:
            click.echo(render_rows(columns, rows, fmt))
        verdict = "conforms" if report.conforms else "does not conform"
        click.echo(f"{report.triples} triples checked: {verdict} "
                   f"({len(report.violations)} violation(s), {len(rows)} result(s))", err=True)
    else:
        click.echo(render_rows(columns, rows, fmt))
    sys.exit(EXIT_OK if report.conforms else EXIT_VIOLATIONS)


@cli.command()
@format_option
@click.pass_obj
def check(state: State, fmt: str) -> None:
    """Run the data-quality rules in queries/checks/ (zero rows = pass). Exit 1 on failures."""
    from .queries import list_queries, select

    failed = 0
    rows: list[dict[str, Any]] = []
    for query in (q for q in list_queries(state.settings) if q.name.startswith("checks/")):
        result = select(state.store, query)
        failed += bool(len(result))
        rows.append({"check": query.name, "rows": len(result), "summary": query.summary})
    click.echo(render_rows(["check", "rows", "summary"], rows, fmt))
    sys.exit(EXIT_VIOLATIONS if failed else EXIT_OK)


@cli.command()
@format_option
@click.pass_obj
def queries(state: State, fmt: str) -> None:
    """List the named queries with their summaries and parameters."""
    from .queries import list_queries

    rows = [
        {"name": q.name, "summary": q.summary,
         "params": ", ".join(f"{p.name}:{p.type}" + ("" if p.required else f"={p.default}")
                             for p in q.params)}
        for q in list_queries(state.settings)
    ]
    click.echo(render_rows(["name", "summary", "params"], rows, fmt))


@cli.command()
@click.argument("name")
@click.option("-p", "--param", "pairs", multiple=True, metavar="KEY=VALUE",
              help="A parameter, repeatable: -p component=nova -p year=2014.")
@format_option
@click.pass_obj
def query(state: State, name: str, pairs: tuple[str, ...], fmt: str) -> None:
    """Run the named query NAME with typed parameters bound as RDF terms."""
    from rdflib import Graph

    from .export import serialize
    from .queries import get_query, run_query

    named = get_query(state.settings, name)
    result = run_query(state.store, named, parse_params(pairs))
    if isinstance(result, bool):
        click.echo("true" if result else "false")
        sys.exit(EXIT_OK if result else EXIT_VIOLATIONS)
    if isinstance(result, Graph):
        click.echo(serialize(result, "turtle"))
        return
    click.echo(render_rows(result.columns, result.rows, fmt))


@cli.command()
@click.argument("entity")
@format_option
@click.pass_obj
def profile(state: State, entity: str, fmt: str) -> None:
    """Every fact about ENTITY with its source (the entity-profile query)."""
    from .queries import get_query, select

    result = select(state.store, get_query(state.settings, "entity-profile"), {"entity": entity})
    if not len(result):
        from .entities import check_entity

        check_entity(state.store, state.settings, entity)  # unknown: names the nearest IDs
        raise KGError(f"nothing sourced is known about {entity!r}")
    click.echo(render_rows(result.columns, result.rows, fmt))


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["turtle", "nt", "jsonld", "graphml", "csv"]),
              default="turtle", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="File (or folder for csv); default: stdout.")
@click.pass_obj
def export(state: State, fmt: str, output: Path | None) -> None:
    """Export the whole graph (Turtle, N-Triples, JSON-LD, GraphML, or the tabular CSV format)."""
    from .derived import stated_graph
    from .export import export_graph

    text = export_graph(stated_graph(state.store), fmt, output)  # no derived facts
    if text is not None:
        click.echo(text, nl=False)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_obj
def ingest(state: State, files: tuple[Path, ...]) -> None:
    """Validate tabular files (CSV, see examples/) and merge them into data/ingested/.

    A file with one bad row is rejected whole and nothing is written; the error names the
    file, the row and the field, and the exit code is 2.
    """
    from .tabular import ingest_files

    result = ingest_files(state.settings, list(files))
    if not result.ok:
        click.echo(result.summary(), err=True)
        sys.exit(EXIT_ERROR)
    click.echo(result.summary())


@cli.command()
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Write the Markdown report here instead of stdout.")
@click.pass_obj
def report(state: State, output: Path | None) -> None:
    """Data quality: counts, confidence, single-sourced facts, orphans, unresolved names."""
    from .quality import quality_report

    text = quality_report(state.store, state.settings)
    if output is None:
        click.echo(text)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        click.echo(str(output))


@cli.command()
@click.argument("path", type=click.Path(path_type=Path), required=False)
@click.pass_obj
def build(state: State, path: Path | None) -> None:
    """Build (incrementally) a persistent oxigraph store from the project's files."""
    from .building import build_persistent, default_store_path

    report = build_persistent(state.settings, path or default_store_path(state.settings))
    click.echo(str(report))


@cli.command()
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=Path("build"),
              show_default=True, help="Folder for the report and images.")
@click.pass_obj
def demo(state: State, output: Path) -> None:
    """The main job: build the graph, validate it, report the conflicts, write images."""
    from .casefile import run_demo

    sys.exit(run_demo(state.settings, output, echo=click.echo))


from . import cli_findings  # noqa: E402,F401  (registers conflicts, diff, render, serve)


def main(argv: list[str] | None = None) -> None:
    """Entry point: KGError and usage errors become one line on stderr and exit code 2; so
    does any unexpected error (``--debug`` or ``KG_DEBUG=1`` adds its traceback). Never 1,
    which means "the data has violations"."""
    global _debug
    _debug = os.environ.get("KG_DEBUG", "") not in ("", "0")
    quiet_rdflib()
    try:
        cli.main(args=argv, prog_name="kg", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        click.echo(f"kg: error: {exc.format_message()}", err=True)
        sys.exit(EXIT_ERROR)
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("kg: aborted", err=True)
        sys.exit(EXIT_ERROR)
    except KGError as exc:
        fail(one_line(str(exc)))
    except Exception as exc:  # noqa: BLE001 (the one place every other error ends up)
        if _debug:
            traceback.print_exc()
        hint = "" if _debug else " (run with --debug for the traceback)"
        fail(one_line(f"unexpected {type(exc).__name__}: {exc}") + hint)
    sys.exit(EXIT_OK)


if __name__ == "__main__":
    main()
