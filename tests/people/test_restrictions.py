"""Restricted parts of a person's record: shown only to the lead professional
and the roles named, never in search results or other people's documents, and
every view of them audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Role
from audit.models import Action, AuditEvent
from core import policy
from people import restrictions
from people.search import search_people
from people.services import update_person
from tests.factories import UserFactory
from tests.journey import add_parent

SECRET_STREET = "7 Hidden Refuge Lane"
SECRET_POSTCODE = "NM9 9ZZ"


@pytest.fixture
def parent(episode):
    return add_parent(
        episode,
        last_name="Restrictfamily",
        address_line_1=SECRET_STREET,
        postcode=SECRET_POSTCODE,
    )


@pytest.fixture
def restricted(parent, lead):
    return restrictions.restrict(
        lead,
        parent,
        field="address",
        reason="Fleeing domestic abuse",
        visible_to_roles=[Role.EARLY_HELP_MANAGER],
    )


def restricted_views():
    return AuditEvent.objects.filter(action=Action.VIEW, changes__has_key="restricted")


def test_the_lead_professional_sees_a_restricted_address_and_the_view_is_audited(
    parent, restricted, lead
):
    shown = restrictions.shown_to(lead, parent)
    assert (shown.address_line_1, shown.postcode, shown.withheld) == (
        SECRET_STREET,
        SECRET_POSTCODE,
        [],
    )
    event = restricted_views().get()
    assert (event.actor, event.object_id, event.changes) == (
        lead,
        str(parent.pk),
        {"restricted": ["address"]},
    )


@pytest.mark.parametrize(
    ("persona", "sees"), [("manager", True), ("eho", False), ("involved", False)]
)
def test_named_roles_see_it_and_others_do_not(request, parent, restricted, persona, sees):
    user = request.getfixturevalue(persona)
    shown = restrictions.shown_to(user, parent)
    assert (shown.address_line_1 == SECRET_STREET, shown.postcode == SECRET_POSTCODE) == (
        sees,
        sees,
    )
    assert shown.withheld == ([] if sees else ["Address"])
    assert restricted_views().exists() == sees


def test_a_masked_copy_can_never_be_saved(parent, restricted, involved):
    shown = restrictions.shown_to(involved, parent)
    with pytest.raises(ValueError):
        shown.save()
    parent.refresh_from_db()
    assert parent.address_line_1 == SECRET_STREET


def test_the_person_page_withholds_it_from_others(client_for, parent, restricted, involved, lead):
    html = client_for(involved).get(f"/people/{parent.pk}/").content.decode()
    assert SECRET_STREET not in html and SECRET_POSTCODE not in html
    assert "Fleeing domestic abuse" not in html
    assert "Part of this record is restricted and not shown to you" in html
    lead_html = client_for(lead).get(f"/people/{parent.pk}/").content.decode()
    assert SECRET_STREET in lead_html and "Restricted: shown to you" in lead_html


def test_the_case_page_and_edit_form_withhold_it(client_for, episode, parent, restricted, involved):
    client = client_for(involved)
    for url in (f"/cases/{episode.pk}/", f"/people/{parent.pk}/change/"):
        html = client.get(url).content.decode()
        assert SECRET_STREET not in html and SECRET_POSTCODE not in html, url


def _restrict_address_to_managers(lead, parent):
    """After notes holding the address were typed: only managers may see it."""
    restrictions.restrict(
        lead,
        parent,
        field="address",
        reason="Fleeing domestic abuse",
        visible_to_roles=[Role.EARLY_HELP_MANAGER],
    )


def test_the_chronology_withholds_it_from_notes_typed_before_it_was_restricted(
    client_for, episode, parent, involved, lead, manager
):
    """Case notes written before the address was restricted still hold it: each
    chronology row's detail is scrubbed for whoever is reading, the restriction's
    named roles (the manager here) still see it."""
    from notes.models import CaseNote, NoteKind

    for n in range(3):
        CaseNote.objects.create(
            episode=episode,
            kind=NoteKind.HOME_VISIT,
            happened_on=episode.requested_at.date(),
            who="Parent",
            what_happened=f"Visit {n} at {SECRET_STREET}, {SECRET_POSTCODE.lower()}",
            author=lead,
        )
    _restrict_address_to_managers(lead, parent)

    def chronology(user):
        page = client_for(user).get(f"/cases/{episode.pk}/").content.decode()
        [table] = [t for t in page.split("<table")[1:] if "Chronology" in t]
        return table

    withheld = chronology(involved)
    assert SECRET_STREET not in withheld and SECRET_POSTCODE.lower() not in withheld
    assert withheld.count(f"at {restrictions.RESTRICTED_MARK}, {restrictions.RESTRICTED_MARK}") == 3
    assert chronology(manager).count(f"at {SECRET_STREET}, {SECRET_POSTCODE.lower()}") == 3


@pytest.mark.parametrize("page", ["chronology/", "notes/"])
def test_the_pages_of_a_case_s_notes_withhold_it_too(
    client_for, episode, parent, involved, lead, manager, page
):
    """The whole chronology and the case notes page show the notes in full:
    scrubbed for whoever is reading, as the case page scrubs them."""
    from notes.models import CaseNote, NoteKind

    CaseNote.objects.create(
        episode=episode,
        kind=NoteKind.HOME_VISIT,
        happened_on=episode.requested_at.date(),
        who=f"Parent, at {SECRET_STREET}",
        what_happened=f"Visit at {SECRET_STREET}, {SECRET_POSTCODE.lower()}",
        author=lead,
    )
    _restrict_address_to_managers(lead, parent)

    withheld = client_for(involved).get(f"/cases/{episode.pk}/{page}").content.decode()
    assert SECRET_STREET not in withheld and SECRET_POSTCODE.lower() not in withheld
    assert f"at {restrictions.RESTRICTED_MARK}, {restrictions.RESTRICTED_MARK}" in withheld
    shown = client_for(manager).get(f"/cases/{episode.pk}/{page}").content.decode()
    assert f"at {SECRET_STREET}, {SECRET_POSTCODE.lower()}" in shown


def test_scrubbing_many_texts_at_once_replaces_what_scrub_text_replaces(
    parent, restricted, involved
):
    people = [parent]
    scrub = restrictions.scrubber(people, involved)
    texts = ["", f"Lives at {SECRET_STREET}", f"{SECRET_POSTCODE}!", "Nothing to hide", None]
    one_by_one = [restrictions.scrub_text(t, people, involved) for t in texts]
    assert [scrub(t) for t in texts] == one_by_one
    assert scrub(texts[1]) == f"Lives at {restrictions.RESTRICTED_MARK}"
    assert restrictions.scrubber(people, None)(texts[2]) == f"{restrictions.RESTRICTED_MARK}!"


def test_a_page_works_out_each_viewers_scrubbing_once(episode, parent, restricted, involved):
    family = episode.family
    text = f"Met at {SECRET_STREET}"
    for_involved = restrictions.page_scrubber(family, involved)
    assert restrictions.page_scrubber(family, involved) is for_involved
    assert for_involved(text) == restrictions.scrub_text(text, [parent], involved)
    # No viewer (an email) is scrubbed of everything, whoever else read the page.
    assert restrictions.page_scrubber(family, None) is not for_involved
    assert (
        restrictions.page_scrubber(family, None)(text) == f"Met at {restrictions.RESTRICTED_MARK}"
    )


def test_someone_who_cannot_see_it_cannot_overwrite_it(parent, restricted, involved):
    with pytest.raises(PermissionDenied):
        update_person(involved, parent, {"address_line_1": "Somewhere else"})
    update_person(involved, parent, {"known_as": "Bobby"})
    parent.refresh_from_db()
    assert (parent.address_line_1, parent.known_as) == (SECRET_STREET, "Bobby")


def test_search_results_never_show_it_even_to_the_lead(parent, restricted, lead):
    matches = search_people(lead, first_name=parent.first_name, last_name="Restrictfamily")
    assert [m.person.pk for m in matches] == [parent.pk]
    assert (matches[0].person.address_line_1, matches[0].person.postcode) == ("", "")


def test_a_document_for_another_family_member_leaves_it_out(episode, parent, restricted, lead):
    other = add_parent(episode, first_name="Other")
    assert restrictions.for_document(parent, recipient=other, maker=lead).address_line_1 == ""
    mine = restrictions.for_document(parent, recipient=parent, maker=lead)
    assert mine.address_line_1 == SECRET_STREET


def test_her_own_copy_has_her_restricted_parts_only_when_its_maker_may_see_them(
    parent, restricted, lead, eho, manager
):
    made = {
        who: restrictions.for_document(parent, recipient=parent, maker=user).address_line_1
        for who, user in (("lead", lead), ("named role", manager), ("eho", eho))
    }
    assert made == {"lead": SECRET_STREET, "named role": SECRET_STREET, "eho": ""}


def test_restricting_needs_a_reason_and_not_twice(parent, restricted, lead):
    with pytest.raises(ValidationError) as refused:
        restrictions.restrict(lead, parent, field="upn", reason="")
    assert "Say why this is restricted" in refused.value.message_dict["reason"][0]
    with pytest.raises(ValidationError) as again:
        restrictions.restrict(lead, parent, field="address", reason="Again")
    assert again.value.message_dict["field"] == ["Address is already restricted"]


def test_restrict_and_lift_through_the_pages(client_for, parent, lead, involved):
    client = client_for(lead)
    response = client.post(f"/people/{parent.pk}/restrict/", {"field": "address"})
    assert "govuk-error-summary" in response.content.decode()
    assert "Say why this is restricted" in response.content.decode()
    response = client.post(
        f"/people/{parent.pk}/restrict/", {"field": "address", "reason": "Court order"}
    )
    assert response.status_code == 302
    restriction = parent.restrictions.get()
    assert not policy.can_see_restriction(involved, restriction)
    response = client.post(f"/people/{parent.pk}/restrictions/{restriction.pk}/lift/")
    assert response.status_code == 302
    restriction.refresh_from_db()
    assert restriction.lifted_at is not None
    assert restrictions.shown_to(involved, parent).address_line_1 == SECRET_STREET


def test_only_those_who_see_it_may_lift_it(client_for, parent, restricted, involved):
    response = client_for(involved).post(f"/people/{parent.pk}/restrictions/{restricted.pk}/lift/")
    assert response.status_code == 403
    restricted.refresh_from_db()
    assert restricted.lifted_at is None


def test_panel_members_read_but_may_not_change_or_restrict(
    client_for, episode, parent, manager, la
):
    from django.utils import timezone

    from panels.models import AgendaItem, Panel

    member = UserFactory(local_authority=la, email="member@test.example", roles=[Role.PRACTITIONER])
    panel = Panel.objects.create(
        local_authority=la, meets_on=timezone.localdate(), created_by=manager
    )
    panel.members.add(member)
    AgendaItem.objects.create(panel=panel, episode=episode)
    client = client_for(member)
    assert client.get(f"/people/{parent.pk}/").status_code == 200
    assert client.get(f"/people/{parent.pk}/change/").status_code == 403
    response = client.post(
        f"/people/{parent.pk}/restrict/", {"field": "address", "reason": "Not theirs to decide"}
    )
    assert response.status_code == 403
    assert not parent.restrictions.exists()
