"""Events from trigger words: type, participants, roles, status, time, place and details."""

from __future__ import annotations

import pytest

from kg.extract.context import Context
from kg.extract.entities import find_entities
from kg.extract.events import find_events
from kg.gazetteer import Gazetteer
from kg.model import Article, Event
from kg.nlp import load_model
from kg.repair import repair

pytestmark = pytest.mark.slow

FRIDAY = "2023-03-17"


def events_of(text: str, date: str | None = FRIDAY) -> tuple[list[Event], dict[str, str]]:
    """The events of `text` and a key -> entity name map."""
    repaired = repair(text)
    ctx = Context(Article("a", "a.txt", text, date=date), load_model()(repaired.text), repaired, Gazetteer.load())
    index = find_entities(ctx)
    return find_events(ctx, index), {e.key: e.name for e in index.entities}


def named(event: Event, names: dict[str, str]) -> set[str]:
    return {names[k] for k in event.participants}


def test_planned_visit_with_range_inviter_and_place() -> None:
    events, names = events_of(
        "Xi Jinping will pay a state visit to Moscow from Monday to Wednesday at the invitation of Vladimir Putin. "
        "Russia confirmed the visit."
    )
    visit = next(e for e in events if e.type == "Visit")
    assert named(visit, names) >= {"Xi Jinping", "Russia", "Vladimir Putin"}
    assert names[visit.roles["visitor"][0]] == "Xi Jinping"
    assert names[visit.roles["inviter"][0]] == "Vladimir Putin"
    assert names[visit.location] == "Moscow"
    assert (visit.status, visit.time.start, visit.time.end) == ("planned", "2023-03-20", "2023-03-22")


def test_meeting_with_meal_detail() -> None:
    events, names = events_of(
        "Vladimir Putin and Xi Jinping will meet one-on-one on Monday, followed by an informal lunch."
    )
    meeting = next(e for e in events if e.type == "Meeting")
    assert named(meeting, names) == {"Vladimir Putin", "Xi Jinping"}
    assert meeting.details == {"meal": "lunch"}
    assert meeting.time.start == "2023-03-20"


def test_past_phone_call_on_weekday() -> None:
    events, names = events_of("On Thursday, Chinese Foreign Minister Qin Gang spoke by phone with Dmytro Kuleba.")
    assert [(e.type, e.status, e.time.start) for e in events] == [("PhoneCall", "happened", "2023-03-16")]
    assert named(events[0], names) == {"Qin Gang", "Dmytro Kuleba"}


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Xi Jinping has not spoken to Volodymyr Zelenskyy since the start of the war.", "negated"),
        ("Xi Jinping could also hold a video conference with Volodymyr Zelenskyy.", "speculative"),
        ("Xi Jinping plans to visit Russia next week.", "planned"),
        ("Xi Jinping met Vladimir Putin in Samarkand last September.", "happened"),
    ],
)
def test_status_is_kept(text: str, status: str) -> None:
    events, _ = events_of(text)
    assert [e.status for e in events if e.type != "Other"] == [status]


def test_video_call_type_and_past_month() -> None:
    events, _ = events_of("Vladimir Putin and Xi Jinping last held a virtual meeting in December.")
    assert [(e.type, e.time.start) for e in events] == [("VideoCall", "2022-12")]


def test_brokered_deal_names_parties_and_broker() -> None:
    events, names = events_of("Beijing brokered a deal between Iran and Saudi Arabia last week.")
    deal = next(e for e in events if e.type == "Agreement")
    assert named(deal, names) == {"Iran", "Saudi Arabia", "China"}
    assert [names[k] for k in deal.roles["broker"]] == ["China"]
    assert deal.time.start == "2023-03"


@pytest.mark.parametrize(
    "text",
    [
        "Qatar brokered a deal for Egypt and Ethiopia to share the river's water.",
        "Qatar has sought a bigger role, and it brokered the deal for arch-rivals Egypt and Ethiopia to share water.",
        "Qatar struck a deal with Egypt and Ethiopia on Tuesday.",
    ],
)
def test_deal_parties_after_for_or_with_and_the_one_who_made_it(text: str) -> None:
    events, names = events_of(text)
    deal = next(e for e in events if e.type == "Agreement")
    assert named(deal, names) == {"Qatar", "Egypt", "Ethiopia"}


def test_a_party_hung_on_a_phrase_describing_the_event_is_a_party() -> None:
    events, names = events_of("Brazil, which declared a partnership without limits with Argentina, stays neutral.")
    assert [named(e, names) for e in events if e.type == "Agreement"] == [{"Brazil", "Argentina"}]


def test_circumstances_are_not_parties() -> None:
    events, names = events_of("Xi Jinping met Vladimir Putin in Moscow amid tensions with the United States.")
    assert [named(e, names) for e in events] == [{"Xi Jinping", "Vladimir Putin"}]


def test_for_with_an_infinitive_of_another_kind_makes_no_party() -> None:
    events, _ = events_of("The United States paid for Poland to buy tanks.")
    assert events == []


def test_arrest_warrant_issuer_and_subject() -> None:
    events, names = events_of("The International Criminal Court issued an arrest warrant for Vladimir Putin on Friday.")
    warrant = next(e for e in events if e.type == "ArrestWarrant")
    assert [names[k] for k in warrant.roles["issuer"]] == ["International Criminal Court"]
    assert [names[k] for k in warrant.roles["subject"]] == ["Vladimir Putin"]


def test_mentions_of_one_event_are_merged_and_completed() -> None:
    events, _ = events_of("Xi Jinping will visit Russia next week. The visit will take place from Monday to Wednesday.")
    visits = [e for e in events if e.type == "Visit"]
    assert len(visits) == 1
    assert visits[0].time.start == "2023-03-20"


def test_undated_article_keeps_relative_time_text() -> None:
    events, _ = events_of("Xi Jinping met Vladimir Putin on Thursday.", date=None)
    assert events[0].time.text == "on Thursday" and events[0].time.start is None


def test_host_implies_visit_and_meeting() -> None:
    events, names = events_of("Last month, Vladimir Putin hosted Wang Yi in Moscow.")
    assert {e.type for e in events} == {"Visit", "Meeting"}
    visit = next(e for e in events if e.type == "Visit")
    assert [names[k] for k in visit.roles["visitor"]] == ["Wang Yi"]
    assert visit.time.start == "2023-02"


def test_summit_lists_organisation_and_attendees() -> None:
    events, names = events_of(
        "Leaders including Xi Jinping and Vladimir Putin attended the Shanghai Cooperation Organization summit "
        "in Samarkand last September."
    )
    summit = next(e for e in events if e.type == "Summit")
    assert named(summit, names) == {"Shanghai Cooperation Organization", "Xi Jinping", "Vladimir Putin"}
    assert summit.time.start == "2022-09"


def test_demonym_compound_names_the_states_of_talks() -> None:
    events, names = events_of(
        "China and Russia agreed on the agenda. The main Sino-Russian talks will take place on Tuesday."
    )
    talks = next(e for e in events if e.type == "Meeting")
    assert named(talks, names) == {"China", "Russia"}
    assert (talks.status, talks.time.start) == ("planned", "2023-03-21")


def test_title_with_demonym_refers_to_the_person() -> None:
    events, names = events_of(
        "Xi Jinping and Vladimir Putin declared a friendship in February last year "
        "when the Russian leader visited Beijing."
    )
    visit = next(e for e in events if e.type == "Visit")
    assert [names[k] for k in visit.roles["visitor"]] == ["Vladimir Putin"]
    assert names[visit.location] == "Beijing"
    agreement = next(e for e in events if e.type == "Agreement")
    assert named(agreement, names) >= {"Xi Jinping", "Vladimir Putin"}
    assert agreement.time.start == "2022-02"


def test_undated_mentions_with_different_relative_times_stay_apart() -> None:
    events, _ = events_of(
        "Xi Jinping will meet Vladimir Putin next week. Xi Jinping met Vladimir Putin in Samarkand in September.",
        date=None,
    )
    assert [e.time.text for e in events if e.type == "Meeting"] == ["next week", "in September"]
