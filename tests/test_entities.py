"""Finding, cleaning, typing and grouping the actors of one article."""

from __future__ import annotations

import pytest
from spacy.tokens import Span

from kg.extract.context import Context
from kg.extract.entities import find_entities, normal
from kg.extract.spans import clean, ner_spans
from kg.gazetteer import Gazetteer
from kg.model import Article, LocalEntity
from kg.nlp import load_model
from kg.repair import repair

pytestmark = pytest.mark.slow


def index_of(text: str):
    """The entity index of one article made of `text`."""
    ctx = Context(Article("a", "a.txt", text), load_model()(text), repair(text), Gazetteer.load())
    return find_entities(ctx)


def by_name(text: str) -> dict[str, LocalEntity]:
    return {e.name: e for e in index_of(text).entities}


def test_spellings_of_one_actor_are_one_entity() -> None:
    entities = by_name("The US sent aid. Officials in the U.S. and the United States agreed. America waits.")
    us = entities["United States"]
    assert us.type == "State" and us.wikidata == "Q30"
    assert {"US", "U.S."} <= set(us.aliases)


def test_possessive_and_surname_join_the_full_name() -> None:
    entities = by_name("Xi Jinping arrived on Monday. Xi’s visit lasts three days, and Xi will meet officials.")
    assert set(entities) == {"Xi Jinping"}
    assert len(entities["Xi Jinping"].mentions) == 3


def test_bare_surname_goes_to_the_nearest_earlier_full_name() -> None:
    index = index_of(
        "Wang Wenbin spoke on Friday. Wang said talks would help. "
        "Later Wang Yi arrived in Moscow. Putin told Wang that ties were strong."
    )
    wangs = [(span.sent.text, key) for span, key in index.mentions if span.text == "Wang"]
    assert [key for _, key in wangs] == ["wang-wenbin", "wang-yi"]


def test_unknown_person_with_title_is_a_person_and_keeps_a_slug_key() -> None:
    entities = by_name("Norwegian Foreign Minister Ingrid Halvorsen met reporters. Halvorsen said talks went well.")
    halvorsen = entities["Ingrid Halvorsen"]
    assert halvorsen.type == "Person" and halvorsen.key == "ingrid-halvorsen"
    assert "Halvorsen" in halvorsen.aliases


def test_gazetteer_type_beats_the_label() -> None:
    entities = by_name("Kuleba said on Twitter that he and Qin had discussed the principle of territorial integrity.")
    assert entities["Twitter"].type == "Organization"
    assert entities["Dmytro Kuleba"].type == "Person"


def test_demonym_split_from_an_institution_is_joined_back() -> None:
    doc = load_model()("Chinese Foreign Ministry spokesperson Wang Wenbin said so.")
    doc.ents = [Span(doc, 0, 1, label="NORP"), Span(doc, 1, 3, label="ORG"), Span(doc, 4, 6, label="PERSON")]
    assert [(s.text, s.label_) for s in ner_spans(doc, Gazetteer.load())] == [
        ("Chinese Foreign Ministry", "ORG"),
        ("Wang Wenbin", "PERSON"),
    ]


def test_capital_used_as_actor_stands_for_its_state() -> None:
    entities = by_name("Beijing denies the allegations.")
    assert entities["Beijing"].type == "City"
    assert entities["Beijing"].stands_for == entities["China"].key


def test_capital_as_place_stands_for_nothing() -> None:
    assert by_name("The delegation arrived in Beijing on Monday.")["Beijing"].stands_for is None


def test_demonym_names_a_state_only_before_a_title() -> None:
    assert "China" in by_name("Chinese leader Xi Jinping will fly to Moscow.")
    assert "China" not in by_name("Xi Jinping praised the Chinese economy in Moscow.")


def test_regions_are_not_entities() -> None:
    assert not {"Black Sea", "Middle East", "Europe"} & set(
        by_name("A drone fell into the Black Sea. The Middle East and Europe watched.")
    )


def test_index_finds_entity_by_token_and_sentence() -> None:
    index = index_of("Kremlin spokesman Dmitry Peskov spoke. Putin listened.")
    doc_sents = list(index.mentions[0][0].doc.sents)
    peskov = index.mentions[1][0]
    assert index.key_for_token(peskov[0]) == "dmitry-peskov"
    assert [key for _, key in index.mentions_in(doc_sents[1])] == [index.key_for_token(doc_sents[1][0])]


@pytest.mark.parametrize(
    ("text", "label", "start", "end", "expected"),
    [
        ("the Shanghai Cooperation Organization Summit opened.", "ORG", 0, 5, "Shanghai Cooperation Organization"),
        ("President Vladimir Putin spoke.", "PERSON", 0, 3, "Vladimir Putin"),
        ("Import Genius. said so.", "ORG", 0, 3, "Import Genius"),
        ("A12 point plan.", "ORG", 0, 1, None),
        ("the congress met.", "ORG", 1, 2, None),
    ],
)
def test_clean_strips_titles_articles_and_punctuation_and_rejects_junk(
    text: str, label: str, start: int, end: int, expected: str | None
) -> None:
    doc = load_model()(text)
    result = clean(Span(doc, start, end, label=label), Gazetteer.load())
    assert (result[0].text if result else None) == expected


def test_normal_key_tolerates_transliteration() -> None:
    assert normal("Zelenskyy") == normal("Zelensky")
    assert normal("Yury Ushakov") == normal("Yuri Ushakov")
    assert normal("Wang Yi") != normal("Wang Wenbin")


def test_photo_credit_names_the_agency_and_the_photographer() -> None:
    entities = by_name("Leaders met in Oslo. (AP Photo/Tom Ellery, Pool)Laura Whitfield spoke.")
    assert entities["Associated Press"].type == "Organization"
    assert entities["Tom Ellery"].type == "Person"
    assert not [name for name in entities if "Photo" in name or "Pool" in name or ")" in name]


def test_dateline_is_a_city() -> None:
    entities = by_name("KIRKENES, Norway - Foreign Minister Laura Whitfield said on Monday the border would reopen.")
    assert entities["KIRKENES"].type == "City"


def test_spelling_variants_and_diacritics_join_one_actor() -> None:
    entities = by_name("Volodymr Zelensky met Vladmir Putin. Recep Tayyip Erdoğan called Erdogan's aides.")
    assert {"Volodymyr Zelenskyy", "Vladimir Putin", "Recep Tayyip Erdoğan"} <= set(entities)
    assert len(entities) == 3


def test_spelling_variant_of_a_name_the_article_used() -> None:
    entities = by_name("Laura Whitfeld arrived on Monday. Later Laura Whitfield met the press.")
    assert len([e for e in entities.values() if e.type == "Person"]) == 1


def test_short_or_different_names_are_not_variants() -> None:
    entities = by_name("Li Qiang met Li Keqiang. Kim Jong Un wrote to Kim Jong Il.")
    assert {"Li Qiang", "Li Keqiang", "Kim Jong Un", "Kim Jong Il"} <= set(entities)


def test_unclosed_bracket_is_cut_from_a_name() -> None:
    entities = by_name("The Nordic Grain Council (NGC summit opened in Oslo.")
    assert "Nordic Grain Council" in entities


def test_a_title_is_no_part_of_a_name() -> None:
    entities = by_name("King Harald met Emir Tamim bin Hamad Al Thani and Crown Prince Mohammed bin Salman.")
    assert {"Harald", "Tamim bin Hamad Al Thani", "Mohammed bin Salman"} <= set(entities)
    assert entities["Harald"].type == "Person"


def test_title_words_after_a_demonym_are_no_organisation() -> None:
    entities = by_name("Indian External Affairs Minister Ravi Menon met the press in Delhi.")
    assert "Indian External Affairs" not in entities and entities["Ravi Menon"].type == "Person"


def test_words_after_an_honorific_are_a_name() -> None:
    assert "Sultan Harbi" in by_name("Summit chair Dr Sultan Harbi opened the talks.")


def test_documents_regions_conferences_and_common_words_are_no_actors() -> None:
    entities = by_name("Supposed to start at ten, COP29 opened. The UN Charter binds the Indo-Pacific states.")
    assert "United Nations" in entities
    assert not {"Supposed", "COP29", "UN Charter", "Indo-Pacific"} & set(entities)


def test_name_in_capitals_is_found_when_the_article_names_the_person_otherwise() -> None:
    entities = by_name("LAURA WHITFIELD insisted that she would stay. Later Mrs Whitfield met the press.")
    assert entities["Laura Whitfield"].type == "Person"
    assert len(entities) == 1


def test_captions_and_paragraphs_end_sentences() -> None:
    doc = load_model()("Leaders met in Oslo (AP Photo/Tom Ellery)Laura Whitfield spoke\n\nAnna Berg left")
    starts = [s[0].text for s in doc.sents]
    assert "Laura" in starts and "Anna" in starts


def test_organisations_one_word_apart_stay_two() -> None:
    entities = by_name("The Eastern Rail Union met the Western Rail Union in Oslo on Monday.")
    assert {"Eastern Rail Union", "Western Rail Union"} <= set(entities)
