"""Statements: quotes (with or without quotation marks) and reported speech, with resolved speakers."""

from __future__ import annotations

from functools import cache

import pytest

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


def test_quote_continued_in_its_paragraph_is_one_statement_and_in_the_next_a_new_one():
    same = said("“An exchange of views is planned,” the Kremlin added. “Several documents will be signed.”")
    assert same == [("Kremlin", "An exchange of views is planned. Several documents will be signed", True)]
    apart = said("“An exchange of views is planned,” the Kremlin added.\n\n“Several documents will be signed.”")
    assert [(s, q) for s, q, _ in apart] == [
        ("Kremlin", "An exchange of views is planned"),
        ("Kremlin", "Several documents will be signed"),
    ]


def test_quote_opened_sentences_before_its_attribution_starts_there():
    got = said("“We met twice this week. We will meet again in May,” Daniel Hoffmann told reporters.")
    assert got == [("Daniel Hoffmann", "We met twice this week. We will meet again in May", True)]


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
    assert said(text) == [("Vladimir Putin", "relations had reached new heights", False)]


def test_speaker_named_by_a_title_the_article_gave_them():
    text = (
        "Dutch Prime Minister Pieter Alders met Anna Berg in Oslo on Monday.\n\n"
        "‘We came to listen,’ the Prime Minister said.\n\n"
        "The Dutch leader added that trade would grow."
    )
    assert said(text) == [
        ("Pieter Alders", "We came to listen", True),
        ("Pieter Alders", "trade would grow", False),
    ]


def test_unnamed_title_holders_are_left_out():
    assert said("Pieter Alders arrived. A senior minister said the talks failed. His spokesman said little.") == []


def test_single_quotation_marks_leave_apostrophes_alone():
    got = said("'It's a good day for our farmers' union,' Laura Whitfield said.")
    assert got == [("Laura Whitfield", "It's a good day for our farmers' union", True)]


def test_quoted_words_in_reported_speech_stay_in_the_clause():
    got = said("Laura Whitfield said the deal had a “bright future” for both sides.")
    assert got == [("Laura Whitfield", "the deal had a bright future for both sides", False)]


@pytest.mark.parametrize(
    ("sentence", "quote"),
    [
        ("Laura Whitfield warned that the border would close.", "the border would close"),
        ("Laura Whitfield added that the border would close.", "the border would close"),
        ("Laura Whitfield stressed that the border would close.", "the border would close"),
        ("Laura Whitfield insisted the border would close.", "the border would close"),
        ("Laura Whitfield told reporters the border would close.", "the border would close"),
        ("In a statement, Laura Whitfield said the border would close.", "the border would close"),
        ("The border would close, Laura Whitfield said.", "The border would close"),
        ("“The border would close,” said Laura Whitfield.", "The border would close"),
        ("Laura Whitfield said: “The border will close.”", "The border will close"),
    ],
)
def test_ways_english_attributes_speech(sentence: str, quote: str):
    assert [(s, q) for s, q, _ in said(sentence)] == [("Laura Whitfield", quote)]


def test_one_reported_statement_per_speaker_and_sentence():
    text = "Daniel Hoffmann told reporters that the talks went well, said a deal was close and added that both agreed."
    got = said(text)
    assert len(got) == 1 and got[0][0] == "Daniel Hoffmann" and got[0][1].startswith("the talks went well")


def test_according_to_an_organisation():
    assert said("The ministers met in Oslo on Friday, according to the Reuters news agency.") == [
        ("Reuters", "The ministers met in Oslo on Friday", True)
    ]


def test_a_news_agency_reports():
    got = said("The two ministers met in Oslo on Friday, the Xinhua news agency reported.")
    assert [(s, q) for s, q, _ in got] == [("Xinhua", "The two ministers met in Oslo on Friday")]


def test_narration_is_no_statement_and_stops_an_unmarked_quote():
    text = (
        "Foreign Minister Laura Whitfield spoke by phone with her Swiss counterpart Anna Berg on Monday. "
        "The two ministers spoke for more than two hours. Trade will grow, Daniel Hoffmann said."
    )
    assert said(text) == [("Daniel Hoffmann", "Trade will grow", True)]


def test_speech_that_has_not_happened_is_no_statement():
    assert said("Laura Whitfield will call on the council to act next week.") == []
    assert said("Laura Whitfield is expected to say that the plan failed.") == []


def test_pronoun_takes_the_possessor_named_in_its_sentence():
    text = "Daniel Hoffmann met the press. Laura Whitfield's visit is meant to ease tension, she wrote on Friday."
    assert said(text)[-1][0] == "Laura Whitfield"


def test_photo_credit_is_no_speaker():
    text = "Leaders met in Oslo. (AP Photo/Tom Ellery)Laura Whitfield said the talks would resume."
    assert said(text) == [("Laura Whitfield", "the talks would resume", False)]


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


def test_single_marks_pair_around_words_not_apostrophes():
    text = "She said 'we stay' and it's Biden's call.\n'Workers' rights matter,' he said."
    assert [text[s:e] for s, e in quote_spans(text)] == ["we stay", "Workers' rights matter,"]


def test_quote_addressing_someone_by_title_keeps_its_speaker():
    text = "Dutch Prime Minister Pieter Alders called Anna Berg.\n\n'Madam President, welcome,' the Dutch premier said."
    assert said(text)[-1] == ("Pieter Alders", "Madam President, welcome", True)


def test_pronoun_takes_the_person_a_narrating_sentence_made_subject():
    text = (
        "Laura Whitfield said the vote was lost.\n\n"
        "The decision sparked anger in the party, with one senator, Anna Berg, submitting a letter of protest. "
        "She said the leader must go."
    )
    assert said(text)[-1] == ("Anna Berg", "the leader must go", False)


def test_according_to_a_name_the_parse_gave_an_apposition():
    got = said("According to Laura Whitfield, the decision to close the border was fully justified by the risks.")
    assert got == [("Laura Whitfield", "the decision to close the border was fully justified by the risks", True)]


def test_reported_speech_runs_to_the_end_of_the_quotation_it_opens():
    text = "Laura Whitfield said the parties were at “the start of a long road, our eyes are open, but it is worth it.”"
    [(_, quote, _)] = said(text)
    assert quote.endswith("but it is worth it")


def test_title_named_before_the_name_takes_the_articles_only_holder():
    text = "The Dutch prime minister said that trade would grow. Later, Dutch Prime Minister Pieter Alders left."
    assert said(text) == [("Pieter Alders", "trade would grow", False)]
