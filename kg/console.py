"""What a person sees on stderr: one printable line per error, and none of rdflib's noise."""

from __future__ import annotations

import logging
import warnings


class _IllTypedLiteral(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Failed to convert Literal lexical form")


def quiet_rdflib() -> None:
    """An ill-typed literal (``"x"^^xsd:integer``) is data that SHACL reports (sh:datatype),
    not an error: rdflib would print a traceback (a log record) or a warning for each."""
    logger = logging.getLogger("rdflib.term")
    if not any(isinstance(f, _IllTypedLiteral) for f in logger.filters):
        logger.addFilter(_IllTypedLiteral())
    warnings.filterwarnings("ignore", category=UserWarning, module=r"rdflib\.")


def one_line(text: str, limit: int = 2000) -> str:
    """A message on one line of printable text, cut at ``limit`` characters."""
    flat = " ".join(text.split())
    flat = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in flat)
    flat = flat.encode("utf-8", "backslashreplace").decode("utf-8")
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
