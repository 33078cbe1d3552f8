"""The sentences of a finding and of its chains, from the facts as known on the date asked.

Phrases for kinds of fact (``funds``, ``transferred patents with retained rights to``,
``dismissed for lack of standing``) come from the ontology through :mod:`kg.vocabulary`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ..errors import KGError
from ..temporal import Comparison, Interval, date_words, describe_edtf, describe_partial, parse_edtf
from .chains import ChainBuilder, RawChain
from .facts import FactInfo

_ROLE_WORDS = {
    # role: (while ..., after ...'s ... ended, before ... began)
    "membership": ("was a member", "membership", "joined"),
    "seat": ("held its seat", "seat", "took its seat"),
    "contribution": ("was contributing", "contributions", "began contributing"),
    "participation": ("took part", "participation", "began taking part"),
}


def _days(n: int | None, m: int | None) -> str:
    if m is None and n is not None:
        return f"at least {n} day" if n == 1 else f"at least {n} days"  # a bound is open
    if n == m:
        return f"{n} day" if n == 1 else f"{n} days"
    return f"{n}–{m} days"


def role_kind(chain: RawChain, b: ChainBuilder | None = None) -> str:
    if chain.role_fact is None:
        return "contribution"
    if chain.spec.role == "seat":
        return "seat"
    info = None if b is None else b.book.fact(chain.role_fact)
    if info is not None and info.kind not in ("", "Membership"):
        return "participation"  # a tie to the body that is not a membership
    return "membership"


def time_clause(cmp: Comparison, who: str, role: str, *, hypothetical: bool = False) -> str:
    during, span_noun, began = _ROLE_WORDS[role]
    if hypothetical and role == "membership":
        during, began = "would be a member", "would join"
    if cmp.status == "active":
        return f"while {who} {during}"
    if cmp.gap_days is not None:
        span = _days(cmp.gap_days, cmp.max_gap_days)
        if cmp.a_first:
            return f"{span} after {who}'s {span_noun} ended"
        return f"{span} before {who} {began}"
    return f"whether {who} {during} at the time is unknown ({cmp.note})"


def _since(iv: Interval) -> str:
    """`` from Dec 2014`` / `` by December 2014`` (a start known only as a bound) / ``""``."""
    if iv.start_edtf:
        try:
            edtf = parse_edtf(iv.start_edtf)
        except KGError:
            return f" from {iv.start_edtf}"
        if edtf.unknown:
            return ""
        if edtf.is_range or edtf.qualifier:
            words = describe_edtf(iv.start_edtf)
            open_side = edtf.earliest is None or edtf.latest is None
            return f" {words}" if open_side else f" from {words}"
    return "" if iv.start is None else f" from {describe_partial(iv.start, iv.start_precision)}"


def _when(info: FactInfo) -> str:
    start = info.interval.start
    return "" if start is None else f" in {start.year}"


def suit_state(b: ChainBuilder, suits: Sequence[FactInfo], as_of: date | None,
               noun: str = "suit") -> str:
    """``the suit was dismissed for lack of standing 2014-07-28`` / ``3 suits, all pending``;
    empty when every one is a point-in-time fact (a licence demand has no end)."""
    when = f" as of {as_of.isoformat()}" if as_of else ""
    suits = [s for s in suits if s.interval.end is not None
             or not any(b.vocabulary.is_point(t) for t in s.types)]
    if not suits:
        return ""
    if len(suits) == 1:
        iv, info = suits[0].interval, suits[0]
        if iv.end is not None or (iv.end_edtf and iv.status_of_end == "ended"):  # or bounds
            word = b.vocabulary.phrase(info.outcome) if info.outcome else "closed"
            return f"the {noun} was {word} {date_words(iv.end, iv.end_precision, iv.end_edtf)}"
        if iv.status_of_end == "ongoing":
            return f"the {noun} is pending{when}"
        return f"the {noun}'s end is not recorded"
    ended = sorted(s.interval.end for s in suits if s.interval.end is not None)
    pending = sum(1 for s in suits if s.interval.end is None
                  and s.interval.status_of_end == "ongoing")
    parts = []
    if ended:
        span = ended[0].isoformat() if ended[0] == ended[-1] else \
            f"between {ended[0].isoformat()} and {ended[-1].isoformat()}"
        share = f"all {len(suits)}" if len(ended) == len(suits) else \
            f"{len(ended)} of the {len(suits)}"
        parts.append(f"{share} {noun}s ended {span}")
    if pending == len(suits):
        return f"all {len(suits)} {noun}s are pending{when}"
    if pending:
        parts.append(f"{pending} {'is' if pending == 1 else 'are'} pending{when}")
    unknown = len(suits) - len(ended) - pending
    if unknown:
        parts.append(f"{unknown} {'has' if unknown == 1 else 'have'} no recorded end")
    return ", ".join(parts) if parts else f"the {noun}s' ends are not recorded"


def _names(labels: Sequence[str], most: int = 6) -> str:
    shown = list(labels[:most])
    if len(labels) > most:
        shown.append(f"{len(labels) - most} more")
    return ", ".join(shown)


def _party_phrase(b: ChainBuilder, party: str, membership: FactInfo | None) -> str:
    name = b.book.label(party)
    if membership is None:
        return name
    tier = membership.tier or "member"
    noun = "" if tier.lower().endswith(("member", "sponsor")) else " member"
    if membership.kind not in ("", "Membership"):  # a participation: its role, its own noun
        tier = membership.tier or b.vocabulary.phrase(b.kind_iri(membership), short=True,
                                                      default="participant")
        noun = ""
    iv = membership.interval
    if membership.iri == b.book.hypothetical and iv.start is not None:
        return f"{name}, joining as {tier}{noun} on {iv.start.isoformat()},"
    return f"{name} ({tier}{noun}{_since(iv)})"


def _target(b: ChainBuilder, chains: Sequence[RawChain],
            former: bool) -> tuple[list[str], list[str], str]:
    """(co-members, accused components, the words for whom or what was sued)."""
    def of(kind: str) -> list[str]:
        return sorted({c.counterparty for c in chains if c.spec.counterparty == kind},
                      key=b.book.label)
    members, code, bodies = of("co-member"), of("code"), of("body")
    # a counterparty tied to the body only by participations is a participant, never a member
    facts = [b.book.fact(c.counterparty_fact) for c in chains
             if c.spec.counterparty == "co-member" and c.counterparty_fact is not None]
    kinds = {f.kind for f in facts if f is not None}
    noun = "member" if not kinds or kinds == {"Membership"} else \
        "participant" if "Membership" not in kinds else "member or participant"
    fellow = noun if former else f"fellow {noun}"
    targets = []
    if members:
        labels = [b.book.label(m) for m in members]
        targets.append(f"{fellow} {labels[0]}" if len(labels) == 1
                       else f"{len(labels)} {fellow}s ({_names(labels)})")
    if code:
        over = f"the foundation's own code ({_names([b.book.label(c) for c in code])})"
        targets.append(f"over {over}" if members else over)
    if bodies:
        targets.append(_names([b.book.label(c) for c in bodies]))
    return members, code, " ".join(targets)


def _verb(b: ChainBuilder, best: RawChain, suits: Sequence[FactInfo], *,
          over_code: bool) -> str:
    """The spec's verb for the kind of the suits, else the vocabulary's phrase for that kind
    ("sued", "counterclaimed against", "complained to an agency about"), when they are all of
    one kind; a suit over code alone is "sued over", suits of several kinds "sued"."""
    kinds = {s.kind for s in suits}
    if len(kinds) != 1 or not suits[0].kind:
        return "sued over" if over_code else "sued"
    kind = suits[0].kind
    if kind in best.spec.verbs:
        return best.spec.verbs[kind]  # "demanded patent licences from"
    if over_code:
        return "sued over"
    return b.vocabulary.phrase(b.kind_iri(suits[0]), default="sued")


def _said(b: ChainBuilder, chains: Sequence[RawChain]) -> str:
    """The further links the summary repeats: ``; Initech funds Acme``."""
    said = list(dict.fromkeys(
        f"{b.book.label(s)} {r} {b.book.label(o)}" for c in chains for s, r, o in c.said))
    if not said:
        return ""
    more = f" and {len(said) - 6} more" if len(said) > 6 else ""
    return "; " + "; ".join(said[:6]) + more


def summary(b: ChainBuilder, chains: Sequence[RawChain], best: RawChain, *,
            as_of: date | None, hypothetical: bool) -> str:
    """One paragraph: who, through what, sued whom or what, when, and how that stands."""
    party = best.party
    membership = b.book.fact(best.role_fact) if best.role_fact and best.spec.role != "seat" \
        else None
    who = _party_phrase(b, party, membership)
    if membership is None and best.role_fact is None and best.contributions:
        built = sorted({b.book.label(r.component) for r in best.contributions})
        who = f"{who} (a contributor to {', '.join(built[:4])})"
    plaintiffs = sorted({c.plaintiff for c in chains if c.plaintiff != party}, key=b.book.label)
    suits = sorted({c.suit for c in chains})
    infos = [i for i in (b.book.fact(s) for s in suits) if i is not None]
    former = best.spec.family == "former"
    members, code, target = _target(b, chains, former)
    years = sorted({i.interval.start.year for i in infos if i.interval.start is not None})
    filed = "" if not years else (f" in {years[0]}" if years[0] == years[-1]
                                  else f" in {years[0]}–{years[-1]}")
    best_suit = b.book.fact(best.suit)
    verb = _verb(b, best, infos, over_code=bool(code and not members))
    head = f"{who}, a former member," if former else who
    if best.spec.sentence is not None:
        text = _template(b, chains, best.spec.sentence, who=who, head=head, verb=verb,
                         target=target, filed=filed)
    elif plaintiffs:
        via = b.best_via(best.vias)
        link = b.link_words(via) if via is not None else "is tied to"
        names = ", ".join(b.book.label(p) for p in plaintiffs)
        which = "which" if len(plaintiffs) == 1 else "which between them"
        text = f"{head} {link} {names}, {which} {verb} {target}{filed}"
    else:
        text = f"{head} {verb} {target}{filed}"
    text += _said(b, chains)
    label = b.book.label(party)
    clause = time_clause(best.cmp, label, role_kind(best, b), hypothetical=hypothetical)
    noun = best_suit.kind if best_suit is not None else ""
    state = suit_state(b, infos, as_of, best.spec.suit_words.get(noun, {}).get("noun", "suit"))
    text = f"{text}; {state}, {clause}" if state else f"{text}; {clause}"
    joining = sorted({b.book.label(c.counterparty) for c in chains
                      if c.counterparty_fact is not None
                      and c.counterparty_fact == b.book.hypothetical})
    if joining:
        text += f"; {', '.join(joining)} counts only if it joins as planned (hypothetical)"
    consequences = sorted({c.spec.consequence for c in chains if c.spec.consequence})
    if consequences:
        text += "; " + "; ".join(consequences)
    return text + "."


def _template(b: ChainBuilder, chains: Sequence[RawChain], template: str,
              **words: str) -> str:
    """A spec's summary template: ``{who}``, ``{head}``, ``{verb}``, ``{target}``, ``{filed}``,
    ``{foundation}``, and any column a link names (the labels of its nodes)."""
    named: dict[str, set[str]] = {}
    for chain in chains:
        for column, iris in chain.named:
            named.setdefault(column, set()).update(iris)
    values = {column: _names(sorted(b.book.label(i) for i in iris))
              for column, iris in named.items()}
    values["foundation"] = b.book.label(b.foundation)
    values.update(words)
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError) as exc:
        raise ValueError(f"pattern {chains[0].spec.pattern}: bad sentence template "
                         f"{template!r}: {exc}") from exc


def chain_sentence(b: ChainBuilder, chain: RawChain, *, as_of: date | None,
                   hypothetical: bool) -> str:
    """One chain in one sentence (the party, the link, the suit, the counterparty)."""
    return summary(b, [chain], chain, as_of=as_of, hypothetical=hypothetical)


__all__ = ["chain_sentence", "suit_state", "summary", "time_clause"]
