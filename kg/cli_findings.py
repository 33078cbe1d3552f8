"""The ``kg`` commands about findings and serving: conflicts, diff, render, serve.

Registered on the group of :mod:`kg.cli` (which imports this module), kept apart so that each
module stays small; the same thin layer: parse options, call the API, format the output.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from .cli import EXIT_OK, EXIT_VIOLATIONS, State, cli, format_option, parse_day
from .errors import KGError

window_option = click.option(
    "--window", type=click.IntRange(0), default=None, metavar="DAYS",
    help="Recent window in days: a gap up to this is 'recent', beyond it 'historical' "
         "(default $KG_WINDOW_DAYS or 365).")


def _findings(state: State, *, as_of: str | None, foundation: str | None,
              patterns: tuple[str, ...], window: int | None) -> list[Any]:
    from .conflicts import find_conflicts

    return find_conflicts(state.store, state.settings, foundation=foundation,
                          as_of=parse_day(as_of, "--as-of"), patterns=list(patterns) or None,
                          window=window)


@cli.command()
@click.option("--as-of", "as_of", default=None,
              help="The graph as it stood on this date (YYYY-MM-DD): later facts are unknown.")
@click.option("--foundation", default=None, help="Only this foundation (IRI, kgd:slug or slug).")
@click.option("--pattern", "patterns", multiple=True,
              help="Only findings with a chain of these patterns (repeatable).")
@window_option
@click.option("--finding", "finding_id", default=None, metavar="ID",
              help="Show one finding in detail: summary, reasons, chains, evidence.")
@click.option("--what-if", "what_if_org", default=None, metavar="ORG",
              help="What if ORG joins --foundation at --tier on --join-date (default today)?")
@click.option("--tier", default=None, help="Tier for --what-if (IRI or slug).")
@click.option("--join-date", default=None, help="Join date for --what-if (YYYY-MM-DD).")
@click.option("--wide", is_flag=True, help="Every column, cells unwrapped.")
@format_option
@click.pass_obj
def conflicts(state: State, as_of: str | None, foundation: str | None,
              patterns: tuple[str, ...], window: int | None, finding_id: str | None,
              what_if_org: str | None, tier: str | None, join_date: str | None, wide: bool,
              fmt: str) -> None:
    """Conflicts of interest, one finding per conflict, ranked by score with their reasons."""
    from .conflicts import find_finding
    from .findings_output import finding_detail, findings_csv, findings_json, findings_table
    from .queries import to_iri
    from .whatif import what_if

    if what_if_org:
        if tier is None:
            raise click.UsageError("--what-if needs --tier")
        from .entities import check_entity

        check_entity(state.store, state.settings, what_if_org)
        findings = what_if(
            state.store, state.settings, organization=to_iri(what_if_org),
            foundation=to_iri(foundation or "openstack-foundation"), tier=to_iri(tier),
            join_date=parse_day(join_date, "--join-date") or date.today(),
            as_of=parse_day(as_of, "--as-of"), window=window,
        )
    else:
        findings = _findings(state, as_of=as_of, foundation=foundation, patterns=patterns,
                             window=window)
    if finding_id is not None:
        findings = [find_finding(findings, finding_id)]
    if fmt == "json":
        click.echo(findings_json(findings))
    elif fmt == "csv":
        click.echo(findings_csv(findings), nl=False)
    elif finding_id is not None:
        click.echo(finding_detail(findings[0]))
    elif findings:
        click.echo(findings_table(findings, wide=wide))
        click.echo(f"{len(findings)} finding(s), highest score first. One in detail: "
                   "kg conflicts --finding ID; its picture: kg render --finding ID", err=True)
    else:
        when = f" as of {as_of}" if as_of else ""
        click.echo(f"no findings{when}", err=True)


@cli.command()
@click.argument("old")
@click.argument("new")
@click.option("--rev", "revision", is_flag=True,
              help="Read OLD and NEW as git revisions of the project even where a folder of "
                   "that name exists.")
@click.option("--as-of", "as_of", default=None,
              help="The graph as it stood on this date (YYYY-MM-DD): later facts are unknown.")
@window_option
@click.option("--fail-on", "fail_on", type=click.Choice(["high", "medium", "low"]),
              default=None, help="Exit 1 when an added or worsened finding of this severity "
                                 "or above appears (an alert for CI or cron).")
@click.option("--wide", is_flag=True, help="Every column, cells unwrapped.")
@format_option
@click.pass_obj
def diff(state: State, old: str, new: str, revision: bool, as_of: str | None,
         window: int | None, fail_on: str | None, wide: bool, fmt: str) -> None:
    """Compare the findings of two snapshots: project folders, git revisions (HEAD~1 HEAD)
    or stores built by 'kg build'. Lists findings added, removed and changed."""
    from .diffing import diff_snapshots, render_diff

    result = diff_snapshots(old, new, state.settings, as_of=parse_day(as_of, "--as-of"),
                            window=window, revision=revision)
    click.echo(render_diff(result, fmt, fail_on=fail_on, wide=wide))
    alerts = result.alerts(fail_on) if fail_on else []
    if fmt == "table":
        click.echo(result.summary() + (f"; {len(alerts)} alert(s) at {fail_on} or above"
                                       if fail_on else ""), err=True)
    sys.exit(EXIT_VIOLATIONS if alerts else EXIT_OK)


@cli.command()
@click.option("--entity", default=None, help="Draw this entity's neighbourhood (IRI or slug).")
@click.option("--depth", default=1, show_default=True, type=click.IntRange(1, 3))
@click.option("--finding", "finding_ref", default=None, metavar="ID|N",
              help="Draw the evidence chain of a finding: its ID, or its row number in the "
                   "list 'kg conflicts' shows with the same --foundation/--as-of/--pattern.")
@click.option("--as-of", "as_of", default=None,
              help="With --finding: as of this date; with --timeline: a line on this date.")
@click.option("--foundation", default=None, help="With --finding: only this foundation.")
@click.option("--pattern", "patterns", multiple=True, help="With --finding: only these patterns.")
@window_option
@click.option("--limit", default=20, show_default=True, type=click.IntRange(0),
              help="Draw at most N relationships around the entity, litigation first (0: all).")
@click.option("--timeline", is_flag=True,
              help="Draw a timeline instead: the memberships (with tier), governance seats and "
                   "proceedings of the finding's parties, or of the entity, on one time axis "
                   "(--as-of marks that day with a line).")
@click.option("--path", "pair", nargs=2, default=None, metavar="A B",
              help="Draw the shortest paths between A and B (as 'kg path A B' lists them; "
                   "--as-of applies).")
@click.option("--interlocks", "interlock_entities", multiple=True, metavar="E1,E2",
              help="Draw the interlocks of these entities (comma-separated or repeated; as "
                   "'kg interlocks' ranks them, the best that fit; --as-of applies).")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="Image file: .png or .svg.")
@click.pass_obj
def render(state: State, entity: str | None, depth: int, finding_ref: str | None,
           as_of: str | None, foundation: str | None, patterns: tuple[str, ...],
           window: int | None, limit: int, timeline: bool, pair: tuple[str, str] | None,
           interlock_entities: tuple[str, ...], output: Path) -> None:
    """Draw an entity's neighbourhood, a finding's evidence chain, the paths between two
    entities or their interlocks (PNG or SVG), or with --timeline their dates on one time
    axis."""
    from .queries import to_iri

    if output.suffix.lower() not in (".png", ".svg"):
        raise click.BadParameter("the output must end in .png or .svg", param_hint="--output")
    targets = [entity, finding_ref, pair, interlock_entities or None]
    if sum(t is not None for t in targets) != 1:
        raise click.UsageError("give exactly one of --entity, --finding, --path or --interlocks")
    if pair is not None or interlock_entities:
        from .cli_analytics import render_analytics

        render_analytics(state, pair=pair, entities=interlock_entities, as_of=as_of,
                         output=output)
        click.echo(str(output))
        return
    from . import rendering
    from .stores import read_graph

    if finding_ref is not None:
        from .conflicts import find_finding

        findings = _findings(state, as_of=as_of, foundation=foundation, patterns=patterns,
                             window=window)
        if finding_ref.isdigit():
            number = int(finding_ref)
            if not 1 <= number <= len(findings):
                raise KGError(f"--finding {number}: the list has {len(findings)} finding(s)")
            chosen = findings[number - 1]
        else:
            chosen = find_finding(findings, finding_ref)
        if timeline:
            from .rendering.timeline import draw_finding_timeline

            draw_finding_timeline(state.store, state.settings, chosen, output,
                                  as_of=parse_day(as_of, "--as-of"))
        else:
            rendering.draw_finding(chosen, output, graph=read_graph(state.store))
    else:
        from .entities import check_entity, entities

        iri = check_entity(state.store, state.settings, entity or "")
        if timeline:
            from .rendering.timeline import draw_entity_timeline

            (found,) = entities(state.store, state.settings, iri)
            draw_entity_timeline(state.store, state.settings, iri, found.label, output,
                                 as_of=parse_day(as_of, "--as-of"))
        else:
            rendering.draw_entity(read_graph(state.store), to_iri(iri), output, depth=depth,
                                  limit=limit or None)
    click.echo(str(output))


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but loopback is said with a warning.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--timeout", type=click.FloatRange(0.1), default=5.0, show_default=True,
              help="Seconds one query may run; then its worker is killed and replaced.")
@click.option("--row-limit", type=click.IntRange(1), default=10_000, show_default=True,
              help="Rows (or triples) in one answer; a cut answer says so.")
@click.option("--workers", type=click.IntRange(1, 64), default=3, show_default=True,
              help="Query processes, each holding the store open read-only.")
@click.option("--no-build", is_flag=True,
              help="Serve the store as it was built; do not bring it up to date first.")
@click.pass_obj
def serve(state: State, host: str, port: int, timeout: float, row_limit: int, workers: int,
          no_build: bool) -> None:
    """Serve the graph read-only: SPARQL 1.1 at /sparql, the named queries at /api/queries."""
    from .building import default_store_path
    from .server import ServeOptions
    from .server.run import serve as run_server

    if state.settings.store != "oxigraph":
        raise KGError(f"kg serve serves a persistent oxigraph store, not --store "
                      f"{state.settings.store}")
    options = ServeOptions(state.settings, default_store_path(state.settings), timeout=timeout,
                           row_limit=row_limit, workers=workers)
    run_server(options, host=host, port=port, build=not no_build,
               echo=lambda line: click.echo(line, err=True))
