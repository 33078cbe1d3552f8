"""The one parser: every hostile file ends in one SourceError naming file, line and column,
quickly, and the same file gets the same message from every path that reads it."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import SourceError
from kg.parsing import MAX_DEPTH, MAX_PREFIXES, load_into, parse_file, read_bytes

PREFIX = b"@prefix kg: <https://w3id.org/kg/ontology#> .\n"

HOSTILE: dict[str, tuple[str, bytes, str]] = {
    # name: (file name, content, words the message must hold)
    "truncated": ("t.ttl", PREFIX + b"kg:a kg:b kg:c", "Unexpected end"),
    "not-an-iri": ("n.ttl", PREFIX + b"<not an iri> a kg:Membership .\n", "Invalid IRI"),
    "deep-brackets": ("d.ttl", b"<http://a> <http://b> " + b"[ <http://c> " * 5000
                      + b"1" + b" ]" * 5000 + b" .\n", f"nested more than {MAX_DEPTH}"),
    "deep-collections": ("c.ttl", b"<http://a> <http://b> " + b"(" * 100_000 + b")" * 100_000
                         + b" .\n", "nested more than"),
    "huge-iri": ("h.ttl", b"<http://a/" + b"x" * 16_000_000 + b"> <http://b> <http://c> .\n",
                 "an IRI of"),
    "many-prefixes": ("p.ttl", b"".join(b"@prefix p%d: <http://e/%d#> .\n" % (i, i)
                                        for i in range(100_000)), f"more than {MAX_PREFIXES}"),
    "latin-1": ("l.ttl", PREFIX + b'kg:a kg:b "caf\xe9" .\n', "UTF-8"),
    "nt-cut": ("x.nt", b"<http://a> <http://b> <http://c> .\n<http://a> <http://b>\n",
               "N-Triples syntax error"),
    "nq-literal-graph": ("x.nq", b'<http://a> <http://b> <http://c> "g" .\n', "N-Quads"),
    "trig-open": ("x.trig", b"<http://g> { <http://a> <http://b> <http://c> .\n", "TriG"),
    "jsonld-remote": ("r.jsonld", b'{"@context": "http://127.0.0.1:9/c", "@id": "http://a"}',
                      "remote JSON-LD context 'http://127.0.0.1:9/c' refused"),
    "jsonld-import": ("i.jsonld", b'{"@context": {"@import": "https://example.org/c"}}',
                      "'https://example.org/c' refused"),
    "jsonld-relative": ("v.jsonld", b'{"@context": ["ctx.jsonld"], "@id": "http://a"}',
                        "'ctx.jsonld' refused"),
    "jsonld-deep": ("j.jsonld", b'{"@id": "http://a", "http://b": ' + b'{"http://c": ' * 50_000
                    + b"1" + b"}" * 50_000 + b"}", "nested more than"),
    "jsonld-broken": ("b.jsonld", b'{"@id": "http://a",\n "http://b": }', "JSON-LD syntax"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_file_is_one_error_naming_the_place_quickly(case: str, tmp_path: Path) -> None:
    name, content, words = HOSTILE[case]
    path = tmp_path / name
    path.write_bytes(content)
    started = time.monotonic()
    with pytest.raises(SourceError) as info:
        parse_file(path)
    assert time.monotonic() - started < 10
    assert str(info.value).startswith(str(path)), str(info.value)
    assert words in str(info.value), str(info.value)
    assert "\n" not in str(info.value)


def test_line_and_column_come_from_the_parser(tmp_path: Path) -> None:
    path = tmp_path / "a.ttl"
    path.write_bytes(PREFIX + b"kg:a kg:b kg:c .\n<not an iri> a kg:Membership .\n")
    with pytest.raises(SourceError) as info:
        parse_file(path)
    assert (info.value.line, info.value.column) == (3, 1)
    assert str(info.value).startswith(f"{path}:3:1: Turtle syntax error: ")


def test_a_byte_offset_becomes_a_line(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonld"
    path.write_bytes(b'{\n  "@id": "http://a",\n  "http://b": "caf\xe9"\n}')
    with pytest.raises(SourceError) as info:
        parse_file(path)
    assert (info.value.line, info.value.column) == (3, 19), str(info.value)


@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
def test_what_is_not_a_regular_file_is_refused_before_it_is_read(kind: str,
                                                                  tmp_path: Path) -> None:
    path = tmp_path / "x.ttl"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        path.symlink_to("/dev/zero")
    else:
        path.mkdir()
    started = time.monotonic()
    with pytest.raises(SourceError, match="not a regular file|is a directory"):
        read_bytes(path)
    with pytest.raises(SourceError, match="not a regular file|is a directory"):
        parse_file(path)
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("case", ["truncated", "not-an-iri", "jsonld-remote", "deep-brackets"])
def test_the_bulk_loader_gives_the_same_message(case: str, tmp_path: Path) -> None:
    name, content, _words = HOSTILE[case]
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SourceError) as parsed:
        parse_file(path)
    with pytest.raises(SourceError) as loaded:
        load_into(ox.Store(), path, ox.NamedNode("urn:kg:file:x"))
    assert str(parsed.value) == str(loaded.value)


def test_every_syntax_reads_the_same_triples(tmp_path: Path) -> None:
    from rdflib import Dataset, URIRef
    from rdflib.compare import isomorphic

    (tmp_path / "a.ttl").write_bytes(PREFIX + b'kg:a kg:b "x", "y"@en ; kg:c [ kg:d 1 ] .\n')
    graph = parse_file(tmp_path / "a.ttl")
    assert len(graph) == 4
    dataset = Dataset()
    dataset.graph(URIRef("http://g")).__iadd__(graph)
    for fmt, suffix, source in [("nt", ".nt", graph), ("json-ld", ".jsonld", graph),
                                ("nquads", ".nq", dataset), ("trig", ".trig", dataset)]:
        path = tmp_path / f"b{suffix}"
        path.write_bytes(source.serialize(format=fmt, encoding="utf-8"))
        assert isomorphic(parse_file(path), graph), fmt
