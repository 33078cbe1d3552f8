"""Answers of a SPARQL query as bytes, cut at the row limit and saying so.

SELECT results are written here (not by Oxigraph's serializer) because an answer may stop at
the row limit: the writers take the rows read so far. JSON, XML, CSV and TSV follow the W3C
result formats; ``xsd:string`` literals are written as simple literals (the same term in
RDF 1.1, and what rdflib reads back as a plain ``Literal``). CONSTRUCT and DESCRIBE triples are
serialized by Oxigraph.

A cut answer says so: the headers ``X-KG-Truncated: true`` and ``X-KG-Row-Limit`` on every
answer, the fields ``"truncated"`` and ``"row_limit"`` in JSON, a comment in XML, Turtle and
N-Triples.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from ..namespaces import PREFIXES, XSD
from .formats import Format
from .replies import Problem, Reply

XSD_STRING = str(XSD.string)
RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
               "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}
Term = Any  # a pyoxigraph NamedNode, BlankNode, Literal or Triple


def limit_headers(truncated: bool, row_limit: int) -> dict[str, str]:
    return {"X-KG-Truncated": "true" if truncated else "false", "X-KG-Row-Limit": str(row_limit)}


def take(items: Iterable[Any], limit: int) -> tuple[list[Any], bool]:
    """The first ``limit`` items and whether there were more; engine errors become 500."""
    taken: list[Any] = []
    try:
        for item in items:
            if len(taken) == limit:
                return taken, True
            taken.append(item)
    except OSError as exc:
        raise Problem(500, f"the query failed: {' '.join(str(exc).split())}") from exc
    return taken, False


def json_term(term: Term) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": json_term(term.subject),
                                            "predicate": json_term(term.predicate),
                                            "object": json_term(term.object)}}
    raise Problem(500, f"cannot write the term {term!r}")


def xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return (f"<literal datatype={quoteattr(term.datatype.value)}>"
                    f"{escape(term.value)}</literal>")
        return f"<literal>{escape(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        return (f"<triple><subject>{xml_term(term.subject)}</subject><predicate>"
                f"{xml_term(term.predicate)}</predicate><object>{xml_term(term.object)}"
                "</object></triple>")
    raise Problem(500, f"cannot write the term {term!r}")


def csv_cell(term: Term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return str(term.value)
    return str(term)


def _rows(variables: Sequence[str], rows: Sequence[ox.QuerySolution]) -> Iterator[list[Term]]:
    for row in rows:
        yield [row[v] for v in variables]


def select_json(variables: Sequence[str], rows: Sequence[ox.QuerySolution], truncated: bool,
                row_limit: int) -> bytes:
    bindings = [{v: json_term(t) for v, t in zip(variables, cells, strict=True) if t is not None}
                for cells in _rows(variables, rows)]
    doc = {"head": {"vars": list(variables)}, "results": {"bindings": bindings},
           "truncated": truncated, "row_limit": row_limit}
    return json.dumps(doc, ensure_ascii=False).encode()


def select_xml(variables: Sequence[str], rows: Sequence[ox.QuerySolution], truncated: bool,
               row_limit: int) -> bytes:
    out = ['<?xml version="1.0" encoding="utf-8"?>\n'
           '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    if truncated:
        out.append(f"<!-- truncated: the answer was cut at the row limit of {row_limit} -->")
    out.append("<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in variables)
               + "</head><results>")
    for cells in _rows(variables, rows):
        out.append("<result>" + "".join(
            f"<binding name={quoteattr(v)}>{xml_term(t)}</binding>"
            for v, t in zip(variables, cells, strict=True) if t is not None) + "</result>")
    out.append("</results></sparql>\n")
    return "\n".join(out).encode()


def select_csv(variables: Sequence[str], rows: Sequence[ox.QuerySolution]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    for cells in _rows(variables, rows):
        writer.writerow([csv_cell(t) for t in cells])
    return buffer.getvalue().encode()


def select_tsv(variables: Sequence[str], rows: Sequence[ox.QuerySolution]) -> bytes:
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join("" if t is None else str(t) for t in cells)
              for cells in _rows(variables, rows)]
    return ("\n".join(lines) + "\n").encode()


def select_reply(solutions: ox.QuerySolutions, fmt: Format, row_limit: int) -> Reply:
    variables = [v.value for v in solutions.variables]
    rows, truncated = take(solutions, row_limit)
    if fmt.key == "json":
        body = select_json(variables, rows, truncated, row_limit)
    elif fmt.key == "xml":
        body = select_xml(variables, rows, truncated, row_limit)
    elif fmt.key == "csv":
        body = select_csv(variables, rows)
    else:
        body = select_tsv(variables, rows)
    return Reply(200, _typed(fmt), body, limit_headers(truncated, row_limit))


def boolean_reply(answer: bool, fmt: Format, row_limit: int) -> Reply:
    word = "true" if answer else "false"
    if fmt.key == "json":
        body = json.dumps({"head": {}, "boolean": answer}).encode()
    elif fmt.key == "xml":
        body = ('<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns='
                f'"http://www.w3.org/2005/sparql-results#"><head/><boolean>{word}</boolean>'
                "</sparql>\n").encode()
    else:
        body = f"{word}\n".encode()
    return Reply(200, _typed(fmt), body, limit_headers(False, row_limit))


def triples_reply(triples: Iterable[ox.Triple], fmt: Format, row_limit: int) -> Reply:
    taken, truncated = take(triples, row_limit)
    body = serialize_triples(taken, fmt.key)
    if truncated and fmt.key in ("turtle", "nt"):
        note = f"# truncated: the answer was cut at the row limit of {row_limit} triples\n"
        body = note.encode() + body
    return Reply(200, _typed(fmt), body, limit_headers(truncated, row_limit))


def serialize_triples(triples: Sequence[ox.Triple], key: str) -> bytes:
    prefixes = PREFIXES if key in ("turtle", "rdfxml") else None
    data = ox.serialize(triples, format=RDF_FORMATS[key], prefixes=prefixes)
    return data if data is not None else b""


def _typed(fmt: Format) -> str:
    if fmt.media_type.startswith("text/") or fmt.media_type.endswith(("json", "xml")):
        return f"{fmt.media_type}; charset=utf-8"
    return fmt.media_type
