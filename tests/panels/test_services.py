import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Role
from audit.models import Action, AuditEvent
from episodes.services import transition
from notifications.models import Notification
from panels import services
from panels.models import AgendaItem, Panel
from referrals.services import step_up
from tests.factories import EpisodeFactory, UserFactory
from tests.panels.conftest import NEXT_WEEK

TODAY = timezone.localdate()


def events(action, object_type):
    return list(
        AuditEvent.objects.filter(action=action, object_type=object_type)
        .order_by("sequence")
        .values_list("actor__email", "object_id", "changes")
    )


# Arranging ------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["coordinator", "manager"])
def test_coordinators_and_managers_arrange_a_panel_and_it_is_audited(request, persona, la):
    actor = request.getfixturevalue(persona)

    panel = services.arrange_panel(actor, meets_on=NEXT_WEEK)

    assert (panel.local_authority, panel.meets_on, panel.created_by, panel.is_open) == (
        la,
        NEXT_WEEK,
        actor,
        True,
    )
    assert events(Action.CREATE, "panels.panel") == [
        (actor.email, str(panel.pk), {"fields": ["meets_on"]})
    ]


@pytest.mark.parametrize("persona", ["involved", "eho", "la_admin", "other_org"])
def test_other_roles_cannot_arrange_a_panel(request, persona):
    with pytest.raises(PermissionDenied):
        services.arrange_panel(request.getfixturevalue(persona), meets_on=NEXT_WEEK)
    assert Panel.objects.count() == 0


@pytest.mark.parametrize(
    "meets_on, message",
    [
        (None, "Enter the date of the panel"),
        (
            TODAY - datetime.timedelta(days=1),
            "The date of the panel must be today or in the future",
        ),
    ],
)
def test_a_panel_needs_a_date_today_or_later(coordinator, meets_on, message):
    with pytest.raises(ValidationError) as refused:
        services.arrange_panel(coordinator, meets_on=meets_on)
    assert refused.value.message_dict == {"meets_on": [message]}
    assert Panel.objects.count() == 0


def test_a_panel_can_meet_today(coordinator):
    assert services.arrange_panel(coordinator, meets_on=TODAY).meets_on == TODAY


# Members --------------------------------------------------------------------


def test_any_active_staff_of_the_council_can_sit_on_the_panel(panel, coordinator, la, la_admin):
    police = UserFactory(local_authority=la, full_name="Partner Officer", roles=[])

    services.add_member(coordinator, panel, police)
    services.add_member(coordinator, panel, la_admin)

    assert set(panel.members.all()) == {police, la_admin}
    assert [changes for _email, _id, changes in events(Action.UPDATE, "panels.panel")] == [
        {"fields": ["members"], "added": police.pk},
        {"fields": ["members"], "added": la_admin.pk},
    ]


def test_staff_of_another_council_or_inactive_cannot_sit_on_the_panel(
    panel, coordinator, other_la_manager, la
):
    gone = UserFactory(local_authority=la, is_active=False)
    for user in (other_la_manager, gone, None):
        with pytest.raises(ValidationError) as refused:
            services.add_member(coordinator, panel, user)
        assert refused.value.message_dict == {
            "member": ["Choose someone who works for the council"]
        }
    assert list(panel.members.all()) == []


def test_a_member_is_added_once(panel, coordinator, member):
    services.add_member(coordinator, panel, member)
    with pytest.raises(ValidationError) as refused:
        services.add_member(coordinator, panel, member)
    assert refused.value.message_dict == {"member": [f"{member} already sits on this panel"]}


def test_a_member_added_later_is_told_about_each_case_on_the_agenda(
    panel, coordinator, episode, referral, la
):
    services.add_to_agenda(coordinator, panel, episode)
    later = UserFactory(local_authority=la, roles=[Role.PRACTITIONER])

    services.add_member(coordinator, panel, later)

    date = NEXT_WEEK.strftime("%-d %B %Y")
    assert list(Notification.objects.filter(user=later).values_list("episode", "message")) == [
        (episode.pk, f"On the agenda of the Early Help and Family Support Panel on {date}")
    ]


def test_removing_a_member_is_audited(on_agenda, coordinator, member):
    panel = on_agenda.panel

    services.remove_member(coordinator, panel, member)

    assert list(panel.members.all()) == []
    assert events(Action.UPDATE, "panels.panel")[-1] == (
        coordinator.email,
        str(panel.pk),
        {"fields": ["members"], "removed": member.pk},
    )
    with pytest.raises(ValidationError):
        services.remove_member(coordinator, panel, member)


@pytest.mark.parametrize("persona", ["member", "involved", "other_la_manager", "la_admin"])
def test_only_the_councils_coordinators_change_members(request, panel, persona, la):
    someone = UserFactory(local_authority=la)
    with pytest.raises(PermissionDenied):
        services.add_member(request.getfixturevalue(persona), panel, someone)
    assert list(panel.members.all()) == []


# The agenda -----------------------------------------------------------------


def test_a_referred_case_goes_on_the_agenda_with_its_referral_and_members_are_told(
    panel, coordinator, member, episode, referral
):
    services.add_member(coordinator, panel, member)

    item = services.add_to_agenda(coordinator, panel, episode)

    assert (item.episode, item.referral, item.added_by, item.outcome) == (
        episode,
        referral,
        coordinator,
        "",
    )
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="panels.agendaitem")
    assert (event.object_id, event.episode_id, event.changes) == (
        str(item.pk),
        episode.pk,
        {"fields": ["panel", "episode", "referral"]},
    )
    message = Notification.objects.get(user=member).message
    assert message == (
        "On the agenda of the Early Help and Family Support Panel on "
        f"{NEXT_WEEK.strftime('%-d %B %Y')}"
    )
    assert episode.family.name not in message


def test_referrals_waiting_for_the_panel(panel, coordinator, episode, referral, involved, la):
    other = EpisodeFactory(local_authority=la, requested_by=involved)
    step_up(involved, other, concern="Bruising seen", significant_harm="yes")

    before = list(services.referrals_awaiting_panel(la.pk))
    services.add_to_agenda(coordinator, panel, episode)
    after = list(services.referrals_awaiting_panel(la.pk))

    assert (before, after) == ([referral], [])


def test_any_open_case_of_the_council_can_go_on_the_agenda_without_a_referral(
    panel, coordinator, episode
):
    item = services.add_to_agenda(coordinator, panel, episode)
    assert (item.episode, item.referral) == (episode, None)


def test_a_case_is_found_by_its_reference(panel, episode, other_la):
    elsewhere = EpisodeFactory(local_authority=other_la)
    assert [
        services.find_case(panel, text)
        for text in (episode.reference, episode.reference.lower(), str(episode.pk), "EH", "")
    ] == [episode, episode, episode, None, None]
    assert services.find_case(panel, elsewhere.reference) is None


def test_a_reference_in_other_than_ascii_digits_finds_nothing(panel, episode):
    arabic = str(episode.pk).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert [services.find_case(panel, text) for text in (f"EH{arabic}", "EH²", "9" * 13)] == [
        None,
        None,
        None,
    ]


def test_the_agenda_refuses_other_councils_closed_and_repeated_cases(
    panel, coordinator, episode, other_la, involved, la
):
    elsewhere = EpisodeFactory(local_authority=other_la)
    closed = EpisodeFactory(local_authority=la, requested_by=involved)
    transition(involved, closed, "decline_consent")
    services.add_to_agenda(coordinator, panel, episode)

    messages = []
    for case in (elsewhere, closed, episode, None):
        with pytest.raises(ValidationError) as refused:
            services.add_to_agenda(coordinator, panel, case)
        messages.append(refused.value.message_dict["reference"])

    assert messages == [
        ["Enter the reference of an open case, like EH000123"],
        [f"{closed.reference}: Only an open case can be referred to the panel; it is now 'Closed'"],
        [f"{episode.reference} is already on this panel's agenda"],
        ["Enter the reference of an open case, like EH000123"],
    ]
    assert AgendaItem.objects.count() == 1


@pytest.mark.parametrize("persona", ["member", "involved", "eho", "other_la_manager"])
def test_only_the_councils_coordinators_change_the_agenda(request, panel, episode, persona):
    with pytest.raises(PermissionDenied):
        services.add_to_agenda(request.getfixturevalue(persona), panel, episode)
    assert AgendaItem.objects.count() == 0


# Decisions and closing -------------------------------------------------------


def test_recording_the_outcome_is_audited_and_the_team_told(on_agenda, coordinator, involved):
    item = services.record_outcome(
        coordinator, on_agenda, outcome="  Keep going with the plan; review in 6 weeks. "
    )

    item.refresh_from_db()
    assert (item.decision, item.outcome, item.outcome_recorded_by) == (
        "return_to_team",
        "Keep going with the plan; review in 6 weeks.",
        coordinator,
    )
    assert events(Action.UPDATE, "panels.agendaitem") == [
        (
            coordinator.email,
            str(item.pk),
            {"fields": ["decision", "outcome"], "decision": "return_to_team"},
        )
    ]
    told = Notification.objects.filter(user=involved).order_by("-id").first()
    assert told.message == (
        f"The Early Help and Family Support Panel on {NEXT_WEEK.strftime('%-d %B %Y')} "
        "decided: Return to the Team Around the Family with advice"
    )


def test_an_empty_outcome_is_refused(on_agenda, coordinator):
    with pytest.raises(ValidationError) as refused:
        services.record_outcome(coordinator, on_agenda, outcome="   ")
    assert refused.value.message_dict == {"outcome": ["Enter what the panel decided"]}


def test_a_panel_closes_only_once_every_case_has_a_decision(on_agenda, coordinator):
    panel = on_agenda.panel
    with pytest.raises(ValidationError) as refused:
        services.close_panel(coordinator, panel)
    assert refused.value.messages == [
        f"Record what the panel decided for {on_agenda.episode.reference} before closing it"
    ]

    services.record_outcome(coordinator, on_agenda, outcome="Step down to universal services.")
    services.close_panel(coordinator, panel)

    panel.refresh_from_db()
    assert (panel.is_open, panel.closed_by) == (False, coordinator)
    assert events(Action.UPDATE, "panels.panel")[-1] == (
        coordinator.email,
        str(panel.pk),
        {"fields": ["closed_at"]},
    )


@pytest.mark.parametrize("persona", ["member", "involved", "other_la_manager"])
def test_only_the_councils_coordinators_close_a_panel(request, panel, persona):
    with pytest.raises(PermissionDenied):
        services.close_panel(request.getfixturevalue(persona), panel)
    panel.refresh_from_db()
    assert panel.is_open


@pytest.mark.parametrize(
    "change",
    ["add_member", "remove_member", "add_to_agenda", "record_outcome", "close_panel"],
)
def test_a_closed_panel_refuses_every_change(on_agenda, coordinator, member, la, change):
    panel = on_agenda.panel
    services.record_outcome(coordinator, on_agenda, outcome="Continue with the plan.")
    services.close_panel(coordinator, panel)
    newcomer = UserFactory(local_authority=la)
    another_case = EpisodeFactory(local_authority=la)
    calls = {
        "add_member": lambda: services.add_member(coordinator, panel, newcomer),
        "remove_member": lambda: services.remove_member(coordinator, panel, member),
        "add_to_agenda": lambda: services.add_to_agenda(coordinator, panel, another_case),
        "record_outcome": lambda: services.record_outcome(
            coordinator, on_agenda, outcome="Changed"
        ),
        "close_panel": lambda: services.close_panel(coordinator, panel),
    }
    before = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as refused:
        calls[change]()

    assert refused.value.messages == ["This panel has closed: nothing on it can be changed"]
    on_agenda.refresh_from_db()
    assert (
        list(panel.members.all()),
        list(panel.agenda_items.values_list("episode", flat=True)),
        on_agenda.outcome,
        AuditEvent.objects.count(),
    ) == ([member], [on_agenda.episode_id], "Continue with the plan.", before)
