"""Settings: where the project lives and which store answers queries.

The folders ``ontology/``, ``data/`` and ``queries/`` form a *project* that kg is pointed at
(``--root`` or ``KG_ROOT``, else the current directory); they are never found through the
installed package's ``__file__``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import KGError

STORE_KINDS = ("oxigraph", "memory", "rdflib", "sparql")
DEFAULT_STORE = "oxigraph"


@dataclass(frozen=True)
class Settings:
    """Where the project is and how to store it. Build with :meth:`from_env`."""

    root: Path
    store: str = DEFAULT_STORE
    store_path: Path | None = None          # the persistent store (default: build/store)
    endpoint: str | None = None             # SPARQL 1.1 query endpoint for store="sparql"
    update_endpoint: str | None = None
    graph_store_endpoint: str | None = None
    graph: str | None = None                # named graph holding the data on a remote server
    timeout: float = 60.0
    recent_window_days: int = 365
    extra_data: tuple[Path, ...] = field(default_factory=tuple)

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    @classmethod
    def from_env(
        cls,
        root: str | Path | None = None,
        *,
        store: str | None = None,
        endpoint: str | None = None,
        timeout: float | None = None,
        environ: dict[str, str] | None = None,
    ) -> Settings:
        """Arguments first, then ``KG_ROOT``, ``KG_STORE``, ``KG_ENDPOINT``, ``KG_GRAPH``,
        ``KG_WINDOW_DAYS``, ``KG_TIMEOUT`` (seconds a remote store may take to answer one
        request; default 60)."""
        env = os.environ if environ is None else environ
        chosen_root = Path(root or env.get("KG_ROOT") or Path.cwd()).resolve()
        kind = store or env.get("KG_STORE") or DEFAULT_STORE
        url = endpoint or env.get("KG_ENDPOINT")
        if kind not in STORE_KINDS:
            raise KGError(f"unknown store {kind!r}: choose one of {', '.join(STORE_KINDS)}")
        if kind == "sparql" and not url:
            raise KGError("store 'sparql' needs an endpoint URL (--endpoint or KG_ENDPOINT)")
        store_path = env.get("KG_STORE_PATH")
        window = env.get("KG_WINDOW_DAYS")
        if window is not None and not window.strip().isdigit():
            raise KGError(f"KG_WINDOW_DAYS must be a number of days (got {window!r})")
        seconds = timeout if timeout is not None else _seconds(env.get("KG_TIMEOUT"))
        return cls(
            root=chosen_root,
            store=kind,
            store_path=Path(store_path) if store_path else None,
            endpoint=url,
            update_endpoint=env.get("KG_UPDATE_ENDPOINT"),
            graph_store_endpoint=env.get("KG_GSP_ENDPOINT"),
            graph=env.get("KG_GRAPH"),
            recent_window_days=int(window) if window is not None else 365,
            timeout=seconds,
        )

    def with_store(self, store: str, **changes: object) -> Settings:
        """A copy that uses another backend."""
        return replace(self, store=store, **changes)  # type: ignore[arg-type]


def _seconds(raw: str | None) -> float:
    """``KG_TIMEOUT``: a positive number of seconds (default 60)."""
    if raw is None or not raw.strip():
        return 60.0
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not 0 < value < 1e9:  # also refuses nan and inf
        raise KGError(f"KG_TIMEOUT={raw!r}: not a positive number of seconds")
    return value
