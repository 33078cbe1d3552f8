"""Jinja2 for the HTML pages: one environment per process, autoescaped, and the filters the
templates use (``href`` keeps only http/https links, ``local`` shortens an IRI to its ID).

Every value from the data reaches a page through a ``{{ … }}`` of an autoescaped template, so a
label such as ``<script>…</script>`` is shown as text; nothing is marked safe.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from ..html import href, short_url
from ..namespaces import KGD as _KGD
from .replies import Reply

HTML = "text/html; charset=utf-8"
# the pages load only their own stylesheet and pictures, and send forms only to this server
PAGE_CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
            "frame-ancestors 'none'; base-uri 'none'")
KGD = str(_KGD)
CONFIDENCE_WORDS = {"Confirmed": "confirmed", "SingleSource": "single-source",
                    "Uncertain": "uncertain"}


def local(iri: Any) -> str:
    """An entity's ID from its IRI (``https://w3id.org/kg/id/symantec`` → ``symantec``).

    >>> local("https://w3id.org/kg/id/symantec"), local("urn:x:y")
    ('symantec', 'urn:x:y')
    """
    text = str(iri or "")
    return text[len(KGD):] if text.startswith(KGD) else text


def day(value: Any, precision: str = "day") -> str:
    """A date as precise as it is known (``2012-01-01`` of precision year is ``2012``).

    >>> day("2012-01-01", "year"), day("2014-12-01", "month"), day(None)
    ('2012', '2014-12', '')
    """
    if value in (None, ""):
        return ""
    text = str(value)
    return text[:4] if precision == "year" else text[:7] if precision == "month" else text


def term(iri: Any) -> str:
    """An ontology term's local name, lower-cased when it is a confidence level.

    >>> term("https://w3id.org/kg/ontology#Confirmed"), term("https://w3id.org/kg/ontology#member")
    ('confirmed', 'member')
    """
    text = str(iri or "").rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return CONFIDENCE_WORDS.get(text, text)


def path_part(text: Any) -> str:
    """A value quoted for one path segment of a URL (``/`` too).

    >>> path_part("litigation:a@b c/d")
    'litigation%3Aa%40b%20c%2Fd'
    """
    return quote(str(text), safe="")


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=PackageLoader("kg.server", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(href=href, local=local, seg=path_part, short_url=short_url, day=day,
                       term=term)
    return env


def page(template: str, status: int = 200, **context: Any) -> Reply:
    """A rendered page as a :class:`Reply` with the pages' Content-Security-Policy."""
    body = environment().get_template(template).render(**context)
    return Reply(status, HTML, body.encode(), {"Content-Security-Policy": PAGE_CSP})


def error_page(status: int, message: str) -> Reply:
    """The HTML form of an error: the CLI's message, escaped."""
    return page("error.html", status, title=f"Error {status}", code=status, message=message)
