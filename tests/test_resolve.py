"""Resolving article-local entities into corpus entities with stable ids."""

from __future__ import annotations

import hashlib
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.build import corpus_of, extract_batch
from kg.extract.entities import normal, slug
from kg.gazetteer import Gazetteer
from kg.ingest import article_id
from kg.model import Article, ArticleFacts, Entity, Evidence, LocalEntity, Mention
from kg.resolve import EntityMap, qualified_key, resolve_entities


def local(key: str, name: str, votes: dict[str, float], aliases: list[str] | None = None) -> LocalEntity:
    """A local entity with one mention per name."""
    names = [name, *(aliases or [])]
    mentions = [Mention(n, 0, len(n), "X", Evidence("a", n, 0, len(n))) for n in names]
    return LocalEntity(key, name, None, aliases or [], None, mentions, dict(votes))


def facts(article: str, *entities: LocalEntity) -> ArticleFacts:
    return ArticleFacts(Article(article, f"{article}.txt", ""), list(entities))


def resolve(*records: ArticleFacts) -> tuple[dict[str, Entity], EntityMap]:
    entities, mapping = resolve_entities(list(records), Gazetteer.load())
    return {e.id: e for e in entities}, mapping


def test_gazetteer_spellings_become_one_entity_with_its_qid() -> None:
    entities, mapping = resolve(
        facts("a", local("zelensky", "Zelensky", {"Person": 1})),
        facts("b", local("volodymyr-zelenskyy", "Volodymyr Zelenskyy", {"Person": 1})),
    )
    assert mapping[("a", "zelensky")] == mapping[("b", "volodymyr-zelenskyy")] == "Q3874799"
    assert entities["Q3874799"].name == "Volodymyr Zelenskyy"


def test_unknown_people_merge_on_near_spelling_and_ids_ignore_article_order() -> None:
    a = facts("a", local("yury-belov", "Yury Belov", {"Person": 1}))
    b = facts("b", local("yuri-belov", "Yuri Belov", {"Person": 1}))
    forward, backward = resolve(a, b)[0], resolve(b, a)[0]
    assert list(forward) == list(backward) == ["yuri-belov"]
    one, other = forward["yuri-belov"], backward["yuri-belov"]
    assert (
        (one.name, one.aliases, one.type)
        == (other.name, other.aliases, other.type)
        == ("Yuri Belov", ["Yury Belov"], "Person")
    )


def test_surname_joins_the_only_full_name_in_the_corpus() -> None:
    _, mapping = resolve(
        facts("a", local("kellan-morrow", "Kellan Morrow", {"Person": 2})),
        facts("b", local("morrow", "Morrow", {"Person": 1})),
    )
    assert mapping[("b", "morrow")] == mapping[("a", "kellan-morrow")] == "kellan-morrow"


def test_surname_shared_by_two_people_stays_apart_and_is_no_alias() -> None:
    entities, mapping = resolve(
        facts("a", local("li-wen", "Li Wen", {"Person": 2}, ["Li"])),
        facts("b", local("li-tao", "Li Tao", {"Person": 2}, ["Li"])),
        facts("c", local("li", "Li", {"Person": 3})),
    )
    assert mapping[("a", "li-wen")] != mapping[("b", "li-tao")]
    assert "Li" not in entities["li-wen"].aliases + entities["li-tao"].aliases


def test_type_is_decided_from_all_articles_and_the_gazetteer_wins() -> None:
    entities, mapping = resolve(
        facts("a", local("techcrim", "Techcrim", {"Person": 1.0})),
        facts("b", local("techcrim", "Techcrim", {"Organization": 2.0})),
        facts("c", local("twitter", "Twitter", {"Person": 5.0})),
    )
    assert entities[mapping[("a", "techcrim")]].type == "Organization"
    assert entities["Q918"].type == "Organization"


def test_one_word_person_nothing_vouches_for_is_dropped() -> None:
    entities, mapping = resolve(facts("a", local("covid", "Covid", {"Person": 1.0})))
    assert entities == {} and ("a", "covid") not in mapping


def test_capital_stands_for_the_corpus_id_of_its_state() -> None:
    beijing = local("Q956", "Beijing", {"City": 10})
    beijing.stands_for = "Q148"
    entities, _ = resolve(facts("a", beijing, local("Q148", "China", {"State": 10})))
    assert entities["Q956"].stands_for == "Q148"
    assert entities["Q956"].type == "City"


def test_a_states_institution_is_one_entity_however_the_state_is_written() -> None:
    entities, mapping = resolve(
        facts("a", local("norway-s-defence-ministry", "Norway’s Defence Ministry", {"Organization": 1})),
        facts("b", local("norwegian-defence-ministry", "Norwegian Defence Ministry", {"Organization": 1})),
    )
    assert mapping[("a", "norway-s-defence-ministry")] == mapping[("b", "norwegian-defence-ministry")]
    assert [e.name for e in entities.values()] == ["Norwegian Defence Ministry"]


def person(article: str, name: str) -> ArticleFacts:
    """An article mentioning one person, vouched for by a title (so resolution keeps it)."""
    return facts(article, local(slug(name), name, {"Person": 3}))


NAMES = st.lists(st.text(st.characters(categories=["Lu", "Ll", "Lo"]), min_size=1, max_size=8), min_size=2, max_size=2)


@settings(max_examples=300, deadline=None)
@given(st.lists(NAMES.map(" ".join), min_size=2, max_size=6, unique_by=normal))
def test_different_names_never_share_an_id(names: list[str]) -> None:
    gazetteer = Gazetteer.load()
    names = [n for n in names if len(normal(n).split()) == 2]  # one word would be a surname, joining a full name
    names = [n for n in names if gazetteer.lookup(n) is None and qualified_key(n, gazetteer) is None]
    _, mapping = resolve(*(person(f"a{i}", name) for i, name in enumerate(names)))
    ids = [mapping[(f"a{i}", slug(name))] for i, name in enumerate(names)]
    assert len(set(ids)) == len(ids), dict(zip(names, ids, strict=True))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) for i in ids)


def test_names_in_other_scripts_are_transliterated_and_told_apart() -> None:
    names = ["Thomas Müller", "Thomas Möller", "Сергей Лавров", "Владимир Путин", "王毅 外长", "李强 总理"]
    _, mapping = resolve(*(person(f"a{i}", name) for i, name in enumerate(names)))
    ids = [mapping[(f"a{i}", slug(name))] for i, name in enumerate(names)]
    assert ids[:4] == ["thomas-muller", "thomas-moller", "sergey-lavrov", "vladimir-putin"]
    assert len(set(ids)) == len(ids)


def test_a_name_whose_slug_is_taken_gets_a_hash_and_gazetteer_ids_stay() -> None:
    _, mapping = resolve(person("a", "Jones's Party"), person("b", "Jones-s Party"), person("c", "Xi Jinping"))
    assert {mapping[("a", slug("Jones's Party"))], mapping[("b", slug("Jones-s Party"))]} == {
        "jones-s-party",
        "jones-s-party-" + hashlib.sha256(b"name:jones s parti").hexdigest()[:8],
    }
    assert mapping[("c", "xi-jinping")] == Gazetteer.load().lookup("Xi Jinping").wikidata


@pytest.mark.slow
def test_a_build_keeps_two_people_written_in_cyrillic_apart() -> None:
    texts = {
        "lavrov": "Foreign Minister Сергей Лавров met Secretary of State Antony Blinken in Geneva on Friday. "
        '"The talks were useful," Сергей Лавров said after the meeting.',
        "putin": "President Владимир Путин visited Beijing on Monday, where he met Chinese President Xi Jinping.",
    }
    articles = [Article(article_id(text), f"{name}.txt", text) for name, text in texts.items()]
    corpus = corpus_of(extract_batch(articles))
    ids = {e.name: e.id for e in corpus.entities}
    assert ids["Сергей Лавров"] != ids["Владимир Путин"]
    geneva = next(f.record for f in corpus.events if "Geneva" in f.sources[0].sentence)
    assert ids["Сергей Лавров"] in geneva.participants and ids["Владимир Путин"] not in geneva.participants
    assert {f.record.speaker for f in corpus.statements} == {ids["Сергей Лавров"]}
