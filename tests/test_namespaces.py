"""One prefix map: no Turtle or SPARQL file maps a known prefix to another IRI."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.namespaces import PREFIXES

from .conftest import ROOT

TTL_PREFIX = re.compile(r"@prefix\s+([A-Za-z][\w-]*)?:\s*<([^>]*)>", re.IGNORECASE)
RQ_PREFIX = re.compile(r"^\s*PREFIX\s+([A-Za-z][\w-]*)?:\s*<([^>]*)>", re.IGNORECASE | re.MULTILINE)
OUR_IRI_LITERAL = re.compile(r"(?<![`(])[\"']https://w3id\.org/kg/")  # docstring examples aside
FILES = sorted(
    p for p in [*ROOT.glob("ontology/*.ttl"), *ROOT.glob("data/**/*.ttl"),
                *ROOT.glob("queries/**/*.rq"), *ROOT.glob("tests/fixtures/**/*.ttl"),
                *ROOT.glob("examples/**/*.ttl")]
    if "raw" not in p.parts
)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_prefixes_agree_with_the_one_map(path: Path) -> None:
    pattern = RQ_PREFIX if path.suffix == ".rq" else TTL_PREFIX
    for prefix, iri in pattern.findall(path.read_text(encoding="utf-8")):
        if prefix in PREFIXES:
            assert iri == PREFIXES[prefix], (
                f"{path}: {prefix}: is <{iri}>, not <{PREFIXES[prefix]}>")


def test_no_iri_of_ours_is_typed_outside_namespaces_and_data() -> None:
    offenders = [
        str(p.relative_to(ROOT)) for p in ROOT.glob("kg/**/*.py")
        if p.name != "namespaces.py" and OUR_IRI_LITERAL.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []
