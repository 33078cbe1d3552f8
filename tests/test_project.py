"""kg.project: file roles, escaped and reversible graph names, the project check."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import URIRef

from kg.config import Settings
from kg.project import (
    ProjectError,
    data_files,
    graph_name,
    is_file_graph,
    path_of,
    require_project,
    shapes_files,
    vocabulary_files,
)

ROOT = Path("/project")
NAME_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00")
PARTS = st.text(NAME_CHARS, min_size=1, max_size=20).filter(lambda p: p not in (".", ".."))


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.lists(PARTS, min_size=1, max_size=4))
def test_any_file_name_gives_a_valid_iri_that_gives_the_path_back(parts: list[str]) -> None:
    import pyoxigraph as ox

    relative = "/".join(["data", *parts])
    name = graph_name(ROOT / relative, ROOT)
    ox.NamedNode(str(name))  # Oxigraph refuses an invalid IRI
    assert is_file_graph(name)
    assert path_of(name) == relative


@pytest.mark.parametrize("file", ["my organizations.ttl", "café #1.ttl", "100%.ttl",
                                  "quote\"'.ttl", "a%20b.ttl"])
def test_special_names_are_percent_encoded(file: str) -> None:
    name = graph_name(ROOT / "data" / file, ROOT)
    assert " " not in name and '"' not in name and "#" not in name.removeprefix("urn:kg:file:")
    assert path_of(name) == f"data/{file}"


def test_other_graphs_are_not_files() -> None:
    assert path_of(URIRef("urn:kg:whatif:membership")) is None
    assert not is_file_graph("urn:kg:catalog")


def test_roles(tmp_project: Path) -> None:
    project = Settings(root=tmp_project)
    data = tmp_project / "data"
    for rel in ["a.ttl", "sub/b.nt", "raw/c.ttl", ".hidden.ttl", ".kg/x.ttl", "notes.md"]:
        (data / rel).parent.mkdir(parents=True, exist_ok=True)
        (data / rel).write_text("")
    assert [p.relative_to(data).as_posix() for p in data_files(project)] == ["a.ttl", "sub/b.nt"]
    assert [p.name for p in shapes_files(project)] == ["kg-shapes.ttl"]
    assert [p.name for p in vocabulary_files(project)] == ["kg.ttl"]


def test_a_root_without_ontology_is_not_a_project(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    with pytest.raises(ProjectError, match="no ontology"):
        require_project(Settings(root=tmp_path))
