"""Statements: quotes (with or without quotation marks) and reported speech, with resolved speakers."""

from __future__ import annotations

from functools import cache

from kg.extract import extract_articles
from kg.extract.statements import quote_spans
from kg.gazetteer import Gazetteer
from kg.model import Article, Statement
from kg.nlp import load_model


@cache
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def said(text: str, date: str | None = "2023-03-17") -> list[tuple[str, str, bool]]:
    """(speaker name, quote, direct) of every statement found in `text`."""
    facts = next(extract_articles([Article("a", "a.txt", text, date=date)], load_model(), gazetteer()))
    names = {e.key: e.name for e in facts.entities}
    return [(names.get(s.speaker, s.speaker), s.quote, s.direct) for s in facts.statements]


def statements(text: str) -> list[Statement]:
    articles = [Article("a", "a.txt", text, date="2023-03-17")]
    return next(extract_articles(articles, load_model(), gazetteer())).statements


def test_quote_without_marks_and_trailing_attribution():
    got = said("We are in contact with all parties, spokesman Daniel Hoffmann said during a regular briefing.")
    assert got == [("Daniel Hoffmann", "We are in contact with all parties", True)]


def test_direct_quote_with_curly_and_straight_marks():
    curly = said("“The talks were useful,” said government spokesman Daniel Hoffmann.")
    straight = said('"The talks were useful," said government spokesman Daniel Hoffmann.')
    assert curly == straight == [("Daniel Hoffmann", "The talks were useful", True)]


def test_reported_speech_keeps_the_clause():
    got = said("Senator Laura Whitfield said the sale was part of older business deals.")
    assert got == [("Laura Whitfield", "the sale was part of older business deals", False)]


def test_told_that():
    got = said("Minister Laura Whitfield told Daniel Hoffmann that the border would reopen soon.")
    assert got == [("Laura Whitfield", "the border would reopen soon", False)]


def test_pronoun_speaker_takes_previous_speaker():
    got = said("Laura Whitfield said the meeting went well. Prices will fall next year, she said.")
    assert [s for s, _, _ in got] == ["Laura Whitfield", "Laura Whitfield"]
    assert got[1][1] == "Prices will fall next year"


def test_pronoun_without_antecedent_is_dropped():
    assert said("Prices will fall next year, he said.") == []


def test_organisation_speaker_and_the_statement():
    got = said("Both sides will sign documents, the Kremlin said. Talks start on Monday, the statement said.")
    assert [s for s, _, _ in got] == ["Kremlin", "Kremlin"]


def test_participle_saying_takes_the_subject():
    got = said("The Kremlin confirmed the visit, saying the talks would focus on trade.")
    assert got == [("Kremlin", "the talks would focus on trade", False)]


def test_split_quote_gives_one_statement_per_segment():
    got = said("“An exchange of views is planned,” the Kremlin added. “Several documents will be signed.”")
    assert [(s, q) for s, q, _ in got] == [
        ("Kremlin", "An exchange of views is planned"),
        ("Kremlin", "Several documents will be signed"),
    ]


def test_quote_continuing_over_sentences_is_one_statement():
    got = said("Daniel Hoffmann told reporters: “There is no deal yet. We keep talking.”")
    assert got == [("Daniel Hoffmann", "There is no deal yet. We keep talking", True)]


def test_unmarked_quote_over_two_sentences_reaches_back_to_paragraph_start():
    got = said("Laura Whitfield arrived on Monday.\n\nThe world is changing fast. We must adapt, she added.")
    assert got[-1][1].startswith("The world is changing fast")


def test_scare_quote_is_not_a_quote():
    got = said("Laura Whitfield said that leaders were invited to talk about “cooperation” issues.")
    assert got == [("Laura Whitfield", "leaders were invited to talk about cooperation issues", False)]


def test_nominal_speaker_resolves_to_the_states_leader():
    text = "Russian President Vladimir Putin met them. The Russian leader said relations had reached “new heights”."
    got = said(text)
    assert got == [("Vladimir Putin", "new heights", True)]


def test_states_capitals_and_unnamed_sources_are_left_out():
    text = (
        "Beijing denies the allegations. Washington has accused Moscow of lying. "
        "Officials say the plan failed. China said the sanctions were illegal."
    )
    assert said(text) == []


def test_statement_time_and_about():
    found = statements("Laura Whitfield said on Thursday that Germany would send aid to Poland.")
    assert len(found) == 1
    assert found[0].time is not None and found[0].time.start == "2023-03-16"
    assert len(found[0].about) == 2


def test_article_date_when_no_time_is_said():
    found = statements("Laura Whitfield said the aid would arrive soon.")
    assert found[0].time is not None and found[0].time.text == "article date" and found[0].time.start == "2023-03-17"


def test_quote_spans_drop_a_stray_closing_mark():
    text = "He left.” Then “we stay,” she said."
    assert [text[s:e] for s, e in quote_spans(text)] == ["we stay,"]


def test_according_to_a_person_but_not_a_document():
    assert said("The border will reopen in May, according to Laura Whitfield.") == [
        ("Laura Whitfield", "The border will reopen in May", True)
    ]
    assert said("Laura Whitfield left Berlin, according to a report by the ministry.") == []


def test_accused_of_and_relative_clause_speaker():
    got = said("The chill showed in remarks from Laura Whitfield, who accused Germany of waging a campaign of pressure")
    assert got and got[0][0] == "Laura Whitfield" and "waging a campaign of pressure" in got[0][1]


def test_one_statement_per_speaker_and_sentence():
    got = said("I am sure we will agree, Daniel Hoffmann said, adding: We will see what ideas emerge.")
    assert len(got) == 1 and got[0][1].startswith("I am sure we will agree")
