"""Text repair: glued words split, normal text untouched, offsets exact."""

import random
import re
import string
from collections import Counter
from pathlib import Path

import pytest
from capped import GIB, run_capped
from hypothesis import given
from hypothesis import strategies as st

from kg.repair import _plausible, _splits, is_pinyin, repair

LETTERS = re.compile(r"[^\W\d_]+")
ARTICLES = Path(__file__).resolve().parent.parent / "data" / "articles"

GLUED = {
    "Chinese PresidentXi Jinpingwill visitRussiaearly next week": (
        "Chinese President Xi Jinping will visit Russia early next week"
    ),
    "Zelensky's plan; a call with Zelenskywith whom": "Zelensky's plan; a call with Zelensky with whom",
    "as thewar in ukraineis entering a second year": "as the war in ukraine is entering a second year",
    "A number ofimportant documents": "A number of important documents",
    "China may considersending arms": "China may consider sending arms",
    "his first trip sinceinvasion": "his first trip since invasion",
    "a newly declassified videoit says": "a newly declassified video it says",
    "the U.S. Armyposted a video": "the U.S. Army posted a video",
    "Iran and Saudi Arabiato normalize": "Iran and Saudi Arabia to normalize",
    "White House demandsChinese owners": "White House demands Chinese owners",
    "sell their sharesin the app": "sell their shares in the app",
    "Talks with Sanchez. Pedro Sancheza trip to Rome": "Talks with Sanchez. Pedro Sanchez a trip to Rome",
}

ORDINARY = (
    "McDonald iPhone TikTok TikToks YouTube PhD Kyiv Zelenskyy Lvova-Belova Sino-Russian U.S. MacBook "
    "PowerPoint LinkedIn macOS eBay mRNA Wenbin Jinping Chunying Zhaolong A12 COVID-19 "
    "https://example.com/visitRussia @thewarNews Sancheza"
)


@pytest.mark.parametrize(("glued", "fixed"), GLUED.items())
def test_glued_words_are_split(glued: str, fixed: str) -> None:
    assert repair(glued).text == fixed


def test_ordinary_words_and_names_are_untouched() -> None:
    assert repair(ORDINARY).text == ORDINARY


@pytest.mark.parametrize("path", sorted(ARTICLES.glob("00[1-4]_*.txt")), ids=lambda p: p.name[:3])
def test_clean_articles_keep_every_word(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert LETTERS.findall(repair(text).text) == LETTERS.findall(text)


def test_quotes_and_dashes_are_normalised_one_for_one() -> None:
    text = "“Peace,” he said – China’s ‘plan’ — 2023–2024."
    fixed = repair(text)
    assert fixed.text == "\"Peace,\" he said - China's 'plan' - 2023-2024."
    assert len(fixed.text) == len(text)


def test_glued_dashes_get_a_space() -> None:
    assert repair("the Kremlin—which denied it—said").text == "the Kremlin - which denied it - said"
    assert repair("in the war– a claim").text == "in the war - a claim"


@pytest.mark.parametrize("text", ["PresidentXi Jinpingwill visit", "the Kremlin—which, “ofimportant”", "", "plain"])
def test_offsets_map_back_to_the_original(text: str) -> None:
    fixed = repair(text)
    assert fixed.to_original(len(fixed.text)) == len(text)
    for start, end in (m.span() for m in LETTERS.finditer(fixed.text)):
        original = text[fixed.to_original(start) : fixed.to_original(end)]
        assert original == fixed.text[start:end]


def test_a_span_across_an_inserted_space_maps_to_the_original_words() -> None:
    text = "Chinese PresidentXi Jinpingwill visit"
    fixed = repair(text)
    start = fixed.text.index("Xi Jinping")
    assert text[fixed.to_original(start) : fixed.to_original(start + len("Xi Jinping"))] == "Xi Jinping"


def test_every_repair_of_the_glued_sample_keeps_the_letters() -> None:
    text = next(ARTICLES.glob("000_*.txt")).read_text(encoding="utf-8")
    fixed = repair(text)
    assert fixed.text.replace(" ", "") == text.translate(str.maketrans("’‘“”–—", "''\"\"--")).replace(" ", "")
    assert fixed.text.count(" ") - text.count(" ") == 30


GLUED_LETTERS = {
    "3,000 random letters": "".join(random.Random(0).choice(string.ascii_lowercase) for _ in range(3000)),
    "a 399,000-letter run of words": ("thewarinukraine" * 26_600)[:399_000],
    "133,000 camelCase humps": "".join(
        random.Random(1).choice(string.ascii_lowercase) * 2 + "Q" for _ in range(133_000)
    ),
    "a pinyin-like name glued to a word": "Ana" + "na" * 30 + " spoke. Ana" + "na" * 30 + "world",
    "4,000 different glued runs of 100 letters": " ".join(
        "".join(random.Random(n).choices(["the", "war", "in", "ukraine", "visit", "trade", "talks"], k=30))[:100]
        for n in range(4000)
    ),
}


@pytest.mark.parametrize("text", GLUED_LETTERS.values(), ids=GLUED_LETTERS)
def test_long_glued_runs_are_repaired_in_bounded_memory_and_time(text: str, tmp_path: Path) -> None:
    (tmp_path / "glued.txt").write_text(text)
    code = "import sys; from kg.repair import repair; print(len(repair(open(sys.argv[1]).read()).text))"
    done = run_capped(["-c", code, str(tmp_path / "glued.txt")], memory=GIB, timeout=20)
    assert done.returncode == 0, done.stderr[-500:]
    assert int(done.stdout) >= len(text)


WORDS = ["the", "war", "in", "ukraine", "is", "visit", "russia", "early", "trade", "talks", "armed", "closer", "xi"]


def exhaustive_splits(word: str) -> list[tuple[str, ...]]:
    """Every cut of `word` into two or three parts of two letters or more (the search before it was bounded)."""
    n = len(word)
    pairs = [(word[:i], word[i:]) for i in range(2, n - 1)]
    return pairs + [(word[:i], word[i:j], word[j:]) for i in range(2, n - 3) for j in range(i + 2, n - 1)]


@given(
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map("".join),
    st.text(alphabet="aeinorst", max_size=3),
    st.booleans(),
    st.lists(st.sampled_from([*WORDS, "ukrainei", "visitr"]), max_size=3),
)
def test_the_bounded_search_finds_every_plausible_split(glued: str, noise: str, title: bool, used: list[str]) -> None:
    word, local = glued + noise, Counter(used)
    bounded = [s for s in _splits(word, local) if _plausible(s, title, local)]
    assert bounded == [s for s in exhaustive_splits(word) if _plausible(s, title, local)]


PINYIN_REGEX = re.compile(  # the backtracking pattern is_pinyin replaces (exponential on a long near-miss)
    r"(?:(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ao|an|ei|en|er|ia|ie|in|iu|ou|ua|ue|ui|un|uo|[aeiouv]))+"
)


@given(st.text(alphabet="aeiouvngzhjxqwrl", max_size=14))
def test_pinyin_syllables_are_read_as_the_pattern_reads_them(word: str) -> None:
    assert is_pinyin(word) == bool(PINYIN_REGEX.fullmatch(word))


def test_known_pinyin_names_are_pinyin() -> None:
    assert is_pinyin("jinping") and is_pinyin("zhaolong") and not is_pinyin("world")
