"""The ``kg`` commands of graph analytics: path, interlocks, centrality (:mod:`kg.analytics`).

Registered on the group of :mod:`kg.cli`; networkx is imported only when one of them runs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from .cli import EXIT_OK, EXIT_VIOLATIONS, State, cli, format_option, parse_day
from .output import render_rows

as_of_option = click.option(
    "--as-of", "as_of", default=None,
    help="Only the facts that held on this date (YYYY-MM-DD): one not yet begun or already "
         "ended is left out.")


def _kinds(via: tuple[str, ...]) -> list[str] | None:
    return [k for value in via for k in value.split(",") if k.strip()] or None


def _source(fact: Any) -> str:
    if not fact.sources:
        return ""
    more = len(fact.sources) - 1
    return str(fact.sources[0]) + (f" (+{more} more)" if more else "")


def _fact_row(fact: Any) -> dict[str, Any]:
    words = fact.sentence + (f": {fact.detail}" if fact.detail else "")
    return {"fact": words, "when": fact.when, "confidence": fact.confidence,
            "source": _source(fact)}


def _fact_lines(fact: Any, indent: str, more: int = 0) -> list[str]:
    """``Symantec —sued→ IPNav · settled 2018 · confirmed``, then its source, indented."""
    row = _fact_row(fact)
    parts = [row["fact"], row["when"], row["confidence"]]
    extra = f" (+{more} more fact{'' if more == 1 else 's'})" if more else ""
    lines = [" · ".join(p for p in parts if p) + extra]
    if row["source"]:
        lines.append(f"{indent}   source: {row['source']}")
    return lines


def _flat(fact: Any) -> dict[str, Any]:
    """A fact's fields for CSV: sources as ``title <url>`` joined by ``; ``."""
    return {**fact.to_dict(), "sources": "; ".join(str(s) for s in fact.sources)}


FACT_FIELDS = ["sentence", "subject", "phrase", "relation", "object", "when", "start", "end",
               "confidence", "sources", "fact", "kind"]


@cli.command()
@click.argument("a")
@click.argument("b")
@click.option("--max", "max_paths", type=click.IntRange(1), default=3, show_default=True,
              help="At most this many of the shortest paths (when several are as short).")
@as_of_option
@click.option("--via", multiple=True, metavar="KINDS",
              help="Only edges of these kinds, comma-separated or repeated: membership, "
                   "governance, transfer, tie, lawsuit, accusation, contribution, structure "
                   "(default: all but structure).")
@format_option
@click.pass_obj
def path(state: State, a: str, b: str, max_paths: int, as_of: str | None, via: tuple[str, ...],
         fmt: str) -> None:
    """The shortest paths between entities A and B (IDs as 'kg ids' gives them), each hop a
    fact with its dates, confidence and source.

    When several paths are as short, those made of specific facts (suits, patent transfers,
    ties) come first, then chains that follow their facts' direction, then those through
    less-connected parties: a path through a foundation every member shares is real but says
    little. --format json gives every fact of each hop, nested; csv one row per hop.
    Exit 0 with paths, 1 when there is none, 2 when an entity is unknown.
    """
    from .analytics import paths

    result = paths(state.store, a, b, max_paths=max_paths, as_of=parse_day(as_of, "--as-of"),
                   via=_kinds(via))
    if fmt == "json":
        click.echo(json.dumps({"source": result.source, "target": result.target,
                               "found": result.found,
                               "paths": [p.to_dict() for p in result.paths]},
                              indent=2, ensure_ascii=False))
    elif fmt == "csv":
        rows = [{"path": i, "hop": j, **_flat(h.fact), "other_facts": len(h.facts) - 1}
                for i, p in enumerate(result.paths, 1) for j, h in enumerate(p.hops, 1)]
        click.echo(render_rows(["path", "hop", *FACT_FIELDS, "other_facts"], rows, "csv"),
                   nl=False)
    else:
        for i, p in enumerate(result.paths, 1):
            click.echo(f"Path {i} of {len(result.paths)} ({len(p.hops)} hops): {p.text}")
            for j, h in enumerate(p.hops, 1):
                first, *rest = _fact_lines(h.fact, "  ", len(h.facts) - 1)
                click.echo("\n".join([f"  {j}. {first}", *rest]))
        when = f" as of {as_of}" if as_of else ""
        if result.paths:
            click.echo(f"{len(result.paths)} of {result.found} shortest path(s){when}, most "
                       "specific first (every fact of each hop: --format json)", err=True)
    if not result.paths:
        click.echo(f"no path between {result.source_label} and {result.target_label}"
                   f"{' as of ' + as_of if as_of else ''}", err=True)
    sys.exit(EXIT_OK if result.paths else EXIT_VIOLATIONS)


@cli.command()
@click.argument("entities", nargs=-1, required=True)
@as_of_option
@click.option("--min", "min_reached", type=click.IntRange(1), default=None, metavar="K",
              help="Connectors reaching at least K of the entities (default 2, or all of "
                   "them when fewer are given).")
@format_option
@click.pass_obj
def interlocks(state: State, entities: tuple[str, ...], as_of: str | None,
               min_reached: int | None, fmt: str) -> None:
    """Organizations connected to several of ENTITIES: a membership, a seat, a suit either
    way, a patent transfer or a tie with each. Ranked by how many of the entities each
    reaches, then by its number of connecting facts, then by the latest of their dates."""
    from .analytics import interlocks as find_interlocks

    result = find_interlocks(state.store, list(entities), min_reached=min_reached,
                             as_of=parse_day(as_of, "--as-of"))
    if fmt == "json":
        click.echo(json.dumps([i.to_dict() for i in result.interlocks], indent=2,
                              ensure_ascii=False))
        return
    if fmt == "table":
        for rank, lock in enumerate(result.interlocks, 1):
            reached = ", ".join(c.entity_label for c in lock.connections)
            click.echo(f"{rank}. {lock.label} ({lock.kind}): reaches {len(lock.reached)} of "
                       f"{len(result.entities)} ({reached}) by {len(lock.facts)} fact(s)")
            for fact in lock.facts:
                first, *rest = _fact_lines(fact, "   ")
                click.echo("\n".join([f"   - {first}", *rest]))
        when = f" as of {as_of}" if as_of else ""
        click.echo(f"{len(result.interlocks)} connector(s) of {', '.join(result.labels)} "
                   f"reaching at least {result.min_reached}{when}", err=True)
        return
    columns = ["rank", "connector", "reaches", "fact", "when", "confidence", "source"]
    rows: list[dict[str, Any]] = []
    for rank, lock in enumerate(result.interlocks, 1):
        for fact in lock.facts:
            rows.append({"rank": rank, "connector": lock.label,
                         "reaches": f"{len(lock.reached)} of {len(result.entities)}",
                         **_fact_row(fact)})
    click.echo(render_rows(columns, rows, fmt), nl=False)


@cli.command()
@click.option("--body", default=None,
              help="The foundation (ID, IRI or words of its name; default: the one with the "
                   "most members).")
@click.option("--top", type=click.IntRange(1), default=15, show_default=True)
@as_of_option
@format_option
@click.pass_obj
def centrality(state: State, body: str | None, top: int, as_of: str | None, fmt: str) -> None:
    """Rank the organizations of a foundation's litigation graph by centrality.

    The graph: the body's members, every suit with a member on either side (so a non-member
    plaintiff joins), and the patent transfers and ties into those suits' plaintiffs.
    degree: how many parties of that graph it has a fact with. betweenness: the share of
    shortest paths between two other parties that pass through it (networkx, normalised 0
    to 1): high for a plaintiff that sued many members, or the assignor whose patents it
    asserts. Ranked by betweenness, then degree.
    """
    from .analytics import centrality as measure

    result = measure(state.store, body, top=top, as_of=parse_day(as_of, "--as-of"))
    rows = [{"rank": i, "organization": r.label, "member": r.member, "suits": r.suits,
             "degree": r.degree, "betweenness": f"{r.betweenness:.3f}"}
            for i, r in enumerate(result.ranking, 1)]
    if fmt != "table":
        rows = [{"rank": i, **r.to_dict()} for i, r in enumerate(result.ranking, 1)]
        columns = ["rank", "party", "label", "member", "suits", "degree", "degree_centrality",
                   "betweenness"]
    else:
        columns = ["rank", "organization", "member", "suits", "degree", "betweenness"]
    click.echo(render_rows(columns, rows, fmt), nl=fmt != "csv")
    if fmt == "table":
        click.echo(f"litigation graph of {result.body_label}: "
                   f"{len(result.graph or ())} parties; top {len(rows)} by betweenness",
                   err=True)


def render_analytics(state: State, *, pair: tuple[str, str] | None,
                     entities: tuple[str, ...], as_of: str | None, output: Path) -> None:
    """``kg render --path A B`` or ``--interlocks E1,E2``: that subgraph, drawn."""
    from .analytics import interlocks as find_interlocks
    from .analytics import paths
    from .analytics.drawing import draw, interlock_graph, path_graph

    day = parse_day(as_of, "--as-of")
    if pair is not None:
        g = path_graph(paths(state.store, pair[0], pair[1], as_of=day))
    else:
        names = [e for value in entities for e in value.split(",") if e.strip()]
        g = interlock_graph(find_interlocks(state.store, names, as_of=day))
    draw(g, output)
