"""Text repair before parsing, with an exact map back to the original offsets.

Scraped articles reach us with typographic punctuation and with words glued
together where hyperlinks lost their surrounding spaces ("PresidentXi
Jinpingwill visitRussiaearly"). `repair` gives spaCy a cleaner text:

* Punctuation is normalised one character for one: curly quotes become
  ``'`` and ``"``, en/em dashes and minus signs ``-``, no-break spaces plain
  spaces. A dash glued to a word on one side only (``war– a``), or an em dash
  glued at all (``Kremlin—which``), gets a space on the glued side.
* A letter run that is not a known word is split at a camelCase boundary
  (``demandsChinese``) when the left part is a word and not a surname prefix
  (``Mc``, ``Van``...), and into two or three known words (``thewar``,
  ``sinceinvasionand``) when the best such split is plausible: either a part
  is a function word, or every part is a common word of four letters or more.

A word is known from the `wordfreq` English frequency list, or from the
article itself (a run that occurs alone elsewhere, like "Zelensky" in
"Zelensky's"). Splitting is conservative, since damaging a correct word is
worse than missing a glue: known words, their plurals, runs repeated in the
article, runs touching digits, URL-like chunks, all-caps runs and runs that
read as Chinese pinyin syllables (given names) are left alone.

The work is bounded whatever the input: no part is longer than the longest
word of the list (a longer run the article uses alone is itself glued, not a
word), so only the few cut points that leave a possible word on either side
are tried, and a segment longer than three words is left as it is.

Inserted spaces map to the offset of the character that follows them, so a
span of the repaired text maps back with `Repaired.to_original` at both ends.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import pairwise

_PUNCTUATION = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
        "\u00a0": " ", "\u202f": " ",
    }
)  # fmt: skip
_DASH_GAP = re.compile(r"(?<=\w)(?=[\u2014\u2015])|(?<=[\u2014\u2015])(?=\w)|(?<=\w)(?=\u2013\s)|(?<=\s\u2013)(?=\w)")
_RUN = re.compile(r"[^\W\d_]+")
_CHUNK = re.compile(r"[^ \n\t]+")
_WEBBY = re.compile(r"[/@#_=\\]|[^\W\d_]\.[^\W\d_]")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")
_SURNAME_PREFIX = re.compile(r"(?:Mc|Mac|Fitz|O|D|De|Di|Da|Du|Del|Della|La|Le|Van|Von|Al|El|St)")
_PINYIN_INITIALS = ("", "zh", "ch", "sh", *"bpmfdtnlgkhjqxrzcsyw")
_PINYIN_FINALS = (
    "iang", "iong", "uang", "ang", "eng", "ing", "ong", "ian", "iao", "uai", "uan", "ai", "ao", "an", "ei", "en", "er",
    "ia", "ie", "in", "iu", "ou", "ua", "ue", "ui", "un", "uo", "a", "e", "i", "o", "u", "v",
)  # fmt: skip
PINYIN_SYLLABLES = frozenset(i + f for i in _PINYIN_INITIALS for f in _PINYIN_FINALS)
"""Pinyin syllables without tones: an optional initial and a final."""
FUNCTION_WORDS = frozenset({
    "the", "of", "in", "on", "at", "to", "for", "from", "by", "with", "into", "as", "and", "or", "but", "that",
    "than", "is", "was", "are", "were", "be", "been", "has", "have", "had", "will", "would", "can", "could",
    "should", "may", "might", "it", "its", "his", "their", "they", "this", "these", "those", "which", "who", "not",
})  # fmt: skip
"""Closed-class words that glue most often; a split with one of them is trusted."""
AFFIXES = frozenset({
    "anti", "non", "pre", "post", "over", "under", "super", "counter", "inter", "multi", "semi", "self", "mini",
    "mega", "micro", "ultra", "cyber", "hyper", "trans", "like", "less", "ness", "wise", "ward", "wards", "hood",
    "ship", "able", "ment", "proof", "free", "based", "style",
})  # fmt: skip
"""Word-forming prefixes and suffixes: a split made only of content words never leaves one of these alone."""

KNOWN_ZIPF = 1.0  # a run at least this frequent is a word and never split
PART_ZIPF = 2.5  # a part beside a function word
COMMON_ZIPF = 3.5  # each part of an all-lowercase split without function word
NAME_ZIPF = 3.0  # the capitalised first part of such a split ("Armyposted")
TAIL_ZIPF = 4.5  # the lowercase rest of such a split
LOCAL_ZIPF = 3.0  # the weight of a part known only from the article


@dataclass(frozen=True)
class Repaired:
    """Repaired text with a map back to the original.

    `origin[i]` is the offset in the original text of repaired character `i`;
    `origin[len(text)]` is the original length, so spans map with
    `to_original(start)`, `to_original(end)`.
    """

    text: str
    origin: tuple[int, ...]

    def to_original(self, i: int) -> int:
        """Offset in the original text of repaired offset `i`."""
        return self.origin[i]


def repair(text: str) -> Repaired:
    """Return `text` repaired for parsing, with offsets back to `text`."""
    runs = list(_suspect_runs(text))
    local = Counter(m.lower() for m in _RUN.findall(text)) if runs else Counter()
    cuts = [m.start() for m in _DASH_GAP.finditer(text)]
    for start, run in runs:
        cuts += (start + i for i in split_run(run, local))
    return _insert_spaces(text.translate(_PUNCTUATION), cuts)


def _suspect_runs(text: str) -> Iterator[tuple[int, str]]:
    """The letter runs that may hold glued words, with their offsets: not plain, touching no digit, in no URL-like
    chunk (a chunk runs from blank to blank, and is looked at once however many runs it holds)."""
    runs = [m for m in _RUN.finditer(text) if not _plain(m.group())]
    chunks = [m.span() for m in _CHUNK.finditer(text)] if runs else []
    starts = [start for start, _ in chunks]
    webby: dict[int, bool] = {}
    for run in runs:
        k = bisect_right(starts, run.start()) - 1
        if k not in webby:
            webby[k] = bool(_WEBBY.search(text, *chunks[k]))
        if not webby[k] and not _touches_digit(text, run):
            yield run.start(), run.group()


def _insert_spaces(text: str, cuts: list[int]) -> Repaired:
    """Insert a space before each offset in `cuts`; each space maps to the offset it precedes."""
    pieces: list[str] = []
    origin: list[int] = []
    prev = 0
    for cut in sorted(set(cuts)):
        pieces += (text[prev:cut], " ")
        origin += range(prev, cut + 1)
        prev = cut
    pieces.append(text[prev:])
    origin += range(prev, len(text) + 1)
    return Repaired("".join(pieces), tuple(origin))


def _plain(run: str) -> bool:
    """Whether a letter run is certainly left alone (the fast path: a known word, or too short)."""
    return len(run) < 5 or (len(run) <= longest_word() + 1 and _known_run(run))


@lru_cache(maxsize=1 << 16)
def _known_run(run: str) -> bool:
    return is_known(run.lower())


def _touches_digit(text: str, run: re.Match[str]) -> bool:
    """Whether a digit stands right before or after `run` in `text`."""
    return text[run.start() - 1 : run.start()].isdigit() or text[run.end() : run.end() + 1].isdigit()


def split_run(run: str, local: Counter[str] | None = None) -> list[int]:
    """Offsets inside a letter run where spaces belong ([] when it is fine as is).

    Args:
        run: A maximal run of letters, such as ``"visitRussiaearly"``.
        local: Counts of the lowercased letter runs of the whole article.

    Returns:
        Sorted split offsets, e.g. ``[5, 11]`` for ``"visitRussiaearly"``.
    """
    local = local or Counter()
    if is_known(run.lower()) or local[run.lower()] > 1:
        return []
    cuts: list[int] = []
    bounds = [0, *_camel_cuts(run, local), len(run)]
    for left, right in pairwise(bounds):
        cuts += (left + i for i in _glue_cuts(run[left:right], local))
    return sorted(cuts + bounds[1:-1])


def _camel_cuts(run: str, local: Counter[str]) -> list[int]:
    """Lower-to-Title boundaries of `run` that separate two words ("demands|Chinese")."""
    cuts: list[int] = []
    marks = [m.start() for m in _CAMEL.finditer(run)]
    for i, mark in enumerate(marks):
        begin = cuts[-1] if cuts else 0
        if mark - begin > longest_word():
            continue
        left = run[begin:mark]
        right = run[mark : marks[i + 1] if i + 1 < len(marks) else len(run)]
        if _SURNAME_PREFIX.fullmatch(left) or len(left) < 2:
            continue
        if left.lower() in FUNCTION_WORDS or (
            _word_zipf(left.lower(), local) >= NAME_ZIPF and (is_known(right.lower()) or _glue_cuts(right, local))
        ):
            cuts.append(mark)
    return cuts


def _glue_cuts(segment: str, local: Counter[str]) -> list[int]:
    """Offsets splitting a lowercase or Title-case segment into known words, best split first."""
    word = segment.lower()
    if not 5 <= len(word) <= 3 * longest_word() or not (segment.islower() or segment.istitle()) or is_known(word):
        return []
    if segment.istitle() and word.endswith("a") and local[word[:-1]]:
        return [len(word) - 1]  # a name the article uses alone, glued to "a" ("Putina trip")
    splits = [s for s in _splits(word, local) if _plausible(s, segment.istitle(), local)]
    if not splits:
        return []
    best = max(splits, key=lambda parts: sum(_word_zipf(p, local) - 9 for p in parts))
    return list(_offsets(best))


def _splits(word: str, local: Counter[str]) -> list[tuple[str, ...]]:
    """The ways to cut `word` into two or three parts of two letters or more that may each be a word.

    Only cut points leaving a possible word before the first cut and after the last are tried, so the work is
    bounded by the square of the longest word's length, however long `word` is.
    """
    n, longest = len(word), longest_word()
    heads = [i for i in range(2, min(n - 1, longest + 1)) if _may_be_part(word[:i], local)]
    tails = [j for j in range(max(2, n - longest), n - 1) if _may_be_part(word[j:], local)]
    pairs = [(word[:i], word[i:]) for i in heads if i in set(tails)]
    triples = [
        (word[:i], word[i:j], word[j:])
        for i in heads
        for j in tails
        if 2 <= j - i <= longest and _may_be_part(word[i:j], local)
    ]
    return pairs + triples


def _may_be_part(part: str, local: Counter[str]) -> bool:
    """Whether `part` may be one part of a plausible split: a function word, or a word frequent enough."""
    return part in FUNCTION_WORDS or (len(part) >= 3 and _word_zipf(part, local) >= PART_ZIPF)


def _plausible(parts: tuple[str, ...], title: bool, local: Counter[str]) -> bool:
    """Whether a split of an unknown run into `parts` is safe to make."""
    content = [p for p in parts if p not in FUNCTION_WORDS]
    if not content or (len(content) == len(parts) and not _content_split(parts, title, local)):
        return False
    return all(len(p) >= 3 and _word_zipf(p, local) >= PART_ZIPF for p in content)


def _content_split(parts: tuple[str, ...], title: bool, local: Counter[str]) -> bool:
    """Whether a split made only of content words is safe ("closer|tensions", "Army|posted")."""
    if any(len(p) < 4 or p in AFFIXES for p in parts):
        return False
    if not title:
        return all(_word_zipf(p, local) >= COMMON_ZIPF for p in parts)
    if is_pinyin("".join(parts)):
        return False
    return _word_zipf(parts[0], local) >= NAME_ZIPF and all(zipf(p) >= TAIL_ZIPF for p in parts[1:])


def _offsets(parts: tuple[str, ...]) -> list[int]:
    """Cut offsets between consecutive parts."""
    return [sum(map(len, parts[:i])) for i in range(1, len(parts))]


def is_pinyin(word: str) -> bool:
    """Whether a lowercase word reads as a sequence of pinyin syllables ("jinping"), in time linear in its length."""
    ends = [True] + [False] * len(word)  # ends[i]: word[:i] is a sequence of syllables
    for i in (i for i in range(len(word)) if ends[i]):
        for k in range(1, min(6, len(word) - i) + 1):
            ends[i + k] |= word[i : i + k] in PINYIN_SYLLABLES
    return len(word) > 0 and ends[-1]


def _word_zipf(word: str, local: Counter[str]) -> float:
    """Zipf frequency of a lowercase word, raised to `LOCAL_ZIPF` if the article uses it alone (and no word of the
    list is longer)."""
    if 4 <= len(word) <= longest_word() and local[word]:
        return max(zipf(word), LOCAL_ZIPF)
    return zipf(word)


def is_known(word: str) -> bool:
    """Whether a lowercase word (or its singular) is in the English word list."""
    return zipf(word) >= KNOWN_ZIPF or (word.endswith("s") and zipf(word[:-1]) >= KNOWN_ZIPF)


def zipf(word: str) -> float:
    """Zipf frequency (log10 per billion words) of a lowercase word; 0 when unknown."""
    return _zipf(word) if len(word) <= longest_word() else 0.0


@lru_cache(maxsize=1 << 16)
def _zipf(word: str) -> float:
    freq = _frequencies().get(word)
    return math.log10(freq) + 9 if freq else 0.0


@cache
def longest_word() -> int:
    """Length of the longest word of the list: no part of a split is longer."""
    return max(map(len, _frequencies()))


@cache
def _frequencies() -> dict[str, float]:
    """The English `wordfreq` list, loaded once on first use."""
    from wordfreq import get_frequency_dict  # heavy import: only when first repairing

    return get_frequency_dict("en", wordlist="best")
