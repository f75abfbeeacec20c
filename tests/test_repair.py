"""Text repair: glued words split, normal text untouched, offsets exact."""

import re
from pathlib import Path

import pytest

from kg.repair import repair

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
