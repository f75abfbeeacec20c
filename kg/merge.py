"""Merging facts across articles: one fact per real event, statement or role, with all its sources.

- Events: records that agree on type family, participants (at least two shared, or the only
  one), time (overlapping spans; unknown fits all) and status are one event. Candidates are
  blocked by participant pairs, so merging stays near-linear. The representative values are
  the majority of independent articles; the others are kept as `Disagreement`s.
- Statements: one speaker's quotes whose words overlap (Jaccard, candidates from MinHash LSH).
- Roles: same person, normalised title and `of` (a role without `of` joins the only match).
- Near-copies of articles (rewritten or translated) are found by MinHash LSH over word
  bigrams and recorded as `Duplicate`s; a fact's `confidence` counts a copy once with its
  original.
- Undated articles: the date that makes their relative time expressions reproduce the dates
  dated articles give the same events is inferred, and their relative times re-resolved.
"""

from __future__ import annotations

import calendar
import hashlib
import re
import unicodedata
import zlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cache
from itertools import combinations, pairwise

from datasketch import MinHash, MinHashLSH
from networkx.utils import UnionFind

from kg.extract.timex import resolve as resolve_time
from kg.model import (
    Article,
    ArticleFacts,
    Corpus,
    Disagreement,
    Duplicate,
    Entity,
    Event,
    Fact,
    Role,
    Statement,
    TimeExpr,
)
from kg.resolve import EntityMap

Resolver = Callable[..., TimeExpr]
"""``resolve(text, article_date, future=...)``: normalises a time expression's text against an
ISO article date; `future` when the clause speaks of the future (`kg.extract.timex.resolve`)."""

INTERACTIONS = frozenset({"Meeting", "PhoneCall", "VideoCall"})
"""Event types that sources may use for one and the same contact (then the type is disputed)."""
STATUS_GROUPS = {"happened": "real", "planned": "real", "negated": "negated", "speculative": "speculative"}
"""Statuses that can describe the same event (reported before or after it happened)."""
AGENT_ROLES = ("visitor", "issuer")
"""Roles that must not differ between two reports of one event."""
DUPLICATE_JACCARD = 0.25
"""Word-bigram Jaccard from which two articles are copies (independent reports of one story
score below 0.1; a copy with a third of its words replaced about 0.45)."""
QUOTE_JACCARD = 0.45
"""Word Jaccard from which two quotes of one speaker are the same statement."""
LSH_SLACK = 0.7
"""MinHash LSH finds candidates from this share of the exact threshold, so that few pairs are missed."""
NUM_PERM = 128
DUPLICATE_BANDS = (42, 3)
"""MinHash LSH bands and rows for near-copies: two articles are candidates with probability 0.98 at a
word-bigram Jaccard of 0.45 (a copy with a third of its words replaced), 0.48 at 0.25, 0.04 at 0.1 and
0.005 at 0.05 (independent reports), so a new article is compared with few stored ones."""
EXACT_PAIRS = 64
"""Up to this many sets, similar pairs are found by comparing every pair (exact, and faster than LSH)."""
DATE_SLACK_DAYS = 1
"""Two articles that date one event this many days apart disagree on its date (more: two events)."""
TITLE_WORDS = {f"{stem}{g}": f"{stem}person" for stem in ("spokes", "chair") for g in ("man", "woman")}
"""Title words that name the same office (``spokesman``, ``spokeswoman`` -> ``spokesperson``)."""
SEARCH_DAYS = 30
"""How far around a known event date an undated article's date is searched."""

Record = Event | Statement | Role
Origin = dict[str, str]
"""Article id -> id of the article it is a copy of (absent when it is an original)."""


def fact_id(kind: str, *parts: str) -> str:
    """A stable id for a fact from its kind and identifying parts."""
    digest = hashlib.sha1("\x1f".join((kind, *parts)).encode()).hexdigest()[:16]  # noqa: S324
    return f"{kind}-{digest}"


# --- records with corpus ids --------------------------------------------------------------


def _remap(record: Record, article: str, mapping: EntityMap) -> Record:
    """The record with article-local entity keys replaced by corpus entity ids."""

    def m(key: str | None) -> str | None:
        return mapping.get((article, key)) if key else None

    if isinstance(record, Event):
        return replace(
            record,
            participants=[p for p in (m(k) for k in record.participants) if p],
            location=m(record.location),
            roles={r: [p for p in (m(k) for k in ks) if p] for r, ks in record.roles.items()},
        )
    if isinstance(record, Statement):
        return replace(
            record, speaker=m(record.speaker) or record.speaker, about=[p for p in (m(k) for k in record.about) if p]
        )
    return replace(record, person=m(record.person) or record.person, of=m(record.of))


def _order(record: Record) -> tuple:
    """A total order on records that does not depend on input order."""
    ev = record.evidence
    return ev.article, ev.start, ev.end, repr(record)


def _remapped(records: list[ArticleFacts], mapping: EntityMap, kind: str) -> list[Record]:
    """All records of one kind (``events``, ``statements``, ``roles``) with corpus ids, in canonical order."""
    out = [_remap(r, f.article.id, mapping) for f in records for r in getattr(f, kind)]
    return sorted(out, key=_order)


# --- time spans ----------------------------------------------------------------------------


@cache
def _bounds(iso: str) -> tuple[date, date]:
    """First and last day of an ISO date of day, month or year precision."""
    parts = [int(p) for p in iso.split("-")]
    if len(parts) == 3:
        return date(*parts), date(*parts)
    if len(parts) == 2:
        return date(parts[0], parts[1], 1), date(parts[0], parts[1], calendar.monthrange(*parts)[1])
    return date(parts[0], 1, 1), date(parts[0], 12, 31)


def _span(time: TimeExpr | None) -> tuple[date, date] | None:
    """The days a time expression covers, or None when it is unresolved (or malformed).

    A time without text was inferred from the article's date and the mention's tense (an undated
    "the leaders met" in an article of 14 March: March); it bounds the event rather than dates it,
    so it also admits the day before (a report of the morning after).
    """
    if time is None or not time.start:
        return None
    try:
        first, last = _bounds(time.start)[0], _bounds(time.end or time.start)[1]
    except (ValueError, TypeError):
        return None
    return (first - timedelta(days=DATE_SLACK_DAYS), last) if inferred(time) else (first, last)


def inferred(time: TimeExpr | None) -> bool:
    """True for a time the extractor inferred from the article's date (it has no text of its own)."""
    return time is not None and bool(time.start) and not time.text


def unplaced(time: TimeExpr | None) -> bool:
    """True for a time the text gives that no article date resolves (a relative time of an undated article)."""
    return time is not None and bool(time.text) and _span(time) is None


def could_report(event: Event, span: tuple[date, date] | None, resolve: Resolver) -> bool:
    """Whether an unplaced time could name days of `span` in an article written near them: within
    `SEARCH_DAYS` after them for the past ("on Friday" fits any Friday), before them for plans;
    "in February last year" cannot report a 2015 event in any such article."""
    if span is None:
        return True
    future = _future(event)
    first, last = (
        (span[0] - timedelta(days=SEARCH_DAYS), span[1]) if future else (span[0], span[1] + timedelta(days=SEARCH_DAYS))
    )
    for offset in range((last - first).days + 1):
        found = _span(resolve(event.time.text, (first + timedelta(days=offset)).isoformat(), future=future))
        if found and found[0] <= span[1] and span[0] <= found[1]:
            return True
    return False


def _precision(time: TimeExpr | None) -> tuple[int, bool]:
    """How precise a resolved time is: (number of ISO date parts, is a range); an inferred time
    ranks below any the text gives, so a told date represents the event and clusters first."""
    if _span(time) is None or inferred(time):
        return 0, False
    return time.start.count("-") + 1, time.end is not None


def _times_agree(a: TimeExpr | None, b: TimeExpr | None) -> bool:
    """True when the times overlap (one may refine the other) or either is unknown."""
    sa, sb = _span(a), _span(b)
    return sa is None or sb is None or (sa[0] <= sb[1] and sb[0] <= sa[1])


def _time_value(time: TimeExpr | None) -> str | None:
    """A resolved time as text: ``2023-03-20`` or the interval ``2023-03-20/2023-03-22``."""
    if _span(time) is None:
        return None
    return f"{time.start}/{time.end}" if time.end else time.start


# --- near-duplicate articles ----------------------------------------------------------------


def _words(text: str) -> list[str]:
    """Casefolded word tokens without accents."""
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.findall(r"\w+", text.casefold())


def shingles_of(text: str) -> set[int]:
    """The word bigrams of a text (what near-copies share), each as a 32-bit hash, so an index can keep them."""
    return {zlib.crc32(f"{a} {b}".encode()) for a, b in pairwise(_words(text))}


def _jaccard(a: set[str] | frozenset[str], b: set[str] | frozenset[str]) -> float:
    """Jaccard similarity of two sets (0 when both are empty)."""
    return len(a & b) / len(a | b) if a or b else 0.0


@cache
def _lsh_params(threshold: float) -> tuple[int, int]:
    """MinHash LSH (bands, rows) for `threshold`, computed once: datasketch integrates to find them."""
    lsh = MinHashLSH(threshold=threshold * LSH_SLACK, num_perm=NUM_PERM)
    return lsh.b, lsh.r


def _similar_pairs(sets: list[set[str]] | list[frozenset[str]], threshold: float) -> Iterable[tuple[int, int]]:
    """Index pairs (i < j) of sets whose Jaccard is at least `threshold`.

    Up to `EXACT_PAIRS` sets every pair is compared; beyond, candidates come from MinHash LSH.
    """
    if len(sets) <= EXACT_PAIRS:
        candidates = [range(len(sets)) if s else () for s in sets]
    else:
        hashes = MinHash.bulk([[s.encode() for s in items] for items in sets], num_perm=NUM_PERM)
        lsh = MinHashLSH(num_perm=NUM_PERM, params=_lsh_params(threshold))
        for i, h in enumerate(hashes):
            if sets[i]:
                lsh.insert(i, h)
        candidates = [sorted(lsh.query(h)) if sets[i] else () for i, h in enumerate(hashes)]
    for i, found in enumerate(candidates):
        for j in found:
            if j > i and sets[j] and _jaccard(sets[i], sets[j]) >= threshold:
                yield i, j


def article_bands(shingle_sets: list[set[int]]) -> list[list[str]]:
    """The MinHash LSH band keys of each set of shingles (none for an empty set).

    Two articles that share a band key are candidate near-copies; the bands depend on the article
    alone, so a persisted index of them finds the same candidates as the whole corpus at once.
    """
    bands, rows = DUPLICATE_BANDS
    hashes = MinHash.bulk([[s.to_bytes(4) for s in items] for items in shingle_sets], num_perm=bands * rows)
    return [
        [
            f"{i}-{hashlib.blake2b(h.hashvalues[i * rows : (i + 1) * rows].tobytes(), digest_size=8).hexdigest()}"
            for i in range(bands)
        ]
        if items
        else []
        for items, h in zip(shingle_sets, hashes, strict=True)
    ]


def is_copy(a: set[int], b: set[int], threshold: float = DUPLICATE_JACCARD) -> bool:
    """Whether two candidate articles' shingle sets are similar enough to be near-copies."""
    return bool(a and b) and _jaccard(a, b) >= threshold


def copies_in(group: list[Article], shingles: list[set[int]]) -> list[Duplicate]:
    """The near-copies of one group of connected articles, each pointing at the group's original.

    The original is the earliest dated article of the group (then the lowest id); `similarity` is
    the word-bigram Jaccard of the copy and that original.
    """
    first = min(range(len(group)), key=lambda i: (group[i].date or "9999", group[i].id))
    return [
        Duplicate(a.id, group[first].id, round(_jaccard(shingles[i], shingles[first]), 3))
        for i, a in enumerate(group)
        if i != first
    ]


def copy_groups(bands: list[list[str]], shingles: list[set[int]]) -> list[list[int]]:
    """Groups (sorted indexes) of articles connected by candidate pairs that are near-copies."""
    by_band: dict[str, list[int]] = {}
    for i, keys in enumerate(bands):
        for key in keys:
            by_band.setdefault(key, []).append(i)
    groups = UnionFind(range(len(bands)))
    for members in by_band.values():
        for i, j in combinations(members, 2):
            if groups[i] != groups[j] and is_copy(shingles[i], shingles[j]):
                groups.union(i, j)
    return sorted(sorted(g) for g in groups.to_sets())


def find_duplicates(articles: list[Article]) -> list[Duplicate]:
    """Near-copies among `articles` (word-bigram Jaccard of at least `DUPLICATE_JACCARD` between
    articles that share a MinHash LSH band, transitively), each pointing at its group's original."""
    arts = sorted(articles, key=lambda a: a.id)
    shingles = [shingles_of(a.text) for a in arts]
    out = []
    for group in copy_groups(article_bands(shingles), shingles):
        out += copies_in([arts[i] for i in group], [shingles[i] for i in group])
    return sorted(out, key=lambda d: d.article)


def _independent(articles: Iterable[str], origin: Origin) -> set[str]:
    """The original articles behind `articles` (a copy counts as its original)."""
    return {origin.get(a, a) for a in articles}


# --- clustering events ----------------------------------------------------------------------


@dataclass
class _Cluster:
    """Reports of one event, with what a new report is checked against in constant time."""

    members: list[Event] = field(default_factory=list)
    people: set[str] = field(default_factory=set)
    status: str = ""
    latest_start: date = date.min
    earliest_end: date = date.max
    triggers: set[str] = field(default_factory=set)
    agents: dict[str, list[set[str]]] = field(default_factory=dict)
    articles: set[str] = field(default_factory=set)
    types: set[str] = field(default_factory=set)

    def admits(self, event: Event, span: tuple[date, date] | None, agents: dict[str, set[str]]) -> bool:
        """Whether a report fits every member: status group, overlapping time (unknown fits all),
        the same trigger for `Other` events, and shared agents (`AGENT_ROLES`) where both name them; never
        a second report of an article (its extractor already merged the mentions of one event)."""
        if STATUS_GROUPS[event.status] != self.status or event.evidence.article in self.articles:
            return False
        if span is not None and (span[0] > self.earliest_end or self.latest_start > span[1]):
            return False
        if event.trigger and not self.triggers <= {event.trigger.casefold()} and event.type == "Other":
            return False
        return all(ids & other for role, ids in agents.items() for other in self.agents.get(role, ()))

    @property
    def span(self) -> tuple[date, date] | None:
        """The days every dated member allows, None when no member is dated."""
        return None if self.latest_start == date.min else (self.latest_start, self.earliest_end)

    def add(self, event: Event, people: set[str], agents: dict[str, set[str]]) -> None:
        """Add a report."""
        self.status = STATUS_GROUPS[event.status]
        self.members.append(event)
        self.people |= people
        self.articles.add(event.evidence.article)
        self.types.add(event.type)
        if span := _span(event.time):
            self.latest_start, self.earliest_end = max(self.latest_start, span[0]), min(self.earliest_end, span[1])
        if event.trigger:
            self.triggers.add(event.trigger.casefold())
        for role, ids in agents.items():
            self.agents.setdefault(role, []).append(ids)


@dataclass
class _Blocks:
    """Event clusters indexed by blocking key and month, for candidate lookup.

    A cluster is indexed under its members' participant pairs (the participant of a
    one-participant member), and under ``("anyone", family, person)`` for one-participant
    reports; each key both with every month the member's time covers and without a month.
    """

    clusters: list[_Cluster] = field(default_factory=list)
    timed: dict[tuple, set[int]] = field(default_factory=dict)
    untimed: dict[tuple, set[int]] = field(default_factory=dict)

    def add(self, event: Event, people: set[str], agents: dict[str, set[str]], index: int | None) -> None:
        """Put `event` into cluster `index` (a new cluster when None)."""
        if index is None:
            index = len(self.clusters)
            self.clusters.append(_Cluster())
        self.clusters[index].add(event, people, agents)
        family = _family(event.type)
        for key in [*_pair_keys(family, people), *(("anyone", family, p) for p in people)]:
            self.untimed.setdefault(key, set()).add(index)
            for month in _months(_span(event.time)):
                self.timed.setdefault((key, month), set()).add(index)

    def candidates(self, event: Event, people: set[str], span: tuple[date, date] | None) -> set[int]:
        """Clusters with a member that shares enough participants with `event` and may overlap `span`."""
        family = _family(event.type)
        if len(people) == 1:
            keys = [("anyone", family, *people)]
        else:
            keys = [*_pair_keys(family, people), *((family, p) for p in people)]
        if span is None:
            return set().union(*(self.untimed.get(k, ()) for k in keys))
        months = [*_months(span), None, "*"]
        return set().union(*(self.timed.get((k, m), ()) for k in keys for m in months))


def _months(span: tuple[date, date] | None) -> list[str | None]:
    """The months (``2023-03``) a span covers; ``*`` for spans over two years, None when unknown."""
    if span is None:
        return [None]
    first, last = span[0].year * 12 + span[0].month - 1, span[1].year * 12 + span[1].month - 1
    if last - first > 24:
        return ["*"]
    return [f"{m // 12:04d}-{m % 12 + 1:02d}" for m in range(first, last + 1)]


def _family(kind: str) -> str:
    """The type family: the interaction types form one, every other type its own."""
    return "interaction" if kind in INTERACTIONS else kind


def _pair_keys(family: str, people: set[str]) -> list[tuple]:
    """Blocking keys: every pair of participants, or the single participant."""
    if len(people) == 1:
        return [(family, *people)]
    return [(family, *pair) for pair in combinations(sorted(people), 2)]


def _people(ids: Iterable[str], stands_for: dict[str, str]) -> set[str]:
    """Entity ids with a capital used as an actor replaced by its state."""
    return {stands_for.get(i, i) for i in ids}


def _agents(event: Event, stands_for: dict[str, str]) -> dict[str, set[str]]:
    """The report's actors in `AGENT_ROLES` (visitor, issuer) that it names."""
    return {r: _people(event.roles[r], stands_for) for r in AGENT_ROLES if event.roles.get(r)}


def event_keys(event: Event, stands_for: dict[str, str]) -> tuple[list[str], list[str], list[str]]:
    """Where an incremental merge files a report, what it looks up, and the months it may match.

    A superset of the candidates `cluster_events` considers (`_Blocks`): two reports of one type
    family can meet in a cluster only if they share a participant pair, or one has a single
    participant that the other names, and their months (of the span widened by `DATE_SLACK_DAYS`
    for day-precise dates) overlap; ``none`` (unknown time) and ``*`` (over two years) match any month.

    Returns:
        The keys the report is filed under, the keys it looks up, and its month tokens.
    """
    family, people = _family(event.type), sorted(_people(event.participants, stands_for))
    persons = [f"person:{family}:{p}" for p in people]
    if not people:
        filed = looked_up = [f"nobody:{family}"]
    elif len(people) == 1:
        single = [f"single:{family}:{people[0]}"]
        filed, looked_up = single + persons, persons
    else:
        pairs = [f"pair:{family}:{a}:{b}" for a, b in combinations(people, 2)]
        filed, looked_up = pairs + persons, pairs + [f"single:{family}:{p}" for p in people]
    span = _span(event.time)
    if span is not None and _precision(event.time)[0] == 3:
        slack = timedelta(days=DATE_SLACK_DAYS)
        span = (span[0] - slack, span[1] + slack)
    return filed, looked_up, [m or "none" for m in _months(span)]


def months_meet(a: Iterable[str], b: Iterable[str]) -> bool:
    """Whether two reports' month tokens (`event_keys`) may overlap."""
    a, b = set(a), set(b)
    return bool(a & b) or bool((a | b) & {"none", "*"})


def _near_dates(blocks: _Blocks, event: Event, people: set[str], agents: dict[str, set[str]]) -> list[int]:
    """Clusters that fit a day-precise report but for a date `DATE_SLACK_DAYS` apart.

    They must have its exact type, share two participants and hold no report of its article
    (one article giving two dates reports two events); the date is then disputed.
    """
    if _precision(event.time)[0] < 3:
        return []
    span, slack = _span(event.time), timedelta(days=DATE_SLACK_DAYS)
    wide = (span[0] - slack, span[1] + slack)
    return [
        i
        for i in blocks.candidates(event, people, wide)
        if (c := blocks.clusters[i]).admits(event, wide, agents)
        and event.type in c.types
        and event.evidence.article not in c.articles
        and len(people & c.people) >= 2
    ]


def cluster_events(
    events: list[Event], stands_for: dict[str, str], resolve: Resolver | None = None
) -> list[list[Event]]:
    """Group reports of the same event; the most precisely dated are placed first.

    Each report joins the compatible cluster sharing most participants with it (then the
    largest, then the oldest); a report must be compatible with every member, so an undated
    report cannot chain two different dates together. With `resolve` (once undated articles'
    dates are settled), a time still unplaced ("in February last year" of an article whose
    date could not be inferred) joins a dated cluster only if it `could_report` its dates.
    """
    blocks = _Blocks()
    for event in sorted(events, key=lambda e: (tuple(-x for x in _precision(e.time)), _order(e))):
        people = _people(event.participants, stands_for)
        span, agents = _span(event.time), _agents(event, stands_for)
        fits = [i for i in blocks.candidates(event, people, span) if blocks.clusters[i].admits(event, span, agents)]
        if resolve is not None and unplaced(event.time):
            fits = [i for i in fits if could_report(event, blocks.clusters[i].span, resolve)]
        fits = fits or _near_dates(blocks, event, people, agents)
        best = max(
            fits,
            key=lambda i: (len(people & blocks.clusters[i].people), len(blocks.clusters[i].members), -i),
            default=None,
        )
        blocks.add(event, people, agents, best)
    return [sorted(c.members, key=_order) for c in blocks.clusters]


# --- representative values and disagreements --------------------------------------------------


def _ballot(members: Iterable[Record], value_of: Callable[[Record], str | None]) -> dict[str, list[str]]:
    """Value -> sorted ids of the articles giving it; members without a value abstain."""
    out: dict[str, set[str]] = {}
    for m in members:
        if (value := value_of(m)) is not None:
            out.setdefault(value, set()).add(m.evidence.article)
    return {v: sorted(a) for v, a in sorted(out.items())}


def _winner(ballot: dict[str, list[str]], origin: Origin) -> str | None:
    """The value most independent articles give; ties go to the value of the earliest article id."""
    return min(ballot, key=lambda v: (-len(_independent(ballot[v], origin)), ballot[v][0], v), default=None)


def _best_time(members: list[Record], origin: Origin) -> TimeExpr | None:
    """The resolved time most sources agree with, the most precise on a tie; else the first unresolved one."""
    known = [m for m in members if _span(m.time)]
    if not known:
        return next((m.time for m in members if m.time), None)

    def rank(m: Record) -> tuple:
        support = _independent((x.evidence.article for x in known if _times_agree(m.time, x.time)), origin)
        return -len(support), tuple(-x for x in _precision(m.time)), _order(m)

    return min(known, key=rank).time


def _union(lists: Iterable[list[str]], stands_for: dict[str, str]) -> list[str]:
    """Ids of all lists in first-seen order, without two that stand for the same actor."""
    seen: set[str] = set()
    out = []
    for ids in lists:
        for i in ids:
            if stands_for.get(i, i) not in seen:
                seen.add(stands_for.get(i, i))
                out.append(i)
    return out


SIDES = ("visitor", "host")
"""Roles no actor holds both of in one event."""


def _side(member: Event, actor: str, stands_for: dict[str, str]) -> str | None:
    """The one side a report gives `actor`, or None when it gives none or both."""
    sides = [r for r in SIDES if actor in {stands_for.get(i, i) for i in member.roles.get(r, [])}]
    return sides[0] if len(sides) == 1 else None


def _merge_roles(ordered: list[Event], origin: Origin, stands_for: dict[str, str]) -> dict[str, list[str]]:
    """Each role's actors across the reports; an actor given both sides keeps the one most sources give."""
    roles = {
        r: _union((m.roles.get(r, []) for m in ordered), stands_for)
        for r in sorted({r for m in ordered for r in m.roles})
    }
    for role in SIDES:
        for i in list(roles.get(role, [])):
            actor = stands_for.get(i, i)
            side = _winner(_ballot(ordered, lambda m, a=actor: _side(m, a, stands_for)), origin)
            if side not in (None, role):
                roles[role].remove(i)
    return {r: ids for r, ids in roles.items() if ids}


def _disputes(members: list[Event], stands_for: dict[str, str]) -> list[Disagreement]:
    """Attributes on which the reports of one event differ: type, date, location and details."""
    ballots = {
        "type": _ballot(members, lambda m: m.type),
        "location": _ballot(members, lambda m: stands_for.get(m.location, m.location) if m.location else None),
        **{
            f"details.{k}": _ballot(members, lambda m, k=k: m.details.get(k))
            for k in sorted({k for m in members for k in m.details})
        },
    }
    times = [m.time for m in members if _span(m.time)]
    if any(not _times_agree(a, b) for a, b in combinations(times, 2)):
        ballots["date"] = _ballot(members, lambda m: _time_value(m.time))
    return [Disagreement(attr.removeprefix("details."), values) for attr, values in ballots.items() if len(values) > 1]


def merge_event(members: list[Event], origin: Origin, stands_for: dict[str, str]) -> tuple[Event, list[Disagreement]]:
    """The representative record of one event's reports, and where the reports disagree."""
    kind = _winner(_ballot(members, lambda m: m.type), origin)
    rep = next(m for m in members if m.type == kind)
    ordered = [rep, *(m for m in members if m is not rep)]
    detail_keys = sorted({k for m in members for k in m.details})
    record = replace(
        rep,
        time=_best_time(ordered, origin),
        status=_winner(_ballot(members, lambda m: m.status), origin),
        location=_winner(_ballot(members, lambda m: m.location), origin),
        participants=_union((m.participants for m in ordered), stands_for),
        roles=_merge_roles(ordered, origin, stands_for),
        details={k: _winner(_ballot(members, lambda m, k=k: m.details.get(k)), origin) for k in detail_keys},
    )
    return record, _disputes(members, stands_for)


# --- statements and roles ---------------------------------------------------------------------


def group_statements(statements: list[Statement]) -> list[list[Statement]]:
    """Group one speaker's quotes whose words overlap (at compatible times) as one statement."""
    by_speaker: dict[str, list[int]] = {}
    for i, s in enumerate(statements):
        by_speaker.setdefault(s.speaker, []).append(i)
    groups = UnionFind(range(len(statements)))
    for idx in (ids for ids in by_speaker.values() if len(ids) > 1):
        words = [frozenset(_words(statements[i].quote)) for i in idx]
        for a, b in _similar_pairs(words, QUOTE_JACCARD):
            if _times_agree(statements[idx[a]].time, statements[idx[b]].time):
                groups.union(idx[a], idx[b])
    return sorted(([statements[i] for i in sorted(g)] for g in groups.to_sets()), key=lambda g: _order(g[0]))


def merge_statement(members: list[Statement], origin: Origin) -> Statement:
    """The representative quote (direct speech first), with the best time and every `about`."""
    rep = min(members, key=lambda s: (not s.direct, _order(s)))
    return replace(rep, time=_best_time(members, origin), about=_union((m.about for m in members), {}))


def _title(text: str) -> str:
    """A role title normalised for comparison (gendered forms as the neutral one)."""
    return " ".join(TITLE_WORDS.get(w, w) for w in _words(text) if w != "the")


def group_roles(roles: list[Role]) -> list[list[Role]]:
    """Group roles by person, normalised title and `of`; one without `of` joins the only match."""
    groups: dict[tuple, list[Role]] = {}
    for role in roles:
        groups.setdefault((role.person, _title(role.title), role.of), []).append(role)
    with_of: dict[tuple, list[tuple]] = {}
    for key in groups:
        if key[2] is not None:
            with_of.setdefault(key[:2], []).append(key)
    for key in [k for k in groups if k[2] is None and len(with_of.get(k[:2], [])) == 1]:
        groups[with_of[key[:2]][0]] += groups.pop(key)
    return [sorted(g, key=_order) for g in groups.values()]


# --- dates of undated articles ------------------------------------------------------------------


def _future(record: Record) -> bool:
    """Whether the record's clause speaks of the future (a planned event), for resolving its time."""
    return isinstance(record, Event) and record.status == "planned"


def _days_reproducing(record: Record, anchor: TimeExpr, resolve: Resolver) -> set[date]:
    """Article dates near `anchor` against which the record's time resolves to exactly the anchor's value."""
    first = _span(anchor)[0]
    days = (first + timedelta(days=k) for k in range(-SEARCH_DAYS, SEARCH_DAYS + 1))
    value = _time_value(anchor)
    return {d for d in days if _time_value(resolve(record.time.text, d.isoformat(), future=_future(record))) == value}


def infer_dates(clusters: list[list[Event]], undated: set[str], resolve: Resolver) -> dict[str, list[date]]:
    """For each undated article, the dates most consistent with the events it shares with others.

    Every other article that dates an event an undated article's report leaves unresolved votes
    for the article dates that make the report resolve to that date (a time inferred from an
    article's own date bounds its event but dates no other article); the dates with the most
    votes win, unless they lie more than `SEARCH_DAYS` apart (conflicting evidence: no date).
    """
    votes: dict[str, Counter[date]] = {}
    for members in clusters:
        for m in members:
            article = m.evidence.article
            if article not in undated or m.time is None or m.time.start or not m.time.text:
                continue
            anchors = {
                x.evidence.article: x.time
                for x in members
                if x.evidence.article != article and _span(x.time) and not inferred(x.time)
            }
            for anchor in anchors.values():
                votes.setdefault(article, Counter()).update(_days_reproducing(m, anchor, resolve))
    best = {a: sorted(d for d, n in c.items() if n == max(c.values())) for a, c in votes.items() if c}
    return {a: days for a, days in best.items() if (days[-1] - days[0]).days <= SEARCH_DAYS}


def _common_prefix(values: set[str | None]) -> str | None:
    """The ISO date all values share (``2023-03`` for ``2023-03-10`` and ``2023-03-17``), if any."""
    if None in values:
        return None
    common = []
    for parts in zip(*(v.split("-") for v in values), strict=False):
        if len(set(parts)) > 1:
            break
        common.append(parts[0])
    return "-".join(common) or None


def reresolve(record: Record, days: list[date], resolve: Resolver) -> TimeExpr:
    """The record's unresolved time resolved against each possible article date: what they all agree on."""
    text = record.time.text
    values = {(t.start, t.end) for t in (resolve(text, d.isoformat(), future=_future(record)) for d in days)}
    if len(values) == 1:
        start, end = values.pop()
        return TimeExpr(text, start, end)
    return TimeExpr(text, _common_prefix({s for s, _ in values}))


def with_dates(records: list[Record], days: dict[str, list[date]], resolve: Resolver) -> list[Record]:
    """Records whose unresolved times in articles of inferred date are resolved against those dates; an
    event the text gives no time is bounded by the inferred date, as the extractor bounds one of a dated
    article (`bounded`)."""
    out = []
    for r in records:
        article_days = days.get(r.evidence.article)
        if article_days and r.time and not r.time.start and r.time.text:
            r = replace(r, time=reresolve(r, article_days, resolve))
        elif article_days and r.time is None and isinstance(r, Event):
            r = replace(r, time=bounded(article_days))
        out.append(r)
    return out


def bounded(days: list[date]) -> TimeExpr | None:
    """The month of an article's possible dates, as an inferred time (no text), when they share one."""
    months = {d.isoformat()[:7] for d in days}
    return TimeExpr("", months.pop()) if len(months) == 1 else None


def infer_article_dates(
    events: list[Event], undated: set[str], stands_for: dict[str, str], resolve: Resolver
) -> dict[str, list[date]]:
    """The possible dates of each undated article whose date the events it shares with others give."""
    if not any(e.evidence.article in undated and e.time and not e.time.start for e in events):
        return {}
    return infer_dates(cluster_events(events, stands_for), undated, resolve)


def date_label(days: list[date]) -> str:
    """One inferred date, or the ISO interval the possible dates span."""
    return days[0].isoformat() if len(days) == 1 else f"{days[0].isoformat()}/{days[-1].isoformat()}"


# --- assembling the corpus ----------------------------------------------------------------------


def _identity(record: Record) -> tuple[str, ...]:
    """What identifies a merged fact, for its id."""
    if isinstance(record, Event):
        t = record.time
        return record.type, *sorted(record.participants), (t and t.start) or "", (t and t.end) or ""
    if isinstance(record, Statement):
        return record.speaker, " ".join(_words(record.quote))
    return record.person, _title(record.title), record.of or ""


Merged = tuple[Record, list[Record], list[Disagreement]]
"""A representative record, the records it merges and where they disagree."""


def facts_with_members(kind: str, merged: list[Merged], origin: Origin) -> list[tuple[Fact, list[Record]]]:
    """Facts with stable ids (the whole record and its sources disambiguate equal identities), each with
    the records it merges, in source order."""
    ids = Counter(fact_id(kind, *_identity(r)) for r, _, _ in merged)
    out = []
    for record, members, disputes in merged:
        sources = sorted(dict.fromkeys(m.evidence for m in members), key=lambda e: (e.article, e.start, e.end))
        fid = fact_id(kind, *_identity(record))
        if ids[fid] > 1:
            fid = fact_id(kind, *_identity(record), repr(record), *(f"{e.article}:{e.start}" for e in sources))
        n = len(_independent((e.article for e in sources), origin))
        out.append((Fact(fid, record, sources, disputes, 1 - 0.5**n), members))
    return sorted(out, key=lambda f: (f[0].sources[0].article, f[0].sources[0].start, f[0].id))


def event_facts(
    events: list[Event], origin: Origin, stands_for: dict[str, str], resolve: Resolver
) -> list[tuple[Fact, list[Record]]]:
    """Merged event facts, each with its reports."""
    merged = []
    for cluster in cluster_events(events, stands_for, resolve):
        record, disputes = merge_event(cluster, origin, stands_for)
        merged.append((record, cluster, disputes))
    return facts_with_members("event", merged, origin)


def statement_facts(statements: list[Statement], origin: Origin) -> list[tuple[Fact, list[Record]]]:
    """Merged statement facts, each with its quotes."""
    return facts_with_members(
        "statement", [(merge_statement(g, origin), g, []) for g in group_statements(statements)], origin
    )


def role_facts(roles: list[Role], origin: Origin) -> list[tuple[Fact, list[Record]]]:
    """Merged role facts (the record naming `of` first), each with its reports."""
    groups = group_roles(roles)
    return facts_with_members(
        "role", [(min(g, key=lambda r: (r.of is None, _order(r))), g, []) for g in groups], origin
    )


def merge_facts(
    records: list[ArticleFacts], entities: list[Entity], mapping: EntityMap, *, resolve: Resolver = resolve_time
) -> Corpus:
    """Assemble the corpus view: entity ids substituted, reports of one fact merged with all their sources.

    Args:
        records: Per-article extractions (any order: the result does not depend on it).
        entities: Corpus entities from `kg.resolve.resolve_entities`.
        mapping: (article id, local key) -> entity id.
        resolve: Time normaliser used to date undated articles (default `kg.extract.timex.resolve`).

    Returns:
        The corpus with merged facts, near-duplicate articles and inferred article dates.
    """
    articles = sorted((f.article for f in records), key=lambda a: a.id)
    duplicates = find_duplicates(articles)
    origin = {d.article: d.copy_of for d in duplicates}
    stands_for = {e.id: e.stands_for for e in entities if e.stands_for}
    undated = {a.id for a in articles if not a.date}
    events = _remapped(records, mapping, "events")
    days = infer_article_dates(events, undated, stands_for, resolve)
    statements = with_dates(_remapped(records, mapping, "statements"), days, resolve)
    roles = _remapped(records, mapping, "roles")
    return Corpus(
        articles,
        entities,
        [f for f, _ in event_facts(with_dates(events, days, resolve), origin, stands_for, resolve)],
        [f for f, _ in statement_facts(statements, origin)],
        [f for f, _ in role_facts(roles, origin)],
        duplicates=duplicates,
        inferred_dates={a: date_label(d) for a, d in sorted(days.items())},
    )
