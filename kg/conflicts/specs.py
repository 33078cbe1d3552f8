"""Pattern specs: each conflict pattern is its query file plus a short declarative spec.

``queries/conflicts/<pattern>.rq`` finds the chains; ``queries/conflicts/<pattern>.yaml`` says
what its columns mean (which is the conflicted party, its role fact, the link to the plaintiff,
the suit, the counterparty and the counterparty's own fact), what kind of role and counterparty
the pattern has, which family of findings its chains join, and what to do with a role that ended
before the suit was filed. One generic builder (:mod:`kg.conflicts.chains`) reads every spec, so
adding a pattern means adding two files.

Optional keys let a pattern name more of the chain than party, link, suit and counterparty:
``links`` (further sourced edges the chain cites, each a column of fact nodes with the columns
of its two ends, words from the vocabulary or the spec, and where in the chain it stands),
``suit_words`` (the words of the suit's edges for a kind of proceeding or demand), ``verbs``
(the summary's verb for a kind of proceeding or demand) and ``sentence`` (a summary template).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..config import Settings
from ..errors import QueryHeaderError
from ..queries import YAML_LOADER

ROLES = ("membership", "seat", "contribution", "membership-or-contribution")
# co-member: a defendant with its own tie to the body; code: an accused component; body: the
# foundation itself (a proceeding about the party's conduct in it)
COUNTERPARTIES = ("co-member", "code", "body")
LINK_PLACES = ("role", "suit", "counterparty")
BEFORE_FILING = ("drop", "window", "keep", "required")
COLUMNS = ("party", "role", "via", "plaintiff", "suit", "counterparty", "counterparty_role",
           "project")
REQUIRED_COLUMNS = ("party", "plaintiff", "suit", "counterparty")


@dataclass(frozen=True)
class LinkSpec:
    """One further edge of a chain: the fact nodes of column ``fact`` link the node of column
    ``subject`` to the node of column ``object`` (``foundation`` and ``suit`` are columns too).
    ``relation`` is the edge's words (default: the vocabulary's phrase for the fact's kind; a
    ``{}`` in it is the short phrase of the concept in column ``term``, e.g. a role);
    ``at`` places it after the party's role, after the suit's edges, or after the
    counterparty's; a ``required`` link must be present (as of the date asked) for the chain
    to count; ``say``: the summary repeats it as a clause."""

    fact: str
    subject: str
    object: str
    relation: str | None = None
    term: str | None = None
    at: str = "suit"
    required: bool = True
    say: bool = True


@dataclass(frozen=True)
class PatternSpec:
    """What the rows of one pattern query mean."""

    pattern: str
    family: str
    order: int
    columns: dict[str, str]
    role: str
    counterparty: str
    before_filing: str
    where: dict[str, str] = field(default_factory=dict)
    context_where: dict[str, str] | None = None
    consequence: str | None = None
    links: tuple[LinkSpec, ...] = ()
    # kind of proceeding (class local name) → words of its edges and reasons:
    # {plaintiff: "sued (plaintiff in)", defendant: "was brought against (defendant)",
    #  noun: "suit", reason: "sued" (as in "two co-members sued")}
    suit_words: dict[str, dict[str, str]] = field(default_factory=dict)
    verbs: dict[str, str] = field(default_factory=dict)  # kind → the summary's verb
    sentence: str | None = None  # a summary template (see kg.conflicts.wording)
    path: Path | None = None

    @property
    def query(self) -> str:
        return f"conflicts/{self.pattern}"

    def column(self, role: str) -> str | None:
        return self.columns.get(role)


def _choice(path: Path, data: dict[str, Any], key: str, allowed: tuple[str, ...]) -> str:
    value = data.get(key)
    if value not in allowed:
        raise QueryHeaderError(f"{path}: '{key}' must be one of {', '.join(allowed)} "
                               f"(got {value!r})")
    return str(value)


def _links(path: Path, data: Any) -> tuple[LinkSpec, ...]:
    if data is None:
        return ()
    if not isinstance(data, list):
        raise QueryHeaderError(f"{path}: 'links' is a list of mappings")
    out = []
    for item in data:
        if not isinstance(item, dict) or not {"fact", "subject", "object"} <= set(item) \
                or set(item) - {"fact", "subject", "object", "relation", "term", "at", "required",
                                "say"}:
            raise QueryHeaderError(f"{path}: a link has fact, subject, object and optional "
                                   f"relation, at, required, say (got {item!r})")
        at = str(item.get("at", "suit"))
        if at not in LINK_PLACES:
            raise QueryHeaderError(f"{path}: a link's 'at' must be one of "
                                   f"{', '.join(LINK_PLACES)} (got {at!r})")
        relation, term = item.get("relation"), item.get("term")
        out.append(LinkSpec(str(item["fact"]), str(item["subject"]), str(item["object"]),
                            None if relation is None else str(relation),
                            None if term is None else str(term), at,
                            bool(item.get("required", True)), bool(item.get("say", True))))
    return tuple(out)


def _words(path: Path, key: str, data: Any) -> dict[str, Any]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise QueryHeaderError(f"{path}: '{key}' is a mapping from a kind of proceeding")
    return dict(data)


def read_spec(path: Path) -> PatternSpec:
    """One spec file, checked: every key known, every column role one of :data:`COLUMNS`."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    except (OSError, yaml.YAMLError) as exc:
        raise QueryHeaderError(f"{path}: cannot read the pattern spec: {exc}") from exc
    if not isinstance(data, dict):
        raise QueryHeaderError(f"{path}: a pattern spec is a YAML mapping")
    known = {"pattern", "family", "order", "columns", "role", "counterparty", "before_filing",
             "where", "context_where", "consequence", "links", "suit_words", "verbs",
             "sentence"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise QueryHeaderError(f"{path}: unknown key(s) {', '.join(unknown)}")
    columns = data.get("columns") or {}
    bad = sorted(set(columns) - set(COLUMNS))
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if bad or missing:
        raise QueryHeaderError(f"{path}: columns: unknown {bad or 'none'}, missing "
                               f"{missing or 'none'}")
    if data.get("pattern") != path.stem:
        raise QueryHeaderError(f"{path}: 'pattern' must be the file's name ({path.stem!r})")
    return PatternSpec(
        pattern=path.stem, family=str(data.get("family") or path.stem),
        order=int(data.get("order", 100)), columns={k: str(v) for k, v in columns.items()},
        role=_choice(path, data, "role", ROLES),
        counterparty=_choice(path, data, "counterparty", COUNTERPARTIES),
        before_filing=_choice(path, data, "before_filing", BEFORE_FILING),
        where={k: str(v) for k, v in (data.get("where") or {}).items()},
        context_where=None if data.get("context_where") is None else
        {k: str(v) for k, v in data["context_where"].items()},
        consequence=data.get("consequence"), links=_links(path, data.get("links")),
        suit_words={str(k): {str(a): str(b) for a, b in dict(v).items()}
                    for k, v in _words(path, "suit_words", data.get("suit_words")).items()},
        verbs={str(k): str(v) for k, v in _words(path, "verbs", data.get("verbs")).items()},
        sentence=None if data.get("sentence") is None else str(data["sentence"]), path=path,
    )


_CACHE: dict[tuple[str, float, int], PatternSpec] = {}


def load_specs(settings: Settings) -> dict[str, PatternSpec]:
    """Every pattern of the project, in spec order (``queries/conflicts/*.yaml`` that have a
    query beside them), each file read once per version."""
    folder = settings.queries_dir / "conflicts"
    specs = []
    for path in sorted(folder.glob("*.yaml")):
        if not path.with_suffix(".rq").is_file():
            continue  # severity.yaml and other settings
        stat = path.stat()
        key = (str(path), stat.st_mtime, stat.st_size)
        if key not in _CACHE:
            _CACHE[key] = read_spec(path)
        specs.append(_CACHE[key])
    return {s.pattern: s for s in sorted(specs, key=lambda s: (s.order, s.pattern))}


__all__ = ["LinkSpec", "PatternSpec", "load_specs", "read_spec"]
