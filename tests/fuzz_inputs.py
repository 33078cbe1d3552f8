"""The Hypothesis strategies of the fuzz suite: RDF documents in every syntax kg reads (a valid
serialization of a random graph, then mutations: cuts, junk bytes, deep nesting, many prefixes,
huge IRIs, remote contexts and imports pointing at the loopback listener), CSV files for each
record kind (cells, headers, rows and bytes changed; odd file names), and query parameters."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from hypothesis import strategies as st

CASE = Path(__file__).resolve().parent.parent / "examples" / "new-case"
SUFFIX = {"turtle": ".ttl", "ntriples": ".nt", "nquads": ".nq", "trig": ".trig",
          "jsonld": ".jsonld"}
RDFLIB_FORMAT = {"turtle": "turtle", "ntriples": "nt", "nquads": "nquads", "trig": "trig",
                 "jsonld": "json-ld"}


# --- RDF ---------------------------------------------------------------------------------------

KG = "https://w3id.org/kg/ontology#"
KGD = "https://w3id.org/kg/id/"
CLASSES = ["Company", "Foundation", "Membership", "MembershipTier", "Lawsuit", "Patent",
           "Source", "Component"]
PROPERTIES = ["label", "member", "foundation", "tier", "startDate", "endDate", "source",
              "confidence", "plaintiff", "defendant", "rank", "url"]
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
SLUG = st.text("abcdefghijklmnopqrstuvwxyz0123456789-_.~%", min_size=1, max_size=16)


@st.composite
def rdf_graphs(draw: st.DrawFn) -> list[tuple[object, object, object]]:
    from rdflib import BNode, Literal, URIRef
    from rdflib.namespace import RDF, XSD

    nodes = [URIRef(KGD + s) for s in draw(st.lists(SLUG, min_size=1, max_size=5))]
    nodes.append(BNode())
    triples = []
    for _ in range(draw(st.integers(0, 12))):
        subject = draw(st.sampled_from(nodes))
        if draw(st.booleans()):
            triples.append((subject, RDF.type, URIRef(KG + draw(st.sampled_from(CLASSES)))))
            continue
        predicate = URIRef(KG + draw(st.sampled_from(PROPERTIES)))
        obj = draw(st.one_of(
            st.sampled_from(nodes),
            TEXT.map(Literal),
            st.tuples(TEXT, st.sampled_from(["en", "de", "fr-CA"])).map(
                lambda t: Literal(t[0], lang=t[1])),
            st.tuples(st.text("0123456789-WT:Z", max_size=12), st.sampled_from(
                [XSD.date, XSD.integer, XSD.decimal, XSD.boolean])).map(
                lambda t: Literal(t[0], datatype=t[1])),
        ))
        triples.append((subject, predicate, obj))
    return triples


def serialize(triples: list[tuple[object, object, object]], kind: str) -> bytes:
    from rdflib import Dataset, Graph, URIRef

    if kind in ("nquads", "trig"):
        dataset = Dataset()
        graph = dataset.graph(URIRef(KGD + "graph"))
        for t in triples:
            graph.add(t)  # type: ignore[arg-type]
        return dataset.serialize(format=RDFLIB_FORMAT[kind], encoding="utf-8")
    plain = Graph()
    for t in triples:
        plain.add(t)  # type: ignore[arg-type]
    return plain.serialize(format=RDFLIB_FORMAT[kind], encoding="utf-8")


def hostile_snippets(kind: str, url: str) -> list[bytes]:
    snippets = [
        b"<not an iri> a <https://w3id.org/kg/ontology#Membership> .\n",
        b"\xff\xfe\x00", b"\xc3\x28", b"\x00", b'"unterminated', b"<http://a", b"@prefix",
        b"[" * 70, b"(" * 70 + b")" * 70, b"<< " * 70, b"{" * 70, b"]]]]", b"\\u00", b"\r\n",
        b"_:b0 <http://p> _:b0 .\n", b"@base <" + url.encode() + b"/> .\n",
        ("<" + url + "/x> <http://www.w3.org/2002/07/owl#imports> <" + url + "/o.ttl> .\n")
        .encode(),
        "é€𝄞".encode(), b"\xef\xbb\xbf",
    ]
    if kind == "jsonld":
        snippets += [b'"@context": "' + url.encode() + b'/ctx",',
                     b'{"@context": {"@import": "' + url.encode() + b'/i"}}',
                     b'{"a":' * 70, b"]" * 5, b'"@id": "not an iri",']
    return snippets


@st.composite
def rdf_documents(draw: st.DrawFn, kind: str, url: str) -> bytes:
    """A document of ``kind``: a valid serialization, then maybe one or two mutations."""
    data = serialize(draw(rdf_graphs()), kind)
    if kind == "jsonld" and draw(st.integers(0, 9)) == 0:
        wrapped = {"@context": draw(st.sampled_from([url + "/ctx", [url + "/c"],
                                                     {"@import": url + "/i"}])),
                   "@graph": json.loads(data or b"[]")}
        data = json.dumps(wrapped).encode()
    for _ in range(draw(st.integers(0, 2))):
        how = draw(st.sampled_from(["none", "truncate", "insert", "delete", "flip", "nest",
                                    "prefixes", "huge"]))
        at = draw(st.integers(0, len(data)))
        if how == "truncate":
            data = data[:at]
        elif how == "insert":
            junk = draw(st.one_of(st.sampled_from(hostile_snippets(kind, url)),
                                  st.binary(max_size=8)))
            data = data[:at] + junk + data[at:]
        elif how == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 20)):]
        elif how == "flip" and data:
            i = min(at, len(data) - 1)
            data = data[:i] + bytes([data[i] ^ draw(st.integers(1, 255))]) + data[i + 1:]
        elif how == "nest":
            depth = draw(st.integers(10, 200))
            opener = b'{"http://x/p": ' if kind == "jsonld" else b"[ <http://x/p> "
            closer = b"}" if kind == "jsonld" else b" ]"
            body = opener * depth + b"1" + closer * depth
            data = (b'{"@id": "http://x/s", "http://x/p": ' + body + b"}" if kind == "jsonld"
                    else b"<http://x/s> <http://x/p> " + body + b" .\n")
        elif how == "prefixes" and kind in ("turtle", "trig"):
            count = draw(st.sampled_from([100, 5_000, 10_001]))
            data = b"".join(b"@prefix p%d: <http://e/%d#> .\n" % (i, i)
                            for i in range(count)) + data
        elif how == "huge" and draw(st.integers(0, 3)) == 0:
            size = draw(st.sampled_from([1000, 1 << 20, (1 << 20) + 10]))
            data = b"<http://x/" + b"a" * size + b"> <http://x/p> <http://x/o> .\n" + data
    return data


# --- CSV ---------------------------------------------------------------------------------------

RECORD_FILES = ["organizations", "tiers", "memberships", "sources", "lawsuits"]
NAME_PREFIX = st.text(st.characters(blacklist_categories=("Cs", "Cc"),
                                    blacklist_characters="/\\"), min_size=1, max_size=12)
CELL = st.one_of(
    st.sampled_from(["", "example-widgets", "example-standards-body", "src-example-fictional-case",
                     "2014", "2014-06", "2014-06-31", "2014-13-01", "9999-12-31", "-5", "0", "3",
                     "1" * 5000, "1_000", "١٢", "1e3", "12.50", "true", "maybe", "company",
                     "foundation", "uncertain", "confirmed", "=cmd|' /C calc'!A0", "+1", "@x",
                     "'=x", "\ttab", "a;b;c", "a\\;b", 'say "hi"', "x,y", "line\nbreak",
                     "https://example.org/x", "http://127.0.0.1:9/x", "kgd:new-thing",
                     "ftp://x", "<script>", "\u202e", "\x01"]),
    TEXT,
)


def case_rows(record: str) -> list[list[str]]:
    import csv

    path = CASE / f"example-{record}.csv"
    if path.is_file():
        return list(csv.reader(path.open(encoding="utf-8")))
    from kg.tabular.schema import load_schema

    return [list(load_schema().types[record].column_names)]


@st.composite
def csv_files(draw: st.DrawFn) -> tuple[str, bytes]:
    """(file name, bytes): a record file with some cells, columns or bytes changed."""
    import csv

    record = draw(st.sampled_from(RECORD_FILES))
    rows = [list(r) for r in case_rows(record)]
    if "id" in rows[0] and draw(st.integers(0, 3)):  # new ids (else: "already exists")
        at = rows[0].index("id")
        for row in rows[1:]:
            row[at] += "-" + draw(st.sampled_from(["f", "g2", "new"]))
    for _ in range(draw(st.integers(0, 4))):
        how = draw(st.sampled_from(["cell", "cell", "cell", "header", "row", "drop"]))
        r = draw(st.integers(0, len(rows) - 1))
        c = draw(st.integers(0, max(0, len(rows[r]) - 1)))
        if how == "cell" and rows[r]:
            rows[r][c] = draw(CELL)
        elif how == "header":
            rows[0][c] = draw(st.sampled_from(["", "id", "label", "nonsense", rows[0][c] + " "]))
        elif how == "row":
            rows.append([draw(CELL) for _ in rows[0]])
        elif how == "drop" and len(rows) > 1:
            rows.pop(draw(st.integers(1, len(rows) - 1)))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    data = out.getvalue().encode("utf-8")
    if draw(st.integers(0, 4)) == 0:
        at = draw(st.integers(0, len(data)))
        junk = draw(st.sampled_from([b"\xff", b"\x00", b'"', b"\xef\xbb\xbf", b"\r", b",,,"]))
        data = data[:at] + junk + data[at:]
    prefix = draw(st.one_of(st.just("fuzz"), NAME_PREFIX))
    prefix = prefix if not prefix.startswith(".") and prefix != "example" else "f" + prefix
    return f"{prefix}-{record}.csv", data


# --- query parameters ---------------------------------------------------------------------------

QUERIES = [("members-by-tier", "as_of", "date"), ("contributions-by-company", "year", "integer"),
           ("contributions-by-company", "component", "iri"), ("entity-profile", "entity", "iri"),
           ("fact-provenance", "fact", "iri")]
STRICT = {"date": re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"),
          "integer": re.compile(r"[+-]?[0-9]{1,30}")}
ANY_TEXT = st.text(st.characters(), max_size=40)  # lone surrogates and controls included
PARAM_VALUE = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["2014-W01-1", "20141231", "2014-12-31T00:00", "2014-1-1", " 2014-12-31 ",
                     "1_000", "١٢", "1e3", "+7", "-0", "9" * 5000, "0x10", "symantec",
                     "kgd:symantec", "https://w3id.org/kg/id/symantec", "http://x/<y>",
                     "a b", "'\"", "} SELECT * {", "?x", "\ud800", "x\x00y", "\x1b[31m",
                     "nova", "kgd:", ":", "", "example-widgets"]),
    st.integers().map(str),
    ANY_TEXT,
)


@st.composite
def query_params(draw: st.DrawFn) -> tuple[str, str, str, str]:
    name, param, kind = draw(st.sampled_from(QUERIES))
    if draw(st.integers(0, 9)) == 0:
        param = draw(st.sampled_from(["nonsense", "AS_OF", "as_of ", ""]))
    return name, param, kind, draw(PARAM_VALUE)
