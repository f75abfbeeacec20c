"""Time expressions: find them in a sentence and normalise them against the article's date.

`resolve` turns one expression's text into ISO dates with the precision the text
gives (``2023-03-20``, ``2023-03``, ``2023``); `find_time` picks the expression of a
sentence or clause (spaCy DATE entities). Relative expressions ("on Thursday",
"last month", "next week") need the article's date and stay unresolved without it;
absolute ones ("20 March 2023", "2019") resolve on their own.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import cache, lru_cache

from spacy.tokens import Span

from kg.model import TimeExpr

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            "january jan",
            "february feb",
            "march mar",
            "april apr",
            "may",
            "june jun",
            "july jul",
            "august aug",
            "september sep sept",
            "october oct",
            "november nov",
            "december dec",
        ],
        start=1,
    )
    for name in names.split()
}
WEEKDAYS = {
    name: number
    for number, name in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
}
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
"""Number words of "a year ago", "two months ago"."""
FUTURE_WORDS = frozenset({"will", "shall", "'ll", "plan", "set", "expect", "schedule", "due", "going"})
TIME_PREPS = frozenset({"from", "in", "on", "since", "until", "by", "during"})
"""Prepositions kept with a DATE entity's text ("on Monday"): they help tell a date from a duration."""
RANGE_WORDS = frozenset({"to", "until", "through", "-", "–"})
TODAY_WORDS = frozenset({"today", "tonight", "morning", "afternoon", "evening"})
"""Parts of the article's own day ("this morning", "earlier in the day", "tonight")."""
UNITS = frozenset({"day", "days", "week", "weeks", "month", "months", "year", "years", "decade", "decades"})
SAME_DAY = frozenset({"later", "this", "today", "tonight", "morning", "afternoon", "evening", "night"})
"""With these, a future weekday that is the article's own day is that day ("later on Friday", "on Friday night"),
not next week's."""
FALLBACK_CUES = frozenset({"mid", "early", "late", "end", "beginning", "start", "middle", "ides", *MONTHS})
"""Words of the expressions left to `dateparser` ("mid-March", "the end of June"): it is slow (~20 ms a
call), so text without them, which it rarely resolves, is not handed to it."""
SHIFT_WORDS = frozenset({"last", "past", "previous", "next", "coming", "this", "ago"})
"""Words that make "week" or "year" a point in time; without them "two years" is a duration."""
_WORDS = re.compile(r"[a-z]+|\d+")
_DASH = re.compile(r"(?<=\d)\s*[-–]\s*(?=\d)")
_ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _iso(d: date, precision: str) -> str:
    """ISO text of `d` cut to `precision` ("day", "month" or "year")."""
    return {"day": d.isoformat(), "month": d.isoformat()[:7], "year": str(d.year)}[precision]


def _anchor(article_date: str | None) -> date | None:
    """The article's date as a `date`, None when missing or not ISO."""
    try:
        return date.fromisoformat(article_date[:10]) if article_date else None
    except ValueError:
        return None


def resolve(text: str, article_date: str | None, future: bool = False) -> TimeExpr:
    """Normalise one time expression against the article's ISO date.

    Args:
        text: The expression as written ("on Thursday", "last month", "March 20").
        article_date: ISO publication date, or None (relative expressions then stay unresolved).
        future: The clause speaks of the future ("will visit on Monday"): a bare weekday is
            the next one after the article date rather than the last one before it.

    Returns:
        The expression with `start` (and `end` for ranges) set, or `start=None` when unresolved.
    """
    iso = _ISO.search(text)
    if iso:
        return TimeExpr(text, iso.group(0))
    words = _WORDS.findall(_DASH.sub(" to ", text.casefold()))
    anchor = _anchor(article_date)
    value = _range(words, anchor, future) or _single(words, anchor, future)
    if value is None and anchor is not None and set(words) & FALLBACK_CUES and not _duration(words):
        value = _fallback(text, anchor, future)
    start, end = value if value else (None, None)
    return TimeExpr(text, start, end if end != start else None)


def _range(words: list[str], anchor: date | None, future: bool) -> tuple[str, str] | None:
    """A "from X to Y" / "X-Y" range of weekdays or days of a month."""
    for sep in ("to", "until", "till", "through", "and"):
        if sep in words[1:-1]:
            i = words.index(sep, 1)
            left, right = words[:i], words[i + 1 :]
            if not (set(left) & (WEEKDAYS.keys() | MONTHS.keys()) or any(w.isdigit() for w in left)):
                continue
            b = _single(right, anchor, future)
            if b is None:
                continue
            a = _single(left, anchor, future, ref=b[0]) or _day_in(left, b[0])
            if a:
                return a[0], b[0]
    return None


def _day_in(words: list[str], ref: str) -> tuple[str, str] | None:
    """A bare day number ("20" of "20-22 March") in the month of `ref`."""
    days = [w for w in words if w.isdigit() and 1 <= int(w) <= 31]
    if len(ref) != 10 or not days:
        return None
    value = f"{ref[:8]}{int(days[0]):02d}"
    return value, value


def _single(words: list[str], anchor: date | None, future: bool, ref: str | None = None) -> tuple[str, str] | None:
    """One date: explicit, month-relative, weekday or relative period."""
    return _explicit(words, anchor, future) or _weekday(words, anchor, future, ref) or _relative(words, anchor)


def _explicit(words: list[str], anchor: date | None, future: bool) -> tuple[str, str] | None:
    """ "20 March 2023", "March 20", "March 2023", "in December", "February last year", "2019"."""
    month = next((MONTHS[w] for w in words if w in MONTHS and (w != "may" or len(words) > 1)), None)
    years = [int(w) for w in words if w.isdigit() and len(w) == 4 and 1900 <= int(w) <= 2100]
    days = [int(w) for w in words if w.isdigit() and len(w) <= 2 and 1 <= int(w) <= 31]
    year = years[0] if years else _implied_year(words, month, anchor, future)
    if year is None:
        return None
    if month is None:
        return (str(year),) * 2 if years and len(words) <= 3 else None
    if days:
        try:
            return (date(year, month, days[0]).isoformat(),) * 2
        except ValueError:
            return None
    return (f"{year}-{month:02d}",) * 2


def _implied_year(words: list[str], month: int | None, anchor: date | None, future: bool) -> int | None:
    """Year of a month named without one: relative to the article date ("last September")."""
    if month is None or anchor is None:
        return None
    if "last" in words and "year" in words:
        return anchor.year - 1
    if "next" in words and "year" in words:
        return anchor.year + 1
    if "last" in words or "past" in words:
        return anchor.year if month < anchor.month else anchor.year - 1
    if "next" in words or "coming" in words:
        return anchor.year if month > anchor.month else anchor.year + 1
    if future:
        return anchor.year if month >= anchor.month else anchor.year + 1
    return anchor.year if month <= anchor.month else anchor.year - 1


def _weekday(words: list[str], anchor: date | None, future: bool, ref: str | None = None) -> tuple[str, str] | None:
    """A weekday: the last one before the article date, or the next one for the future.

    With `ref` (the end of a range), the weekday is the one on or before `ref`.
    """
    day = next((WEEKDAYS[w] for w in words if w in WEEKDAYS), None)
    if day is None:
        return None
    if ref is not None and len(ref) == 10:
        end = date.fromisoformat(ref)
        return (_iso(end - timedelta(days=(end.weekday() - day) % 7), "day"),) * 2
    if anchor is None:
        return None
    if "next" in words or future:
        delta = (day - anchor.weekday()) % 7 or (0 if SAME_DAY & set(words) else 7)
        if "next" in words and "week" in words:
            delta = 7 - anchor.weekday() + day
        return (_iso(anchor + timedelta(days=delta), "day"),) * 2
    delta = (anchor.weekday() - day) % 7
    if "last" in words and "week" in words:
        delta = anchor.weekday() + 7 - day
    return (_iso(anchor - timedelta(days=delta), "day"),) * 2


def _relative(words: list[str], anchor: date | None) -> tuple[str, str] | None:
    """ "today", "yesterday", "last/next/this week|month|year" at the precision the gold keeps."""
    if anchor is None:
        return None
    shift = -1 if {"last", "past", "previous"} & set(words) else 1 if {"next", "coming"} & set(words) else 0
    if "ago" in words:
        return _ago(words, anchor)
    if _duration(words):
        return None
    if "yesterday" in words:
        before = 2 if "before" in words else 1
        return (_iso(anchor - timedelta(days=before), "day"),) * 2
    if "night" in words and shift < 0:
        return (_iso(anchor - timedelta(days=1), "day"),) * 2
    if TODAY_WORDS & set(words) or ("day" in words and {"earlier", "later", "this"} & set(words)):
        return (_iso(anchor, "day"),) * 2
    if "tomorrow" in words:
        return (_iso(anchor + timedelta(days=1), "day"),) * 2
    if "week" in words or "weekend" in words:
        return (_iso(anchor + timedelta(weeks=shift), "month"),) * 2
    if "month" in words:
        month = anchor.month - 1 + shift
        return (f"{anchor.year + month // 12}-{month % 12 + 1:02d}",) * 2
    if "year" in words:
        return (str(anchor.year + shift),) * 2
    return None


def _duration(words: list[str]) -> bool:
    """True for a length of time rather than a point ("two years", "in more than a decade", "300 days")."""
    counted = any(w.isdigit() or w in NUMBERS or w in ("several", "few", "many") for w in words)
    return counted and bool(UNITS & set(words)) and not SHIFT_WORDS & set(words)


@cache
def _parser(anchor: date, future: bool):
    """A `dateparser` parser anchored on the article's date (built once per date and tense)."""
    from dateparser.date import DateDataParser

    settings = {
        "RELATIVE_BASE": datetime(anchor.year, anchor.month, anchor.day),
        "PREFER_DATES_FROM": "future" if future else "past",
    }
    return DateDataParser(languages=["en"], settings=settings)


@lru_cache(maxsize=4096)
def _fallback(text: str, anchor: date, future: bool) -> tuple[str, str] | None:
    """What `dateparser` makes of an expression the rules above do not know, at day, month or year precision."""
    data = _parser(anchor, future).get_date_data(text)
    if data.date_obj is None or data.period not in ("day", "month", "year"):
        return None
    return (_iso(data.date_obj.date(), data.period),) * 2


def _ago(words: list[str], anchor: date) -> tuple[str, str] | None:
    """ "a year ago" -> the year before, "two months ago" -> that month, "three days ago" -> that day."""
    counts = [int(w) if w.isdigit() else NUMBERS[w] for w in words if w.isdigit() or w in NUMBERS]
    if not counts:
        return None
    n = counts[0]
    if "year" in words or "years" in words:
        return (str(anchor.year - n),) * 2
    if "month" in words or "months" in words:
        month = anchor.month - 1 - n
        return (f"{anchor.year + month // 12}-{month % 12 + 1:02d}",) * 2
    if "week" in words or "weeks" in words:
        return (_iso(anchor - timedelta(weeks=n), "month"),) * 2
    if "day" in words or "days" in words:
        return (_iso(anchor - timedelta(days=n), "day"),) * 2
    return None


def is_future(span: Span) -> bool:
    """True when the clause speaks of the future ("will visit", "is set to", "plans to")."""
    return any(t.lower_ in FUTURE_WORDS or t.lemma_ in FUTURE_WORDS for t in span if t.pos_ in ("AUX", "VERB", "ADJ"))


def is_date(ent: Span) -> bool:
    """True for a DATE entity, or a TIME entity that names a day ("Wednesday night", "last night", "this morning",
    "earlier in the day")."""
    if ent.label_ == "DATE":
        return True
    words = set(_WORDS.findall(ent.text.casefold()))
    named_day = words & (WEEKDAYS.keys() | {"yesterday", "tonight", "today"}) or {"last", "night"} <= words
    today = words & {"this", "earlier", "later"} and words & (TODAY_WORDS | {"day"})
    return ent.label_ == "TIME" and bool(named_day or today)


def find_time(span: Span, article_date: str | None) -> TimeExpr | None:
    """The first resolvable time expression (spaCy DATE entity) inside `span`, else the first one unresolved.

    Args:
        span: A sentence or clause of a parsed doc.
        article_date: ISO publication date for relative expressions.

    Returns:
        The normalised expression, or None when `span` has no DATE entity.
    """
    future = is_future(span)
    found = [resolve(expression(ent), article_date, future) for ent in span.ents if ent.label_ == "DATE"]
    return next((t for t in found if t.start), found[0] if found else None)


def expression(ent: Span) -> str:
    """A DATE entity's text with its preposition, and the end of a range ("from Monday to Wednesday")."""
    doc = ent.doc
    before = doc[ent.start - 1] if ent.start > 0 else None
    start, end = (ent.start - 1 if before is not None and before.lower_ in TIME_PREPS else ent.start), ent.end
    if start > 0 and doc[start - 1].lower_ in ("later", "earlier"):
        start -= 1
    if end + 1 < len(doc) and doc[end].lower_ in RANGE_WORDS and doc[end + 1].ent_type_ == "DATE":
        end += 2
        while end < len(doc) and doc[end].ent_iob_ == "I":
            end += 1
    return doc[start:end].text
