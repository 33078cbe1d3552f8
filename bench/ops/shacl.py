"""SHACL validation: pySHACL (the oracle), pyshacl-turbo, kg.fastshacl (``fast``: turbo's
native engine given the file's text) and rudof on the whole graph, and kg.sharding's
shard-by-focus-node mode with pySHACL, pyshacl-turbo or the fast engine inside.

``pyshacl`` and ``turbo`` are timed on validation alone (the graph is parsed into rdflib
first, untimed, the way a caller holding an rdflib graph would); ``fast``, rudof and the
sharded mode read the file themselves, so their time includes reading and parsing it. Every
report is saved as sorted plain tuples next to the graph, so that run.py can compare engines
result for result.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from bench.common import FALLBACK_SHAPES, ROOT, timed


def shapes_files(which: str) -> tuple[Path, Path | None]:
    if which == "project" and (ROOT / "ontology" / "kg-shapes.ttl").exists():
        return ROOT / "ontology" / "kg-shapes.ttl", ROOT / "ontology" / "kg.ttl"
    return FALLBACK_SHAPES, None


def turbo_validator(data: Any, shapes: Any, vocabulary: Any) -> Any:
    """pyshacl-turbo with the same options as kg.validation.validate (pySHACL's API)."""
    import pyshacl_turbo

    from kg.validation import ValidationReport, _read_results

    _c, report_graph, _t = pyshacl_turbo.validate(
        data, shacl_graph=shapes, ont_graph=vocabulary, inference="none", advanced=True,
        abort_on_first=False, allow_warnings=True, allow_infos=True)
    return ValidationReport(_read_results(report_graph), len(data))


def _rudof(path: Path, shapes: Path, vocabulary: Path | None) -> list[tuple[Any, ...]]:
    import pyrudof
    from rdflib import Graph

    from kg.validation import _read_results

    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    rudof.read_data(str(path), format=pyrudof.RDFFormat.NTriples)
    if vocabulary is not None:
        rudof.read_data(str(vocabulary), format=pyrudof.RDFFormat.Turtle)
    rudof.read_shacl(str(shapes))
    rudof.validate_shacl()
    text = rudof.serialize_shacl_validation_results(
        format=pyrudof.ResultShaclValidationFormat.Turtle)
    results = _read_results(Graph().parse(data=text, format="turtle"))
    rows = [tuple(r.to_dict().values()) for r in results]
    return sorted(rows, key=lambda row: tuple("" if x is None else x for x in row))


def run(engine: str, path: Path, which: str, repeat: int, shard_size: int,
        first_shards: int | None = None) -> dict[str, Any]:
    from rdflib import Graph

    from kg.sharding import report_key, validate_sharded
    from kg.validation import validate

    shapes_path, vocab_path = shapes_files(which)
    shapes = Graph().parse(shapes_path)
    vocabulary = Graph().parse(vocab_path) if vocab_path else None
    if engine in ("pyshacl", "turbo"):
        data = Graph().parse(path, format="nt")
        fn = validate if engine == "pyshacl" else None

        def once() -> list[tuple[Any, ...]]:
            if fn is not None:
                return report_key(fn(data, shapes=shapes, vocabulary=vocabulary))
            return report_key(turbo_validator(data, shapes, vocabulary))
    elif engine == "fast":
        from kg.fastshacl import validate_fast

        def once() -> list[tuple[Any, ...]]:
            return report_key(validate_fast(path, shapes=shapes, vocabulary=vocabulary))
    elif engine == "rudof":
        def once() -> list[tuple[Any, ...]]:
            return _rudof(path, shapes_path, vocab_path)
    else:
        from kg.fastshacl import FastValidator

        inner = {"sharded-turbo": turbo_validator,
                 "sharded-fast": FastValidator()}.get(engine)

        def once() -> list[tuple[Any, ...]]:
            report = validate_sharded(path, shapes=shapes, vocabulary=vocabulary,
                                      shard_size=shard_size, validator=inner,
                                      workdir=Path(tempfile.gettempdir()),
                                      first_shards=first_shards)
            return report_key(report)
    times, key = timed(once, repeat)
    out = Path(f"{path}.report-{which}-{engine}.json")
    out.write_text(json.dumps(key), encoding="utf-8")
    return {"times": times, "rows": len(key), "report": out.name, "shapes": shapes_path.name}
