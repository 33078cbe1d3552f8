"""SHACL validation on pyshacl-turbo's native engine, with the report in pySHACL's terms.

Why: the 1M-triple synthetic graph takes pySHACL 159 s and ``pyshacl_turbo.validate`` 77 s,
but turbo's own validation of it (Rust: core constraints *and* the 21 ``sh:sparql`` constraints,
each run per focus node) is about 15 s. The other 60 s were its Python side: given an rdflib graph
plus an ``ont_graph``, it serialises the graph, mixes the vocabulary in natively, decodes the
result back into a new rdflib graph and encodes that again. Here the data goes to the engine
once, as the file's own text (N-Triples or Turtle, the vocabulary appended as N-Triples), or
for an rdflib graph as one batch of terms, and the vocabulary is mixed in by appending it —
which is what pySHACL's ``ont_graph`` does (inference ``none``, SHACL-AF on, as in
:mod:`kg.validation`).

The report is then made pySHACL's where the engines differ in their terms: rdflib
normalises literals when it parses (``"007"^^xsd:integer`` is ``"7"``, ``"1"^^xsd:boolean``
is ``"true"``) and keeps a language tag's case, turbo does neither. Result values are
normalised as rdflib would, language tags get the data's case back, and a SPARQL
constraint's message is re-made from its template when the value it names changed. Messages
of constraints without ``sh:message`` are turbo's own and differ from pySHACL's; the
project's shapes give every constraint a message. ``ValidationReport.graph`` is turbo's
own report graph, its terms as turbo gives them. ``tests/test_fastshacl.py`` compares this
report with pySHACL's, result for result, on the project's data, every shape fixture and a
synthetic graph; the benchmark at 10k, 100k and 1M.

``kg validate`` (:func:`kg.validation.validate_project`) hands it the project's files through
:class:`ProjectFiles`: each parsed by :mod:`kg.parsing` (its guards and errors) and written
out by Oxigraph as N-Triples, so no rdflib term is made for the data; the results are then
located in the files from that text.

This module relies on two names pyshacl-turbo does not document (``rdf.Input``,
``term_input._TermBatch``), checked against 0.6.5; the dependency is pinned to 0.6.x.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any
from typing import Literal as TypingLiteral

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.serializers.nt import _quote_encode
from rdflib.term import Node

from .errors import KGError, ShapesError, SourceError
from .namespaces import SH
from .validation import ValidationReport, ValidationResult, _read_results

NATIVE_FORMATS = {".nt": "nt", ".ttl": "turtle"}
_PARSE_ERROR = re.compile(r"line (\d+)")
_VOCABULARY_BNODE = "kgvocab"


def _turbo() -> Any:
    try:
        import pyshacl_turbo
        from pyshacl_turbo.rdf import Input  # noqa: F401  (fails early if the API moved)
    except ImportError as exc:
        raise KGError("the fast SHACL engine needs pyshacl-turbo 0.6, a dependency of kg "
                      "(pip install 'pyshacl-turbo>=0.6.5,<0.7'), or use --engine pyshacl"
                      ) from exc
    return pyshacl_turbo


def _ntriples(graph: Graph, bnode_prefix: str) -> str:
    """``graph`` as N-Triples, blank nodes renamed so they cannot meet the data's."""
    def term(x: Node) -> str:
        return f"_:{bnode_prefix}{x}" if isinstance(x, BNode) else x.n3()
    return "".join(f"{term(s)} {term(p)} {term(o)} .\n" for s, p, o in graph)


def _count_triples(text: str, fmt: str, path: Path | None) -> int:
    if fmt == "nt":
        return sum(1 for line in text.splitlines()
                   if line.strip() and not line.lstrip().startswith("#"))
    import pyoxigraph

    assert path is not None

    return sum(1 for _ in pyoxigraph.parse(text, format=pyoxigraph.RdfFormat.TURTLE,
                                           base_iri=path.resolve().as_uri()))


class _Data:
    """The data as the engine's input, and what is needed to give its terms rdflib's form."""

    def __init__(self, data: Graph | Path | str | None, vocabulary: Graph | None, *,
                 ntriples: str | None = None) -> None:
        self.vocabulary = vocabulary if vocabulary is not None else Graph()
        self.graph: Graph | None = None
        self.path: Path | None = None
        self.text = ""
        self.fmt = ""
        self.lines = 0
        self._triples: int | None = None
        self.origins: list[tuple[str, int]] = []    # (file, its lines) of the N-Triples given
        if ntriples is not None:              # already parsed (by kg.parsing) and written out
            from pyshacl_turbo.rdf import Input

            self.fmt = "nt"
            self._set_text(ntriples)
            body = self.text + "\n" + _ntriples(self.vocabulary, _VOCABULARY_BNODE)
            self.input = Input(body, "nt", None, {}, {}, preserve_ids=True)
            return
        assert data is not None
        if isinstance(data, Graph):
            self._from_graph(data)
            return
        self.path = Path(data)
        self.fmt = NATIVE_FORMATS.get(self.path.suffix.lower(), "")
        if not self.fmt:                      # N-Quads, JSON-LD, TriG: through rdflib
            from .loading import parse_file

            self._from_graph(parse_file(self.path))
        else:
            self._from_text(self.path)

    def _from_graph(self, graph: Graph) -> None:
        from pyshacl_turbo.rdf import Input
        from pyshacl_turbo.term_input import _TermBatch

        self.graph = graph
        nodes: dict[str, BNode] = {}
        batch: Any = _TermBatch(nodes)  # type: ignore[no-untyped-call]
        for s, p, o in graph:
            batch.append(s, p, o)
        for triple in self.vocabulary:
            batch.append(*(BNode(_VOCABULARY_BNODE + x) if isinstance(x, BNode) else x
                           for x in triple))
        self.input = Input((batch.records, batch.quads), "terms", None, nodes,
                           dict(graph.namespaces()), preserve_ids=True)
        self._triples = len(graph)

    def _from_text(self, path: Path) -> None:
        from pyshacl_turbo.rdf import Input

        from .parsing import read_bytes, read_quads

        for _quad in read_quads(path):  # the one parser decides what the file is (and refuses
            pass                        # FIFOs, devices): the engine below only reads it again
        self._set_text(read_bytes(path).decode("utf-8"))
        body = self.text + "\n" + _ntriples(self.vocabulary, _VOCABULARY_BNODE)
        base = path.resolve().as_uri() if self.fmt == "turtle" else None
        self.input = Input(body, self.fmt, base, {}, {}, preserve_ids=True)

    def _set_text(self, text: str) -> None:
        self.text = text
        self.lines = text.count("\n") + (0 if text.endswith("\n") else 1)

    @property
    def triples(self) -> int:
        """The data's triples (vocabulary not counted); a file's are counted on demand."""
        if self._triples is None:
            self._triples = _count_triples(self.text, self.fmt, self.path)
        return self._triples

    def parse_error(self, exc: ValueError) -> SourceError:
        message = str(exc).removeprefix("RDF parse error: ")
        found = _PARSE_ERROR.search(message)
        line = int(found.group(1)) if found else None
        if line is not None and line > self.lines:   # ran into the appended vocabulary
            line = self.lines
        if self.path is None and self.origins and line is not None:
            for file, lines in self.origins:           # the project's files, written out
                if line <= lines:
                    return SourceError(file, "Oxigraph read this file, but pyshacl-turbo "
                                             f"cannot read its triples ({message}); validate "
                                             "it with --engine pyshacl")
                line -= lines
        return SourceError(self.path or "<graph>", f"cannot parse: {message}", line=line)

    def language(self, value: Literal, focus: Node, path: Node | None) -> str | None:
        """The data's own spelling of ``value``'s language tag (turbo lower-cases tags)."""
        lang = value.language
        assert lang is not None
        if self.graph is not None:
            objects: Iterable[Node] = (self.graph.objects(focus, path)
                                       if isinstance(path, URIRef) else self.graph.objects())
            for o in objects:
                if isinstance(o, Literal) and str(o) == str(value) and o.language and \
                        o.language.lower() == lang:
                    return o.language
            return lang
        for quoted in dict.fromkeys((_quote_encode(str(value)) + "@",   # as rdflib writes it
                                     _oxigraph_quoted(str(value)) + "@")):  # and Oxigraph
            start = self.text.find(quoted)
            while start >= 0:
                tag = self.text[start + len(quoted):start + len(quoted) + len(lang)]
                if tag.lower() == lang:
                    return tag
                start = self.text.find(quoted, start + 1)
        return lang


def _oxigraph_quoted(text: str) -> str:
    """``text`` as a quoted N-Triples string the way Oxigraph writes it."""
    import pyoxigraph

    return str(pyoxigraph.Literal(text))   # a plain literal: no ^^xsd:string


def _as_rdflib(term: Node | None, data: _Data, focus: Node, path: Node | None) -> Node | None:
    """A term as rdflib would hold it after parsing the same data."""
    if not isinstance(term, Literal):
        return term
    if term.language:
        return Literal(str(term), lang=data.language(term, focus, path))
    if term.datatype is not None:
        return Literal(str(term), datatype=term.datatype)   # rdflib's normalisation
    return Literal(str(term))


def _message(template: str, focus: Node, path: Node | None, value: Node | None) -> str:
    """pySHACL's substitution of ``{$this}``, ``{?path}``, ``{?value}`` in a SPARQL message."""
    for var, val in (("this", focus), ("path", path), ("value", value)):
        if val is not None:
            template = re.sub(f"{{[?$]{var}}}", str(val), template)  # as pySHACL does
    return template


def _pyshacl_terms(report: Graph, results: list[ValidationResult], shapes: Graph,
                   data: _Data) -> list[ValidationResult]:
    """Results with values, focus nodes and SPARQL messages in the form pySHACL gives them."""
    constraint_of: dict[tuple[str, str, str], Node] = {}
    for node in report.subjects(SH.sourceConstraint, None):
        key = (str(report.value(node, SH.focusNode)), str(report.value(node, SH.value)),
               str(report.value(node, SH.resultMessage)))
        source = report.value(node, SH.sourceConstraint)
        if source is not None:
            constraint_of[key] = source
    fixed: list[ValidationResult] = []
    for r in results:
        focus = _as_rdflib(r.focus_node, data, r.focus_node, None)
        value = _as_rdflib(r.value, data, r.focus_node, r.path)
        message = r.message
        if value is not None and r.value is not None and str(value) != str(r.value) and \
                r.constraint == SH.SPARQLConstraintComponent:
            constraint = constraint_of.get((str(r.focus_node), str(r.value), r.message))
            template = shapes.value(constraint, SH.message) if constraint is not None else None
            if template is not None and not re.search(r"\{[?$](?!this\}|path\}|value\})",
                                                      str(template)):
                message = _message(str(template), r.focus_node, r.path, value)
            else:
                message = message.replace(str(r.value), str(value))
        assert focus is not None
        fixed.append(replace(r, focus_node=focus, value=value, message=message))
    return sorted(fixed, key=lambda x: (str(x.focus_node), str(x.path), x.message))


def validate_fast(data: Graph | Path | str, *, shapes: Graph,
                  vocabulary: Graph | None = None) -> ValidationReport:
    """Validate ``data`` (an rdflib graph, or an N-Triples / Turtle file, read as text by the
    engine; other RDF files through rdflib) against ``shapes`` with ``vocabulary`` mixed in,
    with :func:`kg.validation.validate`'s options and pySHACL's report."""
    _turbo()
    return _validate(_Data(data, vocabulary), shapes)


def _validate(prepared: _Data, shapes: Graph) -> ValidationReport:
    turbo = _turbo()
    from pyshacl_turbo import ValidationFailure
    from pyshacl_turbo.errors import ReportableRuntimeError

    try:
        program = turbo.compile_shapes(shapes, advanced=True)
    except (ReportableRuntimeError, ValidationFailure, ValueError) as exc:
        raise ShapesError(f"the shapes graph is unusable: {exc}") from exc
    try:
        _conforms, report_graph, _text = program.validate(
            prepared.input, allow_infos=True, allow_warnings=True, abort_on_first=False)
    except ValueError as exc:
        if "parse error" in str(exc):
            raise prepared.parse_error(exc) from None
        raise ShapesError(f"pyshacl-turbo cannot validate: {exc}") from exc
    except (ReportableRuntimeError, ValidationFailure) as exc:
        raise ShapesError(f"pyshacl-turbo cannot validate: {exc}") from exc
    assert isinstance(report_graph, Graph)
    results = _pyshacl_terms(report_graph, _read_results(report_graph), shapes, prepared)
    return ValidationReport(results, prepared.triples, report_graph)


class FastValidator:
    """:func:`validate_fast` as a :func:`kg.sharding.validate_sharded` validator: it is given
    each shard's N-Triples file, which the engine reads as text."""

    reads_files: TypingLiteral[True] = True

    def __call__(self, data: Graph | Path, shapes: Graph,
                 vocabulary: Graph | None) -> ValidationReport:
        return validate_fast(data, shapes=shapes, vocabulary=vocabulary)


class ProjectFiles:
    """Files parsed by :mod:`kg.parsing` (its guards, its errors) and written out as
    N-Triples by Oxigraph: what :func:`kg.validation.validate_project` gives the fast engine
    instead of an rdflib Dataset, so no rdflib term is made for the data. (Not through an
    Oxigraph store: it keeps the value of a typed literal, not its spelling, so ``"-1.00"``
    of ``xsd:decimal`` would come back as ``"-1"``, and pySHACL sees the spelling.)"""

    def __init__(self, files: Sequence[Path], root: Path) -> None:
        ox = _ox()
        from .parsing import read_quads
        from .project import relative_path

        self.paths = list(files)
        self.files = [relative_path(path, root) for path in files]
        self.texts = []
        for path in files:                            # every triple, whatever graph it names
            text = ox.serialize((quad.triple for quad in read_quads(path)),
                                format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
            if "<<(" in text or "--ltr" in text or "--rtl" in text:   # RDF 1.2, perhaps
                text = _rdf11(path)
            self.texts.append(text)
        self._subjects: dict[str, list[str]] | None = None

    def ntriples(self) -> str:
        """Every file's triples as N-Triples (a triple in two files twice: the engine's graph
        holds it once)."""
        return "".join(self.texts)

    @property
    def triples(self) -> int:
        """The distinct triples: Oxigraph writes one triple the same way every time."""
        return len({line for text in self.texts for line in text.splitlines()})

    def files_stating(self, subject: Node) -> list[str]:
        """The files with ``subject`` as a subject, in file order (none for a literal)."""
        if not isinstance(subject, URIRef | BNode):
            return []
        if self._subjects is None:
            self._subjects = {}
            for file, text in zip(self.files, self.texts, strict=True):
                for line in text.splitlines():
                    stating = self._subjects.setdefault(line[:line.find(" ")], [])
                    if not stating or stating[-1] != file:
                        stating.append(file)
        ox = _ox()
        term = ox.BlankNode(str(subject)) if isinstance(subject, BNode) else \
            ox.NamedNode(str(subject))
        return self._subjects.get(str(term), [])   # as Oxigraph writes it


def _rdf11(path: Path) -> str:
    """A file's triples as N-Triples in what rdflib (so pySHACL) is given of them: a literal's
    base direction dropped (``"hi"@en--ltr`` is ``"hi"@en``), and a triple term refused."""
    ox = _ox()
    from .parsing import read_quads

    def terms() -> Iterable[Any]:
        for quad in read_quads(path):
            s, p, o = quad.subject, quad.predicate, quad.object
            if isinstance(s, ox.Triple) or isinstance(o, ox.Triple):
                raise SourceError(path, f"a triple term (RDF 1.2) is not supported: {quad}")
            if isinstance(o, ox.Literal) and o.direction:
                o = ox.Literal(o.value, language=o.language)
            yield ox.Triple(s, p, o)

    return bytes(ox.serialize(terms(), format=ox.RdfFormat.N_TRIPLES)).decode("utf-8")


def _ox() -> Any:
    import pyoxigraph

    return pyoxigraph


def validate_project_files(files: ProjectFiles, *, shapes: Graph,
                           vocabulary: Graph | None = None) -> ValidationReport:
    """:func:`validate_fast` of the union of ``files`` (each result's ``file`` not yet set)."""
    _turbo()
    prepared = _Data(None, vocabulary, ntriples=files.ntriples())
    prepared._triples = files.triples
    prepared.origins = [(str(path), text.count("\n"))
                        for path, text in zip(files.paths, files.texts, strict=True)]
    return _validate(prepared, shapes)
