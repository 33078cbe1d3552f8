"""Plain records as pandas DataFrames, with the dtype each column's values call for.

The only module that imports pandas, and only when a frame is asked for: pandas is the
optional ``kg[pandas]`` extra, and ``import kg`` never loads it. A column of dates becomes
``datetime64[s]`` (seconds, so 9999-12-31, the queries' "no date" default, fits), whole
numbers ``Int64`` (an unbound row is ``<NA>``, not a float NaN), decimals and doubles
``Float64``, booleans ``boolean``; text and mixed columns are left as pandas reads them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from .errors import KGError


def require_pandas() -> Any:
    """The pandas module, or a one-line error saying how to install it."""
    try:
        import pandas
    except ImportError:
        raise KGError("DataFrames need pandas: pip install 'kg[pandas]'") from None
    return pandas


def _dtype(values: list[Any]) -> str | None:
    """The dtype for a column of plain values (None: let pandas choose)."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    kinds = {type(v) for v in present}
    if kinds == {date}:
        return "datetime64[s]"
    if kinds == {bool}:
        return "boolean"
    if kinds == {int}:
        return "Int64"
    if kinds <= {int, float, Decimal}:
        return "Float64"
    return None


def to_frame(columns: Sequence[str], records: Sequence[Mapping[str, Any]]) -> Any:
    """A DataFrame with ``columns`` in order, one row per record."""
    pd = require_pandas()
    data: dict[str, Any] = {}
    for column in columns:
        values = [r.get(column) for r in records]
        dtype = _dtype(values)
        if dtype == "Float64":
            values = [None if v is None else float(v) for v in values]
        data[column] = pd.Series(values, dtype=dtype, name=column)
    return pd.DataFrame(data, columns=list(columns))


__all__ = ["require_pandas", "to_frame"]
