"""Merging facts across articles: one event with all its sources, disagreements, copies, inferred dates."""

from __future__ import annotations

import random
import re
from datetime import date, timedelta
from pathlib import Path

from kg.merge import find_duplicates, merge_facts
from kg.model import (
    Article,
    ArticleFacts,
    Corpus,
    Disagreement,
    Entity,
    Event,
    Evidence,
    Role,
    Statement,
    TimeExpr,
)

ARTICLES = Path(__file__).parents[1] / "data" / "articles"
ENTITIES = [
    Entity("xi", "Xi Jinping", "Person"),
    Entity("putin", "Vladimir Putin", "Person"),
    Entity("russia", "Russia", "State"),
    Entity("moscow", "Moscow", "City", stands_for="russia"),
    Entity("qin", "Qin Gang", "Person"),
    Entity("kuleba", "Dmytro Kuleba", "Person"),
    Entity("blinken", "Antony Blinken", "Person"),
    Entity("wang", "Wang Wenbin", "Person"),
    Entity("ministry", "Chinese Foreign Ministry", "Organization"),
]


def evidence(article: str, pos: int = 0) -> Evidence:
    return Evidence(article, f"sentence {pos}", pos, pos + 10)


def event(
    article: str, kind: str, people: list[str], start: str | None = None, end: str | None = None, pos: int = 0, **kw
) -> Event:
    time = TimeExpr(kw.pop("text", start or ""), start, end) if start or "text" in kw else None
    return Event(kind, people, evidence(article, pos), time=time, **kw)


def facts(
    article: str, *records: Event | Statement | Role, day: str | None = "2023-03-18", text: str | None = None
) -> ArticleFacts:
    art = Article(article, article, text or f"report {article}", date=day)
    return ArticleFacts(
        art,
        events=[r for r in records if isinstance(r, Event)],
        statements=[r for r in records if isinstance(r, Statement)],
        roles=[r for r in records if isinstance(r, Role)],
    )


def merge(*records: ArticleFacts, **kw) -> Corpus:
    mapping = {(r.article.id, e.id): e.id for r in records for e in ENTITIES}
    return merge_facts(list(records), ENTITIES, mapping, **kw)


def test_one_visit_reported_by_five_articles_is_one_event_with_five_sources():
    corpus = merge(
        facts("a1", event("a1", "Visit", ["xi", "russia", "putin"], "2023-03-20", "2023-03-22")),
        facts("a2", event("a2", "Visit", ["xi", "russia"], "2023-03-20", "2023-03-22", location="moscow")),
        facts("a3", event("a3", "Visit", ["xi", "putin"], "2023-03")),
        facts("a4", event("a4", "Visit", ["xi", "russia", "putin"], "2023-03-20")),
        facts("a5", event("a5", "Visit", ["xi", "russia"], text="next week")),
    )
    [visit] = corpus.events
    assert visit.articles == ["a1", "a2", "a3", "a4", "a5"]
    assert (visit.record.time.start, visit.record.time.end) == ("2023-03-20", "2023-03-22")
    assert set(visit.record.participants) == {"xi", "russia", "putin"}
    assert visit.record.location == "moscow"
    assert visit.disputes == []
    assert visit.confidence == 1 - 0.5**5


def test_an_actor_keeps_the_side_of_a_visit_most_sources_give():
    def visit(article: str, visitors: list[str], hosts: list[str]) -> ArticleFacts:
        roles = {"visitor": visitors, "host": hosts, "inviter": ["putin"]}
        return facts(article, event(article, "Visit", ["xi", "putin"], "2023-03-20", roles=roles))

    corpus = merge(visit("a1", ["xi"], ["putin"]), visit("a2", ["xi"], ["putin"]), visit("a3", ["xi", "putin"], ["xi"]))
    [merged] = corpus.events
    assert merged.record.roles == {"host": ["putin"], "inviter": ["putin"], "visitor": ["xi"]}


def test_met_versus_phone_call_is_one_event_with_the_type_disputed():
    corpus = merge(
        *[facts(a, event(a, "PhoneCall", ["qin", "kuleba"], "2023-03-16")) for a in ("a1", "a3", "a4")],
        facts("a2", event("a2", "Meeting", ["kuleba", "qin"], "2023-03-16")),
    )
    [call] = corpus.events
    assert call.record.type == "PhoneCall"
    assert call.disputes == [Disagreement("type", {"Meeting": ["a2"], "PhoneCall": ["a1", "a3", "a4"]})]


def test_dinner_versus_lunch_keeps_both_values_with_their_sources():
    corpus = merge(
        facts("a1", event("a1", "Meeting", ["xi", "putin"], "2023-03-20", details={"meal": "dinner"})),
        facts("a2", event("a2", "Meeting", ["xi", "putin"], "2023-03-20", details={"meal": "lunch"})),
        facts("a3", event("a3", "Meeting", ["xi", "putin"], "2023-03-20", details={"meal": "dinner"})),
    )
    [meeting] = corpus.events
    assert meeting.record.details == {"meal": "dinner"}
    assert meeting.disputes == [Disagreement("meal", {"dinner": ["a1", "a3"], "lunch": ["a2"]})]


def test_different_pairs_or_types_on_the_same_day_stay_apart():
    corpus = merge(
        facts(
            "a1",
            event("a1", "PhoneCall", ["qin", "kuleba"], "2023-03-16", pos=0),
            event("a1", "PhoneCall", ["kuleba", "blinken"], "2023-03-16", pos=20),
            event("a1", "Visit", ["xi", "russia", "putin"], "2023-03-20", pos=40),
            event("a1", "Meeting", ["xi", "putin"], "2023-03-20", pos=60),
        )
    )
    assert len(corpus.events) == 4


def test_incompatible_dates_stay_apart_and_an_undated_report_does_not_chain_them():
    corpus = merge(
        facts("a1", event("a1", "Meeting", ["xi", "putin"], "2022-09")),
        facts("a2", event("a2", "Meeting", ["xi", "putin"], "2023-03-20")),
        facts("a3", event("a3", "Meeting", ["xi", "putin"])),
    )
    assert sorted(f.record.time.start for f in corpus.events) == ["2022-09", "2023-03-20"]
    assert sum(len(f.sources) for f in corpus.events) == 3


def test_dates_a_day_apart_in_two_articles_are_a_disputed_date():
    corpus = merge(
        facts("a1", event("a1", "PhoneCall", ["qin", "kuleba"], "2023-03-16")),
        facts("a2", event("a2", "PhoneCall", ["qin", "kuleba"], "2023-03-16")),
        facts("a3", event("a3", "PhoneCall", ["qin", "kuleba"], "2023-03-15")),
    )
    [call] = corpus.events
    assert call.record.time.start == "2023-03-16"
    assert call.disputes == [Disagreement("date", {"2023-03-15": ["a3"], "2023-03-16": ["a1", "a2"]})]


def test_one_article_giving_two_days_reports_two_events():
    corpus = merge(
        facts(
            "a1",
            event("a1", "Meeting", ["xi", "putin"], "2023-03-20"),
            event("a1", "Meeting", ["xi", "putin"], "2023-03-21", pos=30),
        )
    )
    assert len(corpus.events) == 2


def test_visits_with_different_visitors_or_other_events_with_different_triggers_stay_apart():
    corpus = merge(
        facts(
            "a1",
            event("a1", "Visit", ["xi", "putin"], "2023-03", roles={"visitor": ["xi"]}),
            event("a1", "Other", ["russia"], "2023-03", trigger="sanctions", pos=30),
        ),
        facts(
            "a2",
            event("a2", "Visit", ["putin", "xi"], "2023-03", roles={"visitor": ["putin"]}),
            event("a2", "Other", ["russia"], "2023-03", trigger="invasion", pos=30),
        ),
        facts(
            "a3",
            event("a3", "Visit", ["xi", "putin"], "2023-03-20", roles={"visitor": ["xi"]}),
            event("a3", "Other", ["russia"], "2023-03", trigger="Sanctions", pos=30),
        ),
    )
    assert sorted((f.record.type, f.articles) for f in corpus.events) == [
        ("Other", ["a1", "a3"]),
        ("Other", ["a2"]),
        ("Visit", ["a1", "a3"]),
        ("Visit", ["a2"]),
    ]


def test_planned_and_happened_merge_but_negated_does_not():
    corpus = merge(
        facts("a1", event("a1", "Visit", ["xi", "russia"], "2023-03-20", status="planned")),
        facts("a2", event("a2", "Visit", ["xi", "russia"], "2023-03-20", status="happened")),
        facts("a3", event("a3", "Visit", ["xi", "russia"], "2023-03-20", status="negated")),
    )
    assert sorted(f.articles for f in corpus.events) == [["a1", "a2"], ["a3"]]


def test_a_capital_standing_for_its_state_matches_the_state():
    corpus = merge(
        facts("a1", event("a1", "Visit", ["xi", "moscow"], "2023-03-20")),
        facts("a2", event("a2", "Visit", ["xi", "russia", "putin"], "2023-03-20")),
    )
    [visit] = corpus.events
    assert visit.articles == ["a1", "a2"]
    assert sorted(visit.record.participants) in (["moscow", "putin", "xi"], ["putin", "russia", "xi"])


def test_output_and_ids_do_not_depend_on_input_order():
    records = [
        facts(
            "a1", event("a1", "Visit", ["xi", "russia"], "2023-03-20"), event("a1", "Meeting", ["xi", "putin"], pos=9)
        ),
        facts(
            "a2", event("a2", "Visit", ["russia", "xi"], "2023-03"), event("a2", "Meeting", ["putin", "xi"], "2022-09")
        ),
        facts(
            "a3",
            event("a3", "Meeting", ["xi", "putin"], "2023-03-20"),
            Statement("wang", "We are in communication with all parties", evidence("a3", 5)),
        ),
    ]
    first = merge(*records)
    shuffled = records[::-1]
    for r in shuffled:
        r.events.reverse()
    assert merge(*shuffled) == first
    assert len({f.id for f in first.events}) == len(first.events)


def test_the_same_quote_reworded_is_one_statement_of_its_speaker():
    said = "China's proposal boils down to one sentence, which is to push for peace and promote talks"
    spun = "China's proposal can be summarized in one sentence, which is to convince peace and promote talks"
    corpus = merge(
        facts(
            "a1",
            Statement("wang", said, evidence("a1")),
            Statement("wang", "We are in communication with all parties", evidence("a1", 50)),
        ),
        facts("a2", Statement("wang", spun, evidence("a2"))),
        facts("a3", Statement("ministry", said, evidence("a3"))),
    )
    assert sorted((f.record.speaker, f.articles) for f in corpus.statements) == [
        ("ministry", ["a3"]),
        ("wang", ["a1"]),
        ("wang", ["a1", "a2"]),
    ]


def test_roles_merge_on_person_normalised_title_and_of():
    corpus = merge(
        facts("a1", Role("wang", "Spokesman", evidence("a1"), of="ministry")),
        facts("a2", Role("wang", "spokesperson", evidence("a2"), of="ministry")),
        facts("a3", Role("wang", "spokesman", evidence("a3"))),
        facts(
            "a4",
            Role("wang", "spokesman", evidence("a4"), of="russia"),
            Role("wang", "foreign minister", evidence("a4", 30), of="ministry"),
        ),
    )
    merged = sorted((f.record.title.lower(), str(f.record.of), f.articles) for f in corpus.roles)
    assert merged == [
        ("foreign minister", "ministry", ["a4"]),
        ("spokesman", "None", ["a3"]),
        ("spokesman", "ministry", ["a1", "a2"]),
        ("spokesman", "russia", ["a4"]),
    ]


def test_a_role_without_of_joins_the_only_matching_role():
    corpus = merge(
        facts("a1", Role("wang", "spokesman", evidence("a1"), of="ministry")),
        facts("a2", Role("wang", "spokesman", evidence("a2"))),
    )
    [role] = corpus.roles
    assert (role.record.of, role.articles) == ("ministry", ["a1", "a2"])


def spun(text: str, share: float, seed: int = 0) -> str:
    """The text with about `share` of its longer words replaced, like an article spinner."""
    rng = random.Random(seed)
    return re.sub(r"\w{4,}", lambda m: "x" + m[0][::-1] if rng.random() < share else m[0], text)


def test_a_rewritten_copy_is_a_duplicate_and_independent_reports_are_not():
    texts = {p.name[:3]: p.read_text() for p in sorted(ARTICLES.glob("*.txt"))}
    articles = [Article(k, k, t, date="2023-03-18") for k, t in texts.items()]
    assert find_duplicates(articles) == []
    copy = Article("zzz", "copy", spun(texts["003"], 0.3), date="2023-03-19")
    [dup] = find_duplicates([copy, *articles])
    assert (dup.article, dup.copy_of) == ("zzz", "003")
    assert dup.similarity > 0.3


def test_a_copy_does_not_count_as_independent_confirmation():
    original = Path(ARTICLES / "003_c65d6095390fdd5d.txt").read_text()
    visit = ["xi", "russia", "putin"]
    corpus = merge(
        facts("a1", event("a1", "Visit", visit, "2023-03-20"), text=original, day="2023-03-17"),
        facts("a2", event("a2", "Visit", visit, "2023-03-20"), text=spun(original, 0.3), day="2023-03-18"),
        facts(
            "a3",
            event("a3", "Visit", visit, "2023-03-20"),
            text=Path(ARTICLES / "001_3f34881810dbdd74.txt").read_text(),
        ),
    )
    assert [(d.article, d.copy_of) for d in corpus.duplicates] == [("a2", "a1")]
    [fact] = corpus.events
    assert fact.articles == ["a1", "a2", "a3"]
    assert fact.confidence == 1 - 0.5**2


WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def toy_resolve(text: str, day: str, future: bool = False) -> TimeExpr:
    """A small stand-in for `kg.extract.timex.resolve`: "from Monday to Wednesday" (next week in the future,
    else last week) and "on Friday" (the last one)."""
    d = date.fromisoformat(day)
    words = [w for w in text.lower().split() if w in WEEKDAYS]
    if len(words) == 2:
        monday = d - timedelta(days=d.weekday()) + timedelta(days=7 if future else -7)
        first = monday + timedelta(days=WEEKDAYS.index(words[0]))
        return TimeExpr(text, first.isoformat(), (monday + timedelta(days=WEEKDAYS.index(words[1]))).isoformat())
    if len(words) == 1:
        return TimeExpr(text, (d - timedelta(days=(d.weekday() - WEEKDAYS.index(words[0])) % 7)).isoformat())
    return TimeExpr(text)


def test_an_undated_article_gets_its_date_from_an_event_a_dated_article_resolves():
    corpus = merge(
        facts("a1", event("a1", "Visit", ["xi", "russia"], "2023-03-20", "2023-03-22"), day="2023-03-17"),
        facts(
            "u",
            event("u", "Visit", ["xi", "russia"], text="from Monday to Wednesday", status="planned"),
            event("u", "PhoneCall", ["qin", "kuleba"], text="on Friday", pos=40),
            event("u", "PhoneCall", ["kuleba", "blinken"], text="soon", pos=80),
            day=None,
        ),
        resolve=toy_resolve,
    )
    assert corpus.inferred_dates == {"u": "2023-03-13/2023-03-19"}
    by_people = {tuple(f.record.participants): f for f in corpus.events}
    assert by_people[("xi", "russia")].articles == ["a1", "u"]
    assert by_people[("qin", "kuleba")].record.time == TimeExpr("on Friday", "2023-03")
    assert by_people[("kuleba", "blinken")].record.time == TimeExpr("soon")


def test_an_undated_article_sharing_no_event_keeps_its_times_unresolved():
    corpus = merge(
        facts("a1", event("a1", "Visit", ["xi", "russia"], "2023-03-20", "2023-03-22"), day="2023-03-17"),
        facts("u", event("u", "PhoneCall", ["qin", "kuleba"], text="on Friday"), day=None),
        resolve=toy_resolve,
    )
    assert corpus.inferred_dates == {}
    assert [f.record.time for f in corpus.events if f.articles == ["u"]] == [TimeExpr("on Friday")]


def test_conflicting_evidence_leaves_an_undated_article_without_a_date():
    corpus = merge(
        facts("a1", event("a1", "PhoneCall", ["qin", "kuleba"], "2023-03-17")),
        facts("a2", event("a2", "PhoneCall", ["kuleba", "blinken"], "2022-02-04")),
        facts(
            "u",
            event("u", "PhoneCall", ["qin", "kuleba"], text="on Friday"),
            event("u", "PhoneCall", ["kuleba", "blinken"], text="on Friday", pos=30),
            day=None,
        ),
        resolve=toy_resolve,
    )
    assert corpus.inferred_dates == {}
    assert len(corpus.events) == 2


def test_kg_timex_dates_an_undated_article_by_the_visit_next_week():
    corpus = merge(
        facts("a1", event("a1", "Visit", ["xi", "russia"], "2023-03-20", "2023-03-22"), day="2023-03-17"),
        facts(
            "u",
            event("u", "Visit", ["xi", "russia"], text="from Monday to Wednesday", status="planned"),
            Statement(
                "wang", "We are in communication with all parties", evidence("u", 40), time=TimeExpr("on Friday")
            ),
            day=None,
        ),
    )
    assert corpus.inferred_dates == {"u": "2023-03-15/2023-03-21"}
    [visit] = corpus.events
    assert visit.articles == ["a1", "u"]
    assert corpus.statements[0].record.time == TimeExpr("on Friday", "2023-03")


def test_undated_mentions_bounded_by_their_articles_dates_stay_apart_when_months_apart():
    corpus = merge(
        facts("a1", event("a1", "Meeting", ["xi", "putin"], "2022-09", text=""), day="2022-09-16"),
        facts("a2", event("a2", "Meeting", ["xi", "putin"], "2022-12", text=""), day="2022-12-30"),
        facts("a3", event("a3", "Meeting", ["xi", "putin"], "2022-12-30", text="on Friday"), day="2022-12-31"),
    )
    assert sorted((f.record.time.start, len(f.sources)) for f in corpus.events) == [("2022-09", 1), ("2022-12-30", 2)]


def test_a_time_the_text_gives_represents_the_event_over_an_inferred_one():
    corpus = merge(
        facts("a1", event("a1", "Visit", ["xi", "russia"], "2023-03-18", text=""), day="2023-03-18"),
        facts("a2", event("a2", "Visit", ["xi", "russia"], "2023-03", text="in March"), day="2023-03-20"),
    )
    assert [(f.record.time.text, len(f.sources)) for f in corpus.events] == [("in March", 2)]


def test_an_inferred_day_admits_a_report_of_the_day_before():
    corpus = merge(
        facts("a1", event("a1", "Visit", ["xi", "russia"], "2023-03-18", text=""), day="2023-03-18"),
        facts("a2", event("a2", "Visit", ["xi", "russia"], "2023-03-17", text="on Friday"), day="2023-03-18"),
    )
    assert [(f.record.time.start, len(f.sources)) for f in corpus.events] == [("2023-03-17", 2)]


def test_two_events_one_article_keeps_apart_stay_apart_even_when_their_times_overlap():
    corpus = merge(
        facts(
            "a1",
            event("a1", "PhoneCall", ["xi", "putin"], "2023-03-17", text="last night"),
            event("a1", "Meeting", ["xi", "putin"], "2023-03", text="next week", pos=20, status="planned"),
        )
    )
    assert sorted(f.record.type for f in corpus.events) == ["Meeting", "PhoneCall"]


def test_an_unplaced_time_joins_only_events_it_could_report():
    corpus = merge(
        facts("a1", event("a1", "Agreement", ["russia", "xi"], "2015", text="in 2015"), day="2022-03-28"),
        facts("a2", event("a2", "Meeting", ["xi", "putin"], "2022-09-16", text="on Friday"), day="2022-09-17"),
        facts(
            "u",
            event("u", "Agreement", ["russia", "xi"], text="in February last year"),
            event("u", "Meeting", ["xi", "putin"], text="on Friday", pos=30),
            day=None,
        ),
    )
    sources = sorted((f.record.type, sorted(f.articles)) for f in corpus.events)
    assert sources == [("Agreement", ["a1"]), ("Agreement", ["u"]), ("Meeting", ["a2", "u"])]


def test_an_untimed_event_of_an_article_dated_by_inference_is_bounded_by_that_date():
    corpus = merge(
        facts("a1", event("a1", "Visit", ["xi", "russia"], "2023-03-20", "2023-03-22"), day="2023-03-17"),
        facts("a2", event("a2", "Meeting", ["xi", "putin"], "2022-09-16", text="on Friday"), day="2022-09-17"),
        facts(
            "u",
            event("u", "Visit", ["xi", "russia"], text="from Monday to Wednesday", status="planned"),
            event("u", "Meeting", ["xi", "putin"], pos=30),
            day=None,
        ),
    )
    meetings = [f for f in corpus.events if f.record.type == "Meeting"]
    assert sorted((f.record.time.start, f.articles) for f in meetings) == [("2022-09-16", ["a2"]), ("2023-03", ["u"])]


def test_a_time_inferred_from_an_articles_date_dates_no_undated_article():
    corpus = merge(
        facts("a1", event("a1", "Other", ["xi"], "2022-11", text="", trigger="term"), day="2022-11-04"),
        facts("u", event("u", "Other", ["xi"], text="last week", trigger="term"), day=None),
    )
    assert corpus.inferred_dates == {}
