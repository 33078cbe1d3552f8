"""Read FtM entities from JSON lines (one entity per line, as OpenSanctions and Aleph write
them), checked against FtM's model: JSON, a known schema, valid properties, the schema's
required properties. The first bad line raises an InputError naming the file and line."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..parsing import read_bytes
from ._model import ftm_model, invalid_data_error


@dataclass(frozen=True)
class Entity:
    """One FtM entity and where it was read."""

    path: Path
    line: int
    proxy: Any  # followthemoney's EntityProxy
    datasets: tuple[str, ...]

    @property
    def id(self) -> str:
        return str(self.proxy.id)

    @property
    def schema(self) -> str:
        return str(self.proxy.schema.name)

    def first(self, prop: str) -> str | None:
        values = self.values(prop)
        return values[0] if values else None

    def values(self, prop: str) -> list[str]:
        return [str(v) for v in self.proxy.get(prop, quiet=True)]


def _decode(path: Path) -> str:
    data = read_bytes(path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(path, f"not UTF-8 text (byte {exc.start})", row=line) from exc


def _entity(model: Any, path: Path, line: int, text: str) -> Entity:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(path, f"not JSON ({exc.msg}, column {exc.colno}): an FtM file has "
                               "one JSON object per line", row=line) from exc
    if not isinstance(data, dict) or not isinstance(data.get("schema"), str) \
            or not data.get("id"):
        raise InputError(path, "not an FtM entity: a JSON object with 'id' and 'schema' is "
                               "expected", row=line)
    schema = model.get(data["schema"])
    if schema is None:
        raise InputError(path, f"unknown FtM schema {data['schema']!r}", row=line)
    try:
        proxy = model.get_proxy(data, cleaned=False)
    except invalid_data_error() as exc:
        raise InputError(path, f"not a valid {schema.name} entity: {exc}", row=line) from exc
    missing = [p for p in schema.required if not proxy.get(p, quiet=True)]
    if missing:
        raise InputError(path, f"a {schema.name} needs {', '.join(missing)}", row=line,
                         field=missing[0])
    datasets = data.get("datasets") or ()
    return Entity(path, line, proxy, tuple(str(d) for d in datasets))


def read_entities(path: Path) -> list[Entity]:
    """The entities of a JSON lines file, in file order (blank lines skipped)."""
    model = ftm_model()
    entities = []
    for number, text in enumerate(_decode(path).splitlines(), 1):
        if text.strip():
            entities.append(_entity(model, path, number, text))
    if not entities:
        raise InputError(path, "no FtM entities in the file (one JSON object per line)",
                         row=1)
    return entities
