"""No input reaches the network: SPARQL text that would (``SERVICE``, ``LOAD``) is refused.

kg runs SPARQL from files: the named queries under ``queries/`` and the shapes' SPARQL
constraints (``sh:select``, ``sh:ask``). Both rdflib and Oxigraph evaluate ``SERVICE <url>``
by making an HTTP request, and ``LOAD <url>`` fetches a document; either would let a file kg
was sent reach any host the machine can see. So the keywords are looked for as keywords
(outside comments, strings and IRIs) and the file is refused naming the line.

>>> refuse_remote_sparql('SELECT * { ?s ?p "SERVICE" } # LOAD', where="q.rq")
>>> refuse_remote_sparql("SELECT * {\\n SERVICE <http://h/> { ?s ?p ?o } }", where="q.rq")
Traceback (most recent call last):
...
kg.errors.QueryHeaderError: q.rq:2: SERVICE would query another server over the network: refused
"""

from __future__ import annotations

import re

from .errors import KGError, QueryHeaderError

_TOKEN = re.compile(
    r'''(?P<comment>\#[^\n]*)
      | (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
                  |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
      | (?P<iri><[^<>"{}|^`\\\s]*>)
      | (?P<name>[?$]?[A-Za-z_][\w\-]*(?::[\w\-.]*)?)''',
    re.VERBOSE,
)
REMOTE = {"SERVICE": "query another server", "LOAD": "fetch a document"}


def refuse_remote_sparql(text: str, *, where: str,
                         error: type[KGError] = QueryHeaderError) -> None:
    """Raise ``error`` naming ``where`` and the line when ``text`` uses SERVICE or LOAD."""
    for m in _TOKEN.finditer(text):
        if m.lastgroup != "name":
            continue
        word = m.group().upper()
        if word in REMOTE:
            line = text.count("\n", 0, m.start()) + 1
            raise error(f"{where}:{line}: {word} would {REMOTE[word]} over the network: "
                        "refused")
