"""Media types the endpoint speaks, and content negotiation on the ``Accept`` header.

Each answer kind has its list of formats, the default first: SPARQL results (SELECT, ASK) in
JSON, XML, CSV and TSV; RDF (CONSTRUCT, DESCRIBE, the service description) in Turtle,
N-Triples, JSON-LD and RDF/XML. A client that accepts none of them gets 406 with the list.
"""

from __future__ import annotations

from dataclasses import dataclass

from .replies import Problem


@dataclass(frozen=True)
class Format:
    """One output format: its key, the media type it is sent as, and the types it answers."""

    key: str
    media_type: str
    aliases: tuple[str, ...] = ()

    @property
    def accepted(self) -> tuple[str, ...]:
        return (self.media_type, *self.aliases)


RESULTS = (
    Format("json", "application/sparql-results+json", ("application/json",)),
    Format("xml", "application/sparql-results+xml", ("application/xml", "text/xml")),
    Format("csv", "text/csv"),
    Format("tsv", "text/tab-separated-values"),
)
RDF = (
    Format("turtle", "text/turtle", ("application/x-turtle", "application/turtle")),
    Format("nt", "application/n-triples", ("text/plain",)),
    Format("jsonld", "application/ld+json", ("application/json",)),
    Format("rdfxml", "application/rdf+xml", ("application/xml", "text/xml")),
)
TABLES = (
    Format("json", "application/json"),
    Format("csv", "text/csv"),
)


def _ranges(accept: str) -> list[tuple[str, float, int]]:
    """``(media range, q, position)`` for each entry of an Accept header."""
    found = []
    for position, item in enumerate(accept.split(",")):
        kind, *params = (part.strip() for part in item.split(";"))
        if not kind:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        found.append((kind.lower(), q, position))
    return found


def _match(kind: str, media_type: str) -> int:
    """How specifically the range ``kind`` matches ``media_type``: 3 exact, 2 ``type/*``,
    1 ``*/*``, 0 not at all."""
    if kind == media_type:
        return 3
    if kind.endswith("/*") and media_type.startswith(kind[:-1]):
        return 2
    return 1 if kind == "*/*" else 0


def negotiate(accept: str | None, offers: tuple[Format, ...]) -> Format:
    """The offer the ``Accept`` header prefers (the first offer when it says nothing).

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", RESULTS).key
    'xml'
    >>> negotiate("*/*", RESULTS).key
    'json'
    """
    if not accept or not accept.strip():
        return offers[0]
    ranges = _ranges(accept)
    best: tuple[float, int, int, int] | None = None
    chosen: Format | None = None
    for order, offer in enumerate(offers):
        for media_type in offer.accepted:
            for kind, q, position in ranges:
                specific = _match(kind, media_type)
                if not specific or q <= 0:
                    continue
                # higher q, then a more specific range, then the client's order, then ours
                score = (q, specific, -position, -order)
                if best is None or score > best:
                    best, chosen = score, offer
    if chosen is None:
        names = ", ".join(o.media_type for o in offers)
        raise Problem(406, f"none of the accepted types ({accept.strip()}) can be sent: "
                           f"ask for one of {names}")
    return chosen


def by_key(key: str, offers: tuple[Format, ...]) -> Format:
    """The offer named ``key`` (a ``format=`` parameter)."""
    for offer in offers:
        if offer.key == key:
            return offer
    names = ", ".join(o.key for o in offers)
    raise Problem(400, f"unknown format {key!r}: choose one of {names}")
