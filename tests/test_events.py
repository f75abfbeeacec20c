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


def real(events: list[Event]) -> list[Event]:
    """The events the facts export reports (happened or planned)."""
    return [e for e in events if e.status in ("happened", "planned")]


def one(events: list[Event], kind: str) -> Event:
    (found,) = [e for e in real(events) if e.type == kind]
    return found


# --- argument structure ---------------------------------------------------------------------


def test_destination_hung_on_a_modifier_and_host_met_after_arriving() -> None:
    events, names = events_of(
        "Emmanuel Macron flew unannounced into Ukraine on Tuesday to meet with Volodymyr Zelenskyy."
    )
    visit = one(events, "Visit")
    assert named(visit, names) == {"Emmanuel Macron", "Ukraine", "Volodymyr Zelenskyy"}
    assert visit.time.start == "2023-03-14"


def test_group_noun_refers_to_the_last_two_leaders_named_before_it() -> None:
    events, names = events_of(
        "Olaf Scholz welcomed Narendra Modi and his foreign minister Subrahmanyam Jaishankar to Berlin. "
        "The two leaders met on Monday."
    )
    meeting = one(events, "Meeting")
    assert named(meeting, names) == {"Olaf Scholz", "Narendra Modi"}


def test_the_noun_a_relative_infinitive_describes_is_predicated_of_the_subject() -> None:
    events, names = events_of("Olaf Scholz is the first European leader to visit India this year.")
    visit = one(events, "Visit")
    assert names[visit.roles["visitor"][0]] == "Olaf Scholz" and named(visit, names) == {"Olaf Scholz", "India"}


def test_coordinated_visitors_make_one_visit_each_and_a_capital_description_names_the_host() -> None:
    events, names = events_of("Brazil is ready. Narendra Modi and Fumio Kishida are visiting the Brazilian capital.")
    visits = sorted(sorted(named(e, names)) for e in real(events) if e.type == "Visit")
    assert visits == [["Brazil", "Fumio Kishida"], ["Brazil", "Narendra Modi"]]


def test_the_country_refers_back_to_a_state_named_before() -> None:
    events, names = events_of(
        "India and France are close. Emmanuel Macron met Narendra Modi during his visit to the country."
    )
    assert named(one(events, "Visit"), names) == {"Emmanuel Macron", "India"}


def test_signing_names_the_signatories() -> None:
    events, names = events_of("Japan and India signed a defence pact in Tokyo on Monday.")
    pact = one(events, "Agreement")
    assert named(pact, names) == {"Japan", "India"} and pact.time.start == "2023-03-13"


def test_recalling_envoys_names_the_states_they_leave() -> None:
    events, names = events_of("France recalled its ambassadors from Brazil and India on Friday.")
    assert named(one(events, "Other"), names) == {"France", "Brazil", "India"}


@pytest.mark.parametrize(
    ("text", "found"),
    [("Germany pledged 50 million euros to the fund.", True), ("Germany pledged its support to the fund.", False)],
)
def test_a_pledge_is_an_event_only_with_a_sum_of_money(text: str, found: bool) -> None:
    events, _ = events_of(text)
    assert any(e.type == "Other" for e in real(events)) is found


def test_who_sacks_whom_and_an_attack_on_a_target() -> None:
    sacked, names = events_of("Rishi Sunak sacked Suella Braverman on Monday.")
    assert named(one(sacked, "Other"), names) == {"Rishi Sunak", "Suella Braverman"}
    attack, names = events_of("Hamas launched an attack on Israel on Saturday.")
    other = one(attack, "Other")
    assert named(other, names) == {"Hamas", "Israel"} and other.time.start == "2023-03-11"


def test_addressing_a_body_by_video_link_is_a_video_call() -> None:
    events, names = events_of("Volodymyr Zelenskyy will address the United Nations by video link on Tuesday.")
    call = one(events, "VideoCall")
    assert named(call, names) == {"Volodymyr Zelenskyy", "United Nations"}
    assert (call.status, call.time.start) == ("planned", "2023-03-21")


def test_calling_something_a_name_is_no_phone_call() -> None:
    events, _ = events_of("Xi Jinping called Taiwan a red line for China.")
    assert not [e for e in events if e.type == "PhoneCall"]


# --- status -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Turkey is ready to host talks between Russia and Ukraine.", None),
        ("Joe Biden was slated to meet Mahmoud Abbas in Amman.", None),
        ("Xi Jinping is expected to call Volodymyr Zelenskyy, according to the Wall Street Journal.", None),
        ("Olaf Scholz is expected to meet Narendra Modi in Mumbai on Wednesday.", "planned"),
        ("Xi Jinping met Olaf Scholz in Beijing on Friday, the Xinhua news agency reported.", "happened"),
    ],
)
def test_readiness_past_plans_and_media_hedges_are_no_events_but_schedules_and_agency_reports_are(
    text: str, status: str | None
) -> None:
    events, _ = events_of(text)
    assert [e.status for e in real(events) if e.type == "Meeting" or e.type == "PhoneCall"] == (
        [status] if status else []
    )


def test_a_noun_trigger_takes_the_status_of_the_verb_it_is_an_adjunct_of() -> None:
    events, _ = events_of("Narendra Modi and Olaf Scholz will meet at the NATO summit in Vilnius next week.")
    assert one(events, "Summit").status == "planned"


# --- time -------------------------------------------------------------------------------------


def test_a_future_weekday_is_the_next_one_and_the_articles_day_is_itself() -> None:
    events, _ = events_of("Olaf Scholz is expected to meet Narendra Modi in Mumbai on Wednesday.", date="2024-02-06")
    assert one(events, "Meeting").time.start == "2024-02-07"
    events, _ = events_of("Olaf Scholz will meet Narendra Modi later on Friday.")
    assert one(events, "Meeting").time.start == "2023-03-17"


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("Joe Biden has arrived in Israel.", "2023-10-18"),
        ("Narendra Modi and Fumio Kishida are visiting Brazil.", "2023-10-18"),
        ("Joe Biden met Benjamin Netanyahu in Jerusalem.", "2023-10"),
        ("Joe Biden will meet Benjamin Netanyahu in Jerusalem.", "2023-10"),
    ],
)
def test_an_undated_mention_is_bounded_by_the_articles_date_and_tense(text: str, start: str) -> None:
    events, _ = events_of(text, date="2023-10-18")
    event = real(events)[0]
    assert (event.time.start, event.time.text) == (start, "")


def test_a_war_named_by_a_noun_gets_no_date_from_the_article() -> None:
    events, _ = events_of("Russia's war in Ukraine has changed Europe.")
    assert one(events, "Other").time is None


def test_a_time_entity_that_names_a_day_dates_the_event() -> None:
    events, _ = events_of("Volodymyr Zelenskyy will address the United States Congress on Wednesday night.")
    assert one(events, "Other").time.start == "2023-03-22"


def test_the_leaders_of_two_states_are_the_people_of_those_states() -> None:
    events, names = events_of(
        "Recep Tayyip Erdogan of Turkey and Ulf Kristersson of Sweden arrived. "
        "Jens Stoltenberg will meet the leaders of Turkey and Sweden in Vilnius."
    )
    assert named(one(events, "Meeting"), names) == {"Jens Stoltenberg", "Recep Tayyip Erdoğan", "Ulf Kristersson"}


def test_granting_an_approval_to_a_possessed_noun_names_its_possessor() -> None:
    events, names = events_of("Turkey gave the green light to Finland's accession last April.")
    other = one(events, "Other")
    assert named(other, names) == {"Turkey", "Finland"} and other.time.start == "2022-04"


def test_talks_at_a_hosts_office_name_the_host() -> None:
    events, names = events_of("Joe Biden arrived at Rishi Sunak's office in London for talks on Monday.")
    assert named(one(events, "Meeting"), names) == {"Joe Biden", "Rishi Sunak"}


@pytest.mark.parametrize(
    "text",
    [
        "Joe Biden will postpone his trip to Jordan and the planned meeting with Mahmoud Abbas.",
        "The allies are asking Recep Tayyip Erdogan to agree with Ulf Kristersson on the accession.",
    ],
)
def test_events_called_off_or_asked_for_are_not_reported(text: str) -> None:
    events, _ = events_of(text)
    assert not [e for e in real(events) if e.type in ("Meeting", "Agreement")]


def test_a_reference_point_takes_no_date_from_the_clause() -> None:
    events, _ = events_of("Joe Biden arrived in London on Sunday for talks before the NATO summit.")
    summit = [e for e in events if e.type == "Summit"]
    assert all(e.time is None or not e.time.text for e in summit)


def test_an_envoy_recalled_belongs_to_the_state_of_the_title_he_is_apposed_to() -> None:
    events, names = events_of("Brazil's ambassador to France, Rita Alves, was recalled from Paris on Monday.")
    other = one(events, "Other")
    assert {"Rita Alves", "Brazil", "France"} <= named(other, names)


def test_a_list_misread_as_apposition_is_still_a_list_and_four_leaders_meeting_is_a_summit() -> None:
    events, names = events_of(
        "Prime Minister Narendra Modi, French President Emmanuel Macron, German Chancellor Olaf Scholz and "
        "Japanese Prime Minister Fumio Kishida met in Paris on Tuesday."
    )
    summit = one(events, "Summit")
    assert named(summit, names) >= {"Narendra Modi", "Emmanuel Macron", "Olaf Scholz", "Fumio Kishida"}


def test_mentions_of_an_organisations_summit_are_one_summit_hosted_by_it() -> None:
    events, names = events_of(
        "Recep Tayyip Erdogan will attend the NATO summit in Vilnius. "
        "Joe Biden arrived in London on Sunday for talks before the NATO summit."
    )
    summits = [e for e in real(events) if e.type == "Summit"]
    assert len(summits) == 1 and [names[k] for k in summits[0].roles["host"]] == ["NATO"]


def test_the_givers_of_a_gapped_pledge_are_all_parties() -> None:
    events, names = events_of("Germany committed 20 million euros and Japan 10 million euros.")
    assert named(one(events, "Other"), names) == {"Germany", "Japan"}


def test_a_coordinated_clause_with_its_own_subject_keeps_its_own_status() -> None:
    events, names = events_of(
        "Olaf Scholz said the two sides set up a working group and that Annalena Baerbock would travel to India."
    )
    visit = one(events, "Visit")
    assert visit.status == "planned" and named(visit, names) == {"Annalena Baerbock", "India"}


def test_his_country_and_its_refer_to_the_persons_state() -> None:
    events, names = events_of(
        "Ukraine's president Volodymyr Zelenskyy thanked Joe Biden for the support of the United States to his "
        "country in its war with Russia."
    )
    assert named(one(events, "Other"), names) == {"Ukraine", "Russia"}


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("Olaf Scholz spoke on Monday about Russia's war in Ukraine.", None),
        ("The start of Russia's war in Ukraine in February changed Europe.", "2023-02"),
    ],
)
def test_a_war_is_dated_only_by_its_own_phrase(text: str, start: str | None) -> None:
    events, _ = events_of(text)
    war = one(events, "Other")
    assert (war.time.start if war.time else None) == start


def test_an_organisation_holding_its_own_meeting_is_its_only_party() -> None:
    events, names = events_of("Members of the European Parliament held their weekly meeting last night.")
    meeting = one(events, "Meeting")
    assert named(meeting, names) == {"European Parliament"} and meeting.time.start == "2023-03-16"
    events, _ = events_of("Photo: Reuters. Speaking after their meeting, Putin praised Biden.")
    assert not [e for e in real(events) if e.type == "Meeting" and len(e.participants) == 1]


def test_talk_with_a_host_during_a_visit_is_a_meeting_but_a_call_stays_a_call() -> None:
    spoken, names = events_of(
        "Olaf Scholz arrived in India on Thursday. Scholz is expected to speak with Narendra Modi later on Friday."
    )
    assert named(one(spoken, "Meeting"), names) == {"Olaf Scholz", "Narendra Modi"}
    called, _ = events_of("Olaf Scholz arrived in India on Thursday. Scholz called Narendra Modi on Friday.")
    assert [e.type for e in real(called) if e.type != "Visit"] == ["PhoneCall"]


def test_calling_off_an_event_reports_it_called_off_not_another_event() -> None:
    events, _ = events_of("Joe Biden postponed his trip to Jordan.")
    assert not [e for e in real(events) if e.type == "Other"]
    events, _ = events_of("Emmanuel Macron cancelled a gala at the embassy.")
    assert [e.type for e in real(events)] == ["Other"]
