"""Named SPARQL queries kept as files with a ``#+`` YAML header, run with bound parameters.

A header looks like::

    #+ summary: Members of a foundation by tier as of a date
    #+ params:
    #+   foundation: {type: iri, default: "kgd:openstack-foundation"}
    #+   as_of: {type: date, description: the day to evaluate}

Parameters are plain SPARQL variables of the same name. Values are converted to RDF terms
by their declared type and bound by the store (never pasted into the query text).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from .config import Settings
from .errors import ParameterError, QueryHeaderError, QueryNotFoundError, SourceError
from .namespaces import KGD, PREFIXES
from .parsing import line_of, read_bytes
from .remote import refuse_remote_sparql
from .stores.base import SelectResult, Store

# libyaml's C parser where it is installed: every command reads the query headers and specs
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

PARAM_TYPES = ("iri", "string", "integer", "decimal", "boolean", "date")
HEADER_KEYS = {"summary", "description", "params", "tags", "columns"}
FORM_RE = re.compile(r"^\s*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE | re.MULTILINE)
IRI_FORBIDDEN = re.compile(r'[\s<>"{}|^`\\]')


@dataclass(frozen=True)
class QueryParam:
    """One typed parameter of a named query."""

    name: str
    type: str
    description: str = ""
    default: str | None = None

    @property
    def required(self) -> bool:
        return self.default is None


@dataclass(frozen=True)
class NamedQuery:
    """A query file: its name, header and SPARQL text."""

    name: str
    path: Path
    summary: str
    text: str
    form: str
    description: str = ""
    params: tuple[QueryParam, ...] = ()
    tags: tuple[str, ...] = ()
    columns: tuple[str, ...] = field(default_factory=tuple)

    def param(self, name: str) -> QueryParam:
        for p in self.params:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.params) or "none"
        raise ParameterError(f"query '{self.name}' has no parameter '{name}' (parameters: {known})")


def _header_lines(text: str) -> list[str]:
    return [line[2:].removeprefix(" ") for line in text.splitlines() if line.startswith("#+")]


def _parse_param(path: Path, name: str, spec: Any) -> QueryParam:
    if isinstance(spec, str):
        spec = {"type": spec}
    if not isinstance(spec, dict) or "type" not in spec:
        raise QueryHeaderError(
            f"{path}: parameter '{name}' needs a type ({', '.join(PARAM_TYPES)})"
        )
    kind = spec["type"]
    if kind not in PARAM_TYPES:
        raise QueryHeaderError(
            f"{path}: parameter '{name}' has unknown type {kind!r} ({', '.join(PARAM_TYPES)})"
        )
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise QueryHeaderError(f"{path}: parameter name {name!r} is not snake_case")
    default = spec.get("default")
    return QueryParam(name, kind, str(spec.get("description", "")),
                      None if default is None else str(default))


def _read_header(path: Path, text: str) -> dict[str, Any]:
    lines = _header_lines(text)
    if not lines:
        raise QueryHeaderError(f"{path}: no '#+' header (a 'summary' is required)")
    try:
        header = yaml.load("\n".join(lines), Loader=YAML_LOADER) or {}
    except yaml.YAMLError as exc:
        raise QueryHeaderError(f"{path}: header is not valid YAML: {exc}") from exc
    if not isinstance(header, dict):
        raise QueryHeaderError(f"{path}: header must be a mapping of keys to values")
    unknown = set(header) - HEADER_KEYS
    if unknown:
        raise QueryHeaderError(f"{path}: unknown header keys {sorted(unknown)}")
    return header


def parse_query_file(path: Path, name: str) -> NamedQuery:
    """Read a ``.rq`` file and check its header; errors name the file."""
    try:
        data = read_bytes(path)
    except SourceError as exc:
        raise QueryHeaderError(str(exc)) from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = line_of(data, exc.start)
        raise QueryHeaderError(f"{path}:{line}:{column}: not UTF-8 text (byte {exc.start}); "
                               "a query file is SPARQL text") from None
    if "\x00" in text:
        raise QueryHeaderError(f"{path}: holds NUL bytes: not a SPARQL text file")
    header = _read_header(path, text)
    summary = header.get("summary")
    if not isinstance(summary, str) or not summary.strip():
        raise QueryHeaderError(f"{path}: header needs a 'summary'")
    params_spec = header.get("params") or {}
    if not isinstance(params_spec, dict):
        raise QueryHeaderError(f"{path}: 'params' must map names to types")
    params = tuple(_parse_param(path, n, s) for n, s in params_spec.items())
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    refuse_remote_sparql(text, where=str(path))
    form_match = FORM_RE.search(body)
    if not form_match:
        raise QueryHeaderError(f"{path}: no SELECT, ASK, CONSTRUCT or DESCRIBE found")
    for p in params:
        if not re.search(rf"[?$]{p.name}\b", body):
            raise QueryHeaderError(f"{path}: parameter '{p.name}' is not used as ?{p.name}")
    return NamedQuery(
        name=name, path=path, summary=summary.strip(), text=text,
        form=form_match.group(1).upper(), description=str(header.get("description", "")).strip(),
        params=params, tags=tuple(header.get("tags") or ()),
        columns=tuple(header.get("columns") or ()),
    )


def list_queries(settings: Settings) -> list[NamedQuery]:
    """Every named query under ``queries/``, sorted by name (``checks/x``, ``conflicts/y``, …)."""
    root = settings.queries_dir
    found = []
    for path in sorted(root.rglob("*.rq")):
        name = path.relative_to(root).with_suffix("").as_posix()
        found.append(parse_query_file(path, name))
    return found


def get_query(settings: Settings, name: str) -> NamedQuery:
    """The named query ``name`` (a file ``queries/<name>.rq``)."""
    if not re.fullmatch(r"[A-Za-z0-9_\-]+(/[A-Za-z0-9_\-]+)*", name):
        raise QueryNotFoundError(f"no query named {name!r}: names are letters, digits, - _ and /")
    path = settings.queries_dir / f"{name}.rq"
    if not path.is_file():
        known = ", ".join(q.name for q in list_queries(settings) if "/" not in q.name)
        raise QueryNotFoundError(f"no query named {name!r} (known: {known})")
    # parsed once per file version: the finder and the what-if check ask for the same few
    # queries many times, and reading a header costs about 2 ms (most of a what-if check)
    stat = path.stat()
    key = (str(path), name, stat.st_mtime_ns, stat.st_size)
    cached = _PARSED.get(key)
    if cached is None:
        cached = _PARSED[key] = parse_query_file(path, name)
    return cached


_PARSED: dict[tuple[str, str, int, int], NamedQuery] = {}


def to_iri(value: str) -> URIRef:
    """An IRI from a full IRI, a prefixed name (``kgd:symantec``) or a bare slug (``symantec``)."""
    value = value.strip()
    if not value or IRI_FORBIDDEN.search(value):
        raise ParameterError(f"{value!r} is not an IRI (no spaces, quotes or <>{{}}|^`\\ allowed)")
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return URIRef(PREFIXES[prefix] + local)
    if sep and re.fullmatch(r"[A-Za-z][A-Za-z0-9+.\-]*", prefix):
        return URIRef(value)
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._\-]*", value):
        return KGD[value]
    raise ParameterError(f"{value!r} is neither an IRI, a prefixed name nor a slug")


def _to_boolean(text: str) -> Literal:
    if text.lower() not in ("true", "false", "1", "0"):
        raise ValueError(text)
    return Literal(text.lower() in ("true", "1"), datatype=XSD.boolean)


def _strict(pattern: str, convert: Any) -> Any:
    """A converter that first requires the whole text to match ``pattern`` (ASCII only):
    Python's own parsers also take ``2014-W01-1``, ``20141231``, ``1_000`` and Arabic digits."""
    compiled = re.compile(pattern)

    def run(text: str) -> Any:
        if not compiled.fullmatch(text):
            raise ValueError(text)
        return convert(text)

    return run


_CONVERTERS: dict[str, Any] = {
    "iri": to_iri,
    "string": Literal,
    "integer": _strict(r"[+-]?[0-9]{1,30}", lambda t: Literal(int(t), datatype=XSD.integer)),
    "decimal": _strict(r"[+-]?(?:[0-9]{1,30}(?:\.[0-9]{0,30})?|\.[0-9]{1,30})",
                       lambda t: Literal(Decimal(t), datatype=XSD.decimal)),
    "boolean": _to_boolean,
    "date": _strict(r"[0-9]{4}-[0-9]{2}-[0-9]{2}",
                    lambda t: Literal(date.fromisoformat(t), datatype=XSD.date)),
}
_NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
MAX_PARAM = 10_000  # characters


def _check_text(where: str, text: str) -> None:
    """Refuse what is not text: control characters, lone surrogates (undecodable bytes)."""
    bad = _NOT_TEXT.search(text)
    if bad:
        code = ord(bad.group())
        kind = "a lone surrogate: the argument was not valid UTF-8" if 0xD800 <= code <= 0xDFFF \
            else "a control character"
        raise ParameterError(f"{where}: U+{code:04X} at position {bad.start() + 1} is {kind}")
    if len(text) > MAX_PARAM:
        raise ParameterError(f"{where}: {len(text)} characters (at most {MAX_PARAM})")


def to_term(param: QueryParam, value: Any) -> Identifier:
    """Convert a user value to the RDF term the parameter's type declares."""
    if isinstance(value, Identifier):
        return value
    where = f"parameter '{param.name}' ({param.type})"
    text = str(value) if param.type == "string" else str(value).strip()
    _check_text(where, text)
    try:
        term: Identifier = _CONVERTERS[param.type](text)
    except ParameterError as exc:
        raise ParameterError(f"{where}: {exc}") from exc
    except (ValueError, InvalidOperation) as exc:
        hint = {"date": " (use YYYY-MM-DD)", "integer": " (digits, at most 30)",
                "decimal": " (like 12.5)", "boolean": " (true or false)"}.get(param.type, "")
        raise ParameterError(f"{where}: {text!r} is not a valid {param.type}{hint}") from exc
    return term


def bind_params(query: NamedQuery, params: Mapping[str, Any]) -> dict[str, Identifier]:
    """Check and convert parameters: unknown ones are rejected, missing ones take defaults."""
    for name in params:
        query.param(name)
    bound: dict[str, Identifier] = {}
    for p in query.params:
        value = params.get(p.name)
        if isinstance(value, (list, tuple)):
            bound[p.name] = tuple(to_term(p, v) for v in value)  # type: ignore[assignment]
        elif value is not None:
            bound[p.name] = to_term(p, value)
        elif p.default is not None:
            bound[p.name] = to_term(p, p.default)
        else:
            raise ParameterError(f"query '{query.name}' needs parameter '{p.name}' ({p.type})")
    return bound


def run_query(
    store: Store, query: NamedQuery, params: Mapping[str, Any] | None = None
) -> SelectResult | bool | Graph:
    """Run a named query; SELECT gives rows, ASK a bool, CONSTRUCT/DESCRIBE a graph."""
    bindings = bind_params(query, params or {})
    if query.form == "SELECT":
        return store.select(query.text, bindings)
    if query.form == "ASK":
        return store.ask(query.text, bindings)
    return store.construct(query.text, bindings)


def select(
    store: Store, query: NamedQuery, params: Mapping[str, Any] | None = None
) -> SelectResult:
    """Run a named SELECT query."""
    result = run_query(store, query, params)
    if not isinstance(result, SelectResult):
        raise QueryHeaderError(f"{query.path}: expected a SELECT query, found {query.form}")
    return result
