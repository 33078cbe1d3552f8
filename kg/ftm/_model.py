"""The one place that imports ``followthemoney`` (an optional extra: ``pip install 'kg[ftm]'``)."""

from __future__ import annotations

from typing import Any

from ..errors import KGError

INSTALL_HINT = ("FollowTheMoney support needs the followthemoney package: "
                "pip install 'kg[ftm]'")


def ftm_model() -> Any:
    """FtM's schema model (``followthemoney.model``), or a one-line KGError saying how to
    install it."""
    try:
        from followthemoney import model
    except ImportError as exc:
        raise KGError(INSTALL_HINT) from exc
    return model


def invalid_data_error() -> type[Exception]:
    from followthemoney.exc import InvalidData

    return InvalidData


def make_id(*parts: str) -> str:
    """FtM's id of these parts (a SHA-1 of ``kg`` and the parts): stable across exports."""
    from followthemoney.util import make_entity_id

    made = make_entity_id("kg", *parts)
    if made is None:
        raise KGError(f"cannot make an FtM id of {parts!r}")
    return str(made)
