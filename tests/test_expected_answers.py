"""The finder's whole output on a synthetic graph equals the generator's expected answers:
every planted finding once (same id, counterparties and temporal status), nothing else, and
no near miss."""

from __future__ import annotations

from pathlib import Path

from bench.synthetic import generate
from kg.config import Settings
from kg.stores.oxigraph_store import OxigraphStore

from .conftest import load_with_ontology

ROOT = Path(__file__).resolve().parent.parent

Key = tuple[str, tuple[str, ...], str]


def expected_keys(expected: dict) -> set[Key]:  # type: ignore[type-arg]
    return {(f["id"], tuple(sorted(f["counterparties"])), f["temporal_status"])
            for f in expected["findings"]}


def test_the_finders_output_is_exactly_the_expected_answers(tmp_path: Path) -> None:
    from kg.conflicts import find_conflicts

    path = tmp_path / "g10k.nt"
    expected = generate(10_000, path, seed=3, turtle=False)
    settings = Settings(root=ROOT)
    store = load_with_ontology(OxigraphStore(), path)  # the finder reads its words from it

    found = find_conflicts(store, settings)

    got = {(f.id, tuple(sorted(f.counterparties)), f.temporal_status) for f in found}
    assert len(got) == len(found)  # one finding per conflict
    assert got == expected_keys(expected)
    assert {f.id for f in found}.isdisjoint(n["id"] for n in expected["near_misses"])
