"""Time expressions normalised against the article's date, with their precision kept."""

from __future__ import annotations

import pytest

from kg.extract.timex import find_time, is_date, resolve
from kg.model import TimeExpr
from kg.nlp import load_model

FRIDAY = "2023-03-17"


@pytest.mark.parametrize(
    ("text", "future", "start", "end"),
    [
        ("on Thursday", False, "2023-03-16", None),
        ("Friday", False, "2023-03-17", None),
        ("on Monday", True, "2023-03-20", None),
        ("on Tuesday", False, "2023-03-14", None),
        ("from Monday to Wednesday", True, "2023-03-20", "2023-03-22"),
        ("last month", False, "2023-02", None),
        ("last week", False, "2023-03", None),
        ("next week", True, "2023-03", None),
        ("last year", False, "2022", None),
        ("last September", False, "2022-09", None),
        ("in December", False, "2022-12", None),
        ("in December", True, "2023-12", None),
        ("In February", False, "2023-02", None),
        ("February last year", False, "2022-02", None),
        ("In June last year", False, "2022-06", None),
        ("March 20", False, "2023-03-20", None),
        ("20 March 2023", False, "2023-03-20", None),
        ("in March 2013", False, "2013-03", None),
        ("2019", False, "2019", None),
        ("20-22 March", True, "2023-03-20", "2023-03-22"),
        ("2023-03-18", False, "2023-03-18", None),
    ],
)
def test_resolve_against_article_date(text: str, future: bool, start: str, end: str | None) -> None:
    assert resolve(text, FRIDAY, future=future) == TimeExpr(text, start, end)


@pytest.mark.parametrize("text", ["on Thursday", "last month", "next week", "in December", "last year"])
def test_relative_dates_stay_unresolved_without_article_date(text: str) -> None:
    assert resolve(text, None) == TimeExpr(text, None)


def test_absolute_dates_resolve_without_article_date() -> None:
    assert resolve("20 March 2023", None).start == "2023-03-20"
    assert resolve("in 2019", None).start == "2019"


def test_unknown_text_is_unresolved() -> None:
    assert resolve("the same day", FRIDAY).start is None


def test_find_time_uses_the_clause_tense() -> None:
    doc = load_model()("Xi will visit Moscow on Monday.")
    assert find_time(doc[:], FRIDAY) == TimeExpr("on Monday", "2023-03-20")
    doc = load_model()("Qin spoke to Kuleba on Thursday.")
    assert find_time(doc[:], FRIDAY).start == "2023-03-16"
    assert find_time(load_model()("Qin spoke to Kuleba.")[:], FRIDAY) is None


@pytest.mark.parametrize(
    ("text", "future", "start"),
    [
        ("last night", False, "2023-03-16"),
        ("yesterday night", False, "2023-03-16"),
        ("the day before yesterday", False, "2023-03-15"),
        ("this morning", False, "2023-03-17"),
        ("earlier in the day", False, "2023-03-17"),
        ("later on Friday", True, "2023-03-17"),
        ("on Friday", True, "2023-03-24"),
        ("next Friday", True, "2023-03-24"),
        ("on Wednesday", True, "2023-03-22"),
        ("on Wednesday", False, "2023-03-15"),
    ],
)
def test_parts_of_days_and_weekdays_by_tense(text: str, future: bool, start: str) -> None:
    assert resolve(text, FRIDAY, future=future).start == start


@pytest.mark.parametrize("text", ["in more than two years", "two years", "for three months", "300 days"])
def test_durations_are_no_points_in_time(text: str) -> None:
    assert resolve(text, FRIDAY).start is None


@pytest.mark.parametrize(("text", "start"), [("mid-January", "2023-01"), ("the end of February", "2023-02")])
def test_dateparser_resolves_what_the_rules_do_not_at_the_precision_given(text: str, start: str) -> None:
    assert resolve(text, FRIDAY).start == start


def test_a_time_entity_naming_a_day_is_a_date_and_a_clock_time_is_not() -> None:
    doc = load_model()("Zelensky will speak on Wednesday night and again at 7:30 p.m.")
    assert [e.text for e in doc.ents if is_date(e)] == ["Wednesday night"]


@pytest.mark.parametrize(
    ("text", "start"), [("on Friday night", "2023-03-17"), ("this Friday", "2023-03-17"), ("on Friday", "2023-03-24")]
)
def test_a_future_weekday_on_the_articles_own_day_is_today_only_with_a_part_of_the_day(text: str, start: str) -> None:
    assert resolve(text, FRIDAY, future=True).start == start


def test_a_time_entity_of_the_articles_own_day_is_a_date() -> None:
    doc = load_model()("Modi met Scholz earlier in the day and will fly home at 7:30 p.m.")
    assert [e.text for e in doc.ents if is_date(e)] == ["earlier in the day"]
