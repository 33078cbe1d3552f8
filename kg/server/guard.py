"""The checks that keep the endpoint read-only and offline, on the text of a request.

Two layers, so that neither a regular expression nor one parser is trusted alone:

- A **lexical scan** (:func:`keywords`): the text's ``\\uXXXX`` escapes are expanded first, as
  every SPARQL parser does before parsing (SPARQL 1.1 §19.2), then comments, strings and IRIs
  are skipped and the remaining words are read. ``SERVICE`` anywhere as a word refuses the
  request before it reaches the engine (a false alarm costs a refused query, never a request
  sent out).
- **Parsers** for what the scan cannot say. Oxigraph parses every query it runs and rejects an
  update as a syntax error; such a text is then parsed with rdflib's SPARQL Update grammar
  (:func:`update_operations`), and when it is an update the answer names its operations
  instead of reporting a syntax error.

The store is opened read-only and only ``Store.query`` is ever called, so an update cannot run
even if these checks were wrong; they exist to give the right message.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .replies import Problem

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_TOKEN = re.compile(
    r'''(?P<comment>\#[^\n\r]*)
      | (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""
                  |\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
                  |"(?:[^"\\\n\r]|\\.)*"
                  |'(?:[^'\\\n\r]|\\.)*')
      | (?P<iri><[^<>"{}|^`\\\s]*>)
      | (?P<word>[\w?$:.\-%]+)''',
    re.VERBOSE,
)
UPDATE_VERBS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "ADD", "MOVE", "COPY",
                "WITH")
_OPERATION_NAMES = {
    "InsertData": "INSERT DATA", "DeleteData": "DELETE DATA", "DeleteWhere": "DELETE WHERE",
    "Modify": "DELETE/INSERT", "Load": "LOAD", "Clear": "CLEAR", "Drop": "DROP",
    "Create": "CREATE", "Add": "ADD", "Move": "MOVE", "Copy": "COPY",
}
SERVICE_REFUSED = (
    "SERVICE is refused: kg serve answers from its own store only and never sends a request "
    "to another endpoint"
)
READ_ONLY = "kg serve is read-only: SPARQL Update is refused"


def expand_escapes(text: str) -> str:
    r"""The text with ``\uXXXX`` and ``\UXXXXXXXX`` escapes replaced by their characters.

    >>> expand_escapes(r"\u0053ERVICE")
    'SERVICE'
    """
    def char(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF else m.group(0)

    return _ESCAPE.sub(char, text)


@lru_cache(maxsize=512)
def keywords(text: str) -> frozenset[str]:
    """The upper-cased bare words of a SPARQL text, outside comments, strings and IRIs
    (prefixed names and variables are words with a ``:``, ``?`` or ``$`` and never match a
    keyword).

    >>> sorted(keywords('SELECT ?s { ?service <urn:SERVICE> "SERVICE" } # SERVICE'))
    ['?S', '?SERVICE', 'SELECT']
    """
    return frozenset(
        m.group().rstrip(".").upper()
        for m in _TOKEN.finditer(expand_escapes(text))
        if m.lastgroup == "word"
    )


def refuse_service(text: str) -> None:
    """Raise 403 when the text holds the SERVICE keyword anywhere."""
    if "SERVICE" in keywords(text):
        raise Problem(403, SERVICE_REFUSED)


def has_dataset_clause(text: str) -> bool:
    """True when the query names its own dataset (``FROM`` / ``FROM NAMED``)."""
    return "FROM" in keywords(text)


@lru_cache(maxsize=256)
def update_operations(text: str) -> tuple[str, ...] | None:
    """The operations of ``text`` if it parses as SPARQL Update (``None`` if it does not).
    rdflib's grammar takes 0.1–0.3 s per text, so the answers are kept."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parsed = parseUpdate(text)
    except (ParseException, ValueError, TypeError):
        return None
    names = tuple(_OPERATION_NAMES.get(op.name, op.name.upper()) for op in parsed.request)
    return names or None


def _first_verb(text: str) -> str | None:
    """The first word after the prologue (PREFIX and BASE declarations), if an update verb."""
    body = expand_escapes(text)
    body = re.sub(r"(?is)^\s*(?:(?:#[^\n]*\n)|(?:PREFIX\s+[^\s:]*:\s*<[^>]*>)|(?:BASE\s*<[^>]*>)"
                  r"|\s)*", "", body)
    m = re.match(r"[A-Za-z]+", body)
    word = m.group().upper() if m else None
    return word if word in UPDATE_VERBS else None


def syntax_problem(text: str, message: str) -> Problem:
    """The answer to a text the query parser rejected: 403 for an update, else 400."""
    operations = update_operations(text)
    if operations:
        return Problem(403, f"{READ_ONLY} (this request holds {', '.join(operations)})")
    verb = _first_verb(text)
    if verb:
        return Problem(403, f"{READ_ONLY} (this request starts with {verb})")
    first = " ".join(message.split())
    return Problem(400, f"malformed query: {first}")
