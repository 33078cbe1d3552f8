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

from .config import Settings
from .console import one_line, quiet_rdflib
from .errors import KGError
from .export import EXPORT_FORMATS
from .output import FORMATS, render_rows
from .progress import step

# rdflib's own SPARQL engine took 55 s for `kg conflicts` on the curated graph (Oxigraph: under
# a second), so the command line does not offer it; it stays in the API (kg.stores) as the
# reference engine the tests compare every other store with.
CLI_STORES = ("oxigraph", "memory", "sparql")
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
            from .warm import project_store

            self._store = project_store(self.settings)
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
@click.option("--store", type=click.Choice(CLI_STORES), default=None,
              help="oxigraph (default): the project's persistent store under build/store, built on "
                   "first use and kept up to date; memory: loaded afresh into memory; "
                   "sparql: a remote server.")
@click.option("--endpoint", default=None, help="SPARQL query endpoint URL for --store sparql.")
@click.option("--store-path", type=click.Path(path_type=Path), default=None,
              help="Where the persistent store lives (default: build/store under the root).")
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
    if settings.store not in CLI_STORES:
        raise click.BadParameter(
            f"{settings.store!r} is not offered by the command line (rdflib's engine is the "
            "tests' reference, too slow for real graphs); choose one of "
            f"{', '.join(CLI_STORES)}", param_hint="--store / KG_STORE")
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
@click.option("--engine", type=click.Choice(["pyshacl", "fast"]), default=None,
              help="SHACL engine (default: fast, or pyshacl when pyshacl-turbo is missing). "
                   "fast: pyshacl-turbo's native engine (kg.fastshacl), the same report as "
                   "pySHACL (tested result for result); with --shard-size it reads each file "
                   "as text, and a shard size above the file's focus nodes validates it whole "
                   "(1M triples: about 15 s instead of 159 s). pyshacl: the reference.")
@click.option("--no-cache", is_flag=True, default=False,
              help="Validate even when nothing changed: neither read nor write the report "
                   "cache (build/validation/; keyed by every ontology and data file's sha256, "
                   "the engine and kg's version).")
@click.option("--workers", type=click.IntRange(1), default=1, show_default=True,
              help="With --shard-size: validate this many shards at once, each in its own "
                   "process (memory: one shard per process).")
@format_option
@click.pass_obj
def validate(state: State, paths: tuple[Path, ...], shard_size: int | None, engine: str | None,
             no_cache: bool, workers: int, fmt: str) -> None:
    """Validate the data with the SHACL shapes (default: the whole graph).

    With PATHS, each file is checked in the context of the project's data and only the
    results about nodes it states are reported. A rerun with no file changed answers from
    the report cache in build/validation/. Exit 1 when there are violations.
    """
    from .validation import ValidationReport, resolve_engine, split_ontology, validate_project

    chosen = resolve_engine(engine)
    if engine is None and chosen != "fast":
        click.echo("kg: note: pyshacl-turbo is not installed, so validating with pySHACL "
                   "(the same report, slower; pip install 'pyshacl-turbo>=0.6.5,<0.7')",
                   err=True)

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
        with step("validate"):
            report = validate_project(state.settings, list(paths) or None, engine=chosen,
                                      cache=not no_cache)
    rows = [r.to_dict() for r in report.results]
    columns = ["severity", "file", "focus_node", "path", "value", "message", "source_shape"]
    if fmt == "table":
        if rows:
            click.echo(render_rows(columns, rows, fmt))
        verdict = "conforms" if report.conforms else "does not conform"
        cached = "; unchanged files, report from build/validation/" if report.from_cache \
            else ""
        click.echo(f"{report.triples} triples checked: {verdict} "
                   f"({len(report.violations)} violation(s), {len(rows)} result(s){cached})",
                   err=True)
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
    click.echo(render_rows(["check", "rows", "summary"], rows, fmt, fixed=("check",)))
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
    click.echo(render_rows(["name", "summary", "params"], rows, fmt, fixed=("name",)))


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
    columns, rows = list(result.columns), list(result.rows)
    if fmt not in ("json", "csv"):  # for a person: a date known only as bounds in words
        from rdflib import Literal

        from .temporal import edtf_words

        def shown(row: Any, side: str) -> Any:
            edtf = row.get(f"{side}_edtf")
            return Literal(edtf_words(str(edtf))) if edtf is not None else row.get(side)

        extra = ("start_latest", "end_earliest", "start_edtf", "end_edtf")
        columns = [c for c in columns if c not in extra]
        rows = [{**r, "start": shown(r, "start"), "end": shown(r, "end")} for r in rows]
    click.echo(render_rows(columns, rows, fmt))


@cli.command()
@click.argument("text", required=False)
@click.option("--kind", default=None, metavar="KIND",
              help="Only entities of this class or a class below it, by its name in any case: "
                   "Company, Organization, Lawsuit, LegalProceeding, Ruling, Source, ...")
@format_option
@click.pass_obj
def ids(state: State, text: str | None, kind: str | None, fmt: str) -> None:
    """Find the ID of an existing entity by its label or an alias (to reuse it in a CSV file).

    TEXT matches IDs, labels and aliases in any case: equal first, then starting with it,
    containing it, then close to it (a typo). Without TEXT, every entity (of --kind).
    """
    from .entities import entities, kinds_below, nearest, search
    from .vocabulary import load_vocabulary

    known = entities(state.store, state.settings)
    kinds = None
    if kind is not None:
        present = {k for e in known for k in e.kinds}
        kinds = kinds_below(load_vocabulary(state.store, state.settings), kind, present)
        if not kinds:
            from .entities import Entity

            names = sorted(present)
            near = nearest(kind, [Entity(n, n, ()) for n in names], n=3)
            hint = ", ".join(e.iri for e in near) or ", ".join(names)
            raise KGError(f"unknown kind {kind!r} (nearest: {hint})")
    found = search(known, text, kinds)
    columns = ["id", "label", "kinds", "aliases"]
    if fmt == "json":
        rows: list[dict[str, Any]] = [
            {"id": e.id, "label": e.label, "kinds": list(e.kinds), "aliases": list(e.aliases)}
            for e in found]
    else:
        rows = [{"id": e.id, "label": e.label, "kinds": ", ".join(e.kinds),
                 "aliases": "; ".join(e.aliases)} for e in found]
    if fmt == "table":
        from .output import rows_to_table

        click.echo(rows_to_table(columns, rows, fixed=("id", "kinds")) if rows else
                   f"no entity{' of kind ' + kind if kind else ''} matches {text!r}"
                   if text else "(no rows)")
        return
    click.echo(render_rows(columns, rows, fmt))


@cli.command()
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS),
              default="turtle", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="File (or folder for csv); default: stdout.")
@click.pass_obj
def export(state: State, fmt: str, output: Path | None) -> None:
    """Export the whole graph (Turtle, N-Triples, JSON-LD, GraphML, GEXF, Cytoscape JSON, the
    tabular CSV format, which `kg ingest` reads back as the same graph, or FollowTheMoney
    entities as JSON lines)."""
    from .derived import stated_graph
    from .export import data_graph, export_graph

    store = state.store
    with step(f"export {fmt}"):
        graph = data_graph(store, state.settings) if fmt == "csv" else stated_graph(store)
        text = export_graph(graph, fmt, output,  # no derived facts
                            warn=lambda note: click.echo(f"kg: warning: {note}", err=True))
    if text is not None:
        click.echo(text, nl=False)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_obj
def ingest(state: State, files: tuple[Path, ...]) -> None:
    """Validate tabular files (CSV, see examples/) and merge them into data/ingested/.

    A file with one bad row is rejected whole and nothing is written; each error names the
    file, the row and the field (every bad field of a row is listed), and the exit code is 2.
    Find the ID of something already in the graph with `kg ids`.
    """
    from .cli_ftm import is_ftm_file, run_import

    if files and all(is_ftm_file(f) for f in files):  # FollowTheMoney JSON lines
        sys.exit(run_import(state, list(files)))
    from .tabular import ingest_files

    with step(f"ingest {len(files)} file{'' if len(files) == 1 else 's'}"):
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
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text: one line; json: the full report (every file).")
@click.pass_obj
def build(state: State, path: Path | None, fmt: str) -> None:
    """Build (incrementally) a persistent oxigraph store from the project's files."""
    from .building import build_persistent, default_store_path
    from .warm import BUILD_WAIT

    wait = None if "KG_LOCK_WAIT" in os.environ else BUILD_WAIT  # a background build may run
    report = build_persistent(state.settings, path or default_store_path(state.settings),
                              lock_wait=wait)
    if fmt == "json":
        import json

        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(str(report))


@cli.command()
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=Path("build"),
              show_default=True, help="Folder for the report and images.")
@click.pass_obj
def demo(state: State, output: Path) -> None:
    """The main job: build the graph, validate it, report the conflicts, write images."""
    from .casefile import run_demo

    sys.exit(run_demo(state.settings, output, echo=click.echo))


# registers conflicts, diff, render, serve; path, interlocks, centrality; import-ftm
from . import cli_analytics, cli_findings, cli_ftm  # noqa: E402,F401


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
