"""Titles people hold, found from premodifiers, appositions and copulas."""

from __future__ import annotations

import pytest

from kg.extract.context import Context
from kg.extract.entities import find_entities
from kg.extract.roles import find_roles
from kg.gazetteer import Gazetteer
from kg.model import Article
from kg.nlp import load_model
from kg.repair import repair

pytestmark = pytest.mark.slow


def roles_of(text: str) -> set[tuple[str, str, str | None]]:
    """(person, title, of) for every role found in `text`, with entity names in place of keys."""
    ctx = Context(Article("a", "a.txt", text), load_model()(text), repair(text), Gazetteer.load())
    index = find_entities(ctx)
    name = {e.key: e.name for e in index.entities}
    return {(name[r.person], r.title, name.get(r.of) if r.of else None) for r in find_roles(ctx, index)}


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Chinese Foreign Minister Qin Gang spoke on Thursday.", ("Qin Gang", "Foreign Minister", "China")),
        ("Kremlin spokesman Dmitry Peskov said the talks went well.", ("Dmitry Peskov", "spokesman", "Kremlin")),
        (
            "China’s foreign ministry confirmed the visit. Foreign Ministry spokesman Wang Wenbin said so.",
            ("Wang Wenbin", "spokesman", "Chinese Foreign Ministry"),
        ),
        (
            "Putin’s foreign policy adviser Yuri Ushakov said the talks would help.",
            ("Yuri Ushakov", "foreign policy adviser", "Vladimir Putin"),
        ),
        ("Chinese leader Xi Jinping will fly to Moscow.", ("Xi Jinping", "leader", "China")),
        (
            "Norwegian Foreign Minister Ingrid Halvorsen met reporters in Oslo.",
            ("Ingrid Halvorsen", "Foreign Minister", "Norway"),
        ),
    ],
)
def test_title_before_the_name(text: str, role: tuple[str, str, str]) -> None:
    assert role in roles_of(text)


def test_apposition_after_the_name_with_of_phrase() -> None:
    roles = roles_of("It will be very clear, said Ian Bremmer, chairman of Eurasia Group, a consulting firm.")
    assert ("Ian Bremmer", "chairman", "Eurasia Group") in roles


def test_apposition_before_the_name() -> None:
    roles = roles_of("Last month, Putin hosted China’s top diplomat, Wang Yi, in Moscow.")
    assert ("Wang Yi", "top diplomat", "China") in roles


def test_counterpart_takes_the_other_title_and_its_own_state() -> None:
    roles = roles_of(
        "On Thursday, Chinese Foreign Minister Qin Gang spoke with his Ukrainian counterpart, Dmytro Kuleba."
    )
    assert ("Dmytro Kuleba", "Foreign Minister", "Ukraine") in roles


def test_title_without_owner_takes_the_country_the_gazetteer_gives() -> None:
    assert ("Vladimir Putin", "President", "Russia") in roles_of("Xi will meet President Vladimir Putin in Russia.")


def test_plain_mentions_hold_no_role() -> None:
    assert roles_of("Xi Jinping arrived in Moscow and met Vladimir Putin.") == set()


def test_one_role_per_title_keeps_the_most_specific_owner() -> None:
    roles = roles_of(
        "Russian governmental assistant Yury Ushakov spoke. Later Ushakov, the Putin assistant, said more."
    )
    assert {r for r in roles if r[0] == "Yuri Ushakov"} == {("Yuri Ushakov", "assistant", "Vladimir Putin")}


def test_bare_title_after_as_belongs_to_the_person_named_before() -> None:
    roles = roles_of("China confirmed the visit. It will be Xi’s first trip since securing a third term as president.")
    assert ("Xi Jinping", "president", "China") in roles


def test_owner_is_the_last_entity_before_the_title() -> None:
    roles = roles_of("HONG KONG Chinese President Xi Jinping will visit Russia early next week.")
    assert roles == {("Xi Jinping", "President", "China")}


@pytest.mark.parametrize(
    ("text", "role"),
    [
        (
            "India's Minister of External Affairs, Ravi Menon, met the press.",
            ("Ravi Menon", "Minister of External Affairs", "India"),
        ),
        (
            "Norway's ambassador to Japan, Laura Whitfield, left Tokyo.",
            ("Laura Whitfield", "ambassador to Japan", "Norway"),
        ),
        ("Former French President Paul Girard wrote a book.", ("Paul Girard", "Former President", "France")),
        ("Saudi Crown Prince Mohammed bin Salman met King Harald in Oslo.", ("Harald", "King", None)),
        ("Anna Berg met the press after becoming Prime Minister of Norway.", ("Anna Berg", "Prime Minister", "Norway")),
        (
            "Laura Whitfield, chief negotiator of Norway, left Vienna.",
            ("Laura Whitfield", "chief negotiator", "Norway"),
        ),
    ],
)
def test_titles_outside_the_gazetteer(text: str, role: tuple[str, str, str | None]) -> None:
    assert role in roles_of(text)


def test_counterpart_takes_the_nearest_title_before_it() -> None:
    text = "US President Joe Biden, Dutch Prime Minister Pieter Alders and his Danish counterpart Mette Lund met."
    assert ("Mette Lund", "Prime Minister", "Denmark") in roles_of(text)


def test_ranked_leader_is_no_post() -> None:
    assert not roles_of("Pieter Alders is the first European leader to visit Oslo this year.")


def test_spokesman_for_an_organisation_is_its_spokesman() -> None:
    text = "An aide met reporters. The spokesman for the Foreign Ministry of Norway, Laura Whitfield, said little."
    roles = roles_of(text)
    assert any(p == "Laura Whitfield" and t == "spokesman" and of for p, t, of in roles), roles
