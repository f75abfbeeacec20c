"""The bundled reference data (data/gazetteer.csv, data/titles.csv) and its lookups."""

from __future__ import annotations

import csv
import re
import time
from collections import Counter

import pytest

from kg.gazetteer import DATA_DIR, GazEntry, Gazetteer, Title, name_key
from kg.model import ENTITY_TYPES


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with (DATA_DIR / "gazetteer.csv").open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_loads_fast_and_is_cached() -> None:
    start = time.perf_counter()
    fresh = Gazetteer.load(DATA_DIR)
    assert time.perf_counter() - start < 0.1
    assert len(fresh.entries) >= 300
    assert Gazetteer.load() is Gazetteer.load()


def test_rows_are_well_formed(rows: list[dict[str, str]]) -> None:
    assert len(rows) >= 300
    assert {r["type"] for r in rows} <= set(ENTITY_TYPES)
    assert all(re.fullmatch(r"Q\d+", r["wikidata"]) for r in rows if r["wikidata"])
    assert [i for i, n in Counter(r["id"] for r in rows).items() if n > 1] == []
    assert [n for n, k in Counter(r["name"] for r in rows).items() if k > 1] == []
    wikidata = [r["wikidata"] for r in rows if r["wikidata"]]
    assert len(wikidata) == len(set(wikidata))


def test_every_type_is_well_represented(rows: list[dict[str, str]]) -> None:
    counts = Counter(r["type"] for r in rows)
    assert counts["State"] >= 197  # 193 UN members + Taiwan, Kosovo, Palestine, Vatican
    assert min(counts.values()) >= 100


def test_references_name_existing_entries(rows: list[dict[str, str]]) -> None:
    names = {r["name"] for r in rows}
    states = {r["name"] for r in rows if r["type"] == "State"}
    assert {r["country"] for r in rows if r["country"]} <= names
    assert {r["capital_of"] for r in rows if r["capital_of"]} <= states
    assert all(r["title"] for r in rows if r["type"] == "Person")
    assert all(r["demonyms"] == "" for r in rows if r["type"] != "State")


def test_shared_aliases_are_declared(gaz: Gazetteer) -> None:
    assert gaz.undeclared_ambiguities() == {}
    assert gaz.lookup("Congo") is None
    assert gaz.demonym("Korean") is None


@pytest.mark.parametrize(
    ("surface", "name"),
    [
        ("US", "United States"),
        ("U.S.", "United States"),
        ("the United States", "United States"),
        ("United States of America", "United States"),
        ("America", "United States"),
        ("UK", "United Kingdom"),
        ("Great Britain", "United Kingdom"),
        ("Russian Federation", "Russia"),
        ("Russia's", "Russia"),
        ("China’s", "China"),
        ("Zelensky", "Volodymyr Zelenskyy"),
        ("Zelenskiy", "Volodymyr Zelenskyy"),
        ("zelenskyy", "Volodymyr Zelenskyy"),
        ("Yury Ushakov", "Yuri Ushakov"),
        ("the Kremlin", "Kremlin"),
        ("China's Foreign Ministry", "Chinese Foreign Ministry"),
        ("Foreign Ministry of China", "Chinese Foreign Ministry"),
        ("ICC", "International Criminal Court"),
        ("Sao Paulo", "São Paulo"),
        ("Guinea Bissau", "Guinea-Bissau"),
        ("Hague", "The Hague"),
        ("Kiev", "Kyiv"),
        ("Erdogan", "Recep Tayyip Erdoğan"),
        ("George W Bush", "George W. Bush"),
        ("Russian President Vladimir Putin", "Vladimir Putin"),
        ("China's top diplomat Wang Yi", "Wang Yi"),
        ("Chinese Foreign Ministry spokesman Wang Wenbin", "Wang Wenbin"),
    ],
)
def test_lookup_tolerates_variants(gaz: Gazetteer, surface: str, name: str) -> None:
    entry = gaz.lookup(surface)
    assert entry is not None and entry.name == name


@pytest.mark.parametrize("surface", ["us", "who", "Wang", "Foreign Minister", "President", "Atlantis", ""])
def test_lookup_misses(gaz: Gazetteer, surface: str) -> None:
    assert gaz.lookup(surface) is None


def test_entries_carry_reference_facts(gaz: Gazetteer) -> None:
    checks = {
        "Xi Jinping": ("Person", "Q15031", "China"),
        "Volodymyr Zelenskyy": ("Person", "Q3874799", "Ukraine"),
        "Lusaka": ("City", "Q3881", "Zambia"),
        "Hong Kong": ("City", "Q8646", "China"),
        "Kremlin": ("Organization", None, "Russia"),
        "Taiwan": ("State", "Q865", None),
        "TikTok": ("Organization", "Q48938223", "China"),
        "US Army": ("Organization", "Q9212", "United States"),
    }
    for surface, (type_, qid, country) in checks.items():
        entry = gaz.lookup(surface)
        assert isinstance(entry, GazEntry)
        assert (entry.type, entry.wikidata, entry.country) == (type_, qid, country), surface
    moscow = gaz.lookup("Moscow")
    assert moscow is not None and moscow.capital_of == "Russia"
    assert gaz.lookup("Wang Wenbin").title == "spokesman"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("word", "state"),
    [
        ("Chinese", "China"),
        ("Russian", "Russia"),
        ("American", "United States"),
        ("Americans", "United States"),
        ("Ukrainian", "Ukraine"),
        ("British", "United Kingdom"),
        ("South Korean", "South Korea"),
        ("Swiss", "Switzerland"),
    ],
)
def test_demonyms(gaz: Gazetteer, word: str, state: str) -> None:
    entry = gaz.demonym(word)
    assert entry is not None and entry.name == state and entry.type == "State"


def test_demonym_is_not_a_name(gaz: Gazetteer) -> None:
    assert gaz.demonym("China") is None
    assert gaz.demonym("President") is None


def test_by_id(gaz: Gazetteer) -> None:
    entry = gaz.lookup("Xi Jinping")
    assert entry is not None and gaz.by_id(entry.id) is entry
    assert gaz.by_id("no-such-id") is None


def test_titles_load(gaz: Gazetteer) -> None:
    assert len(gaz.titles) >= 100
    assert all(isinstance(t, Title) and t.type_vote in ENTITY_TYPES for t in gaz.titles.values())
    spokeswoman = gaz.title("Spokeswoman")
    assert spokeswoman is not None and (spokeswoman.title, spokeswoman.type_vote) == ("spokesperson", "Person")
    assert gaz.title("top  diplomat").title == "foreign minister"  # type: ignore[union-attr]
    assert gaz.title("ministry").type_vote == "Organization"  # type: ignore[union-attr]


def test_name_key() -> None:
    assert name_key("the U.S.'s") == "US"
    assert name_key("Côte d’Ivoire") == name_key("cote d'ivoire")
    assert name_key("Guinea-Bissau") == "guinea bissau"


def test_load_from_another_folder(tmp_path) -> None:
    (tmp_path / "gazetteer.csv").write_text(
        "id,name,type,aliases,wikidata,demonyms,country,capital_of,title\n"
        "atlantis,Atlantis,State,~Atlantica|Isle,,Atlantean,,,\n"
        "atlantica,Atlantica City,City,~Atlantica,,,Atlantis,Atlantis,\n",
        encoding="utf-8",
    )
    gaz = Gazetteer.load(tmp_path)
    assert gaz.lookup("isle").name == "Atlantis"  # type: ignore[union-attr]
    assert gaz.demonym("Atlanteans").name == "Atlantis"  # type: ignore[union-attr]
    assert gaz.lookup("Atlantica") is None and gaz.undeclared_ambiguities() == {}
    assert gaz.titles == {}


@pytest.mark.parametrize(
    ("surface", "name"),
    [
        ("Volodymr Zelensky", "Volodymyr Zelenskyy"),
        ("Vladmir Putin", "Vladimir Putin"),
        ("Recep Tayip Erdogan", "Recep Tayyip Erdoğan"),
        ("Li Qiangg", None),
        ("Kim Jong Il", None),
        ("Laura Whitfield", None),
    ],
)
def test_spelling_variants_of_people(gaz: Gazetteer, surface: str, name: str | None) -> None:
    found = gaz.variant(surface, "Person")
    assert (found.name if found else None) == name
