"""The printable plan addressed to one family member: another member's
restricted details never appear in it, in the page or in the PDF."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Role
from audit.models import Action as AuditAction
from audit.models import AuditEvent
from panels import services as panel_services
from people.models import Relationship
from people.restrictions import restrict
from plans import services
from plans.document import document_context, render_html
from tests.factories import UserFactory
from tests.journey_factories import add_member, plan_actions
from tests.plans.pdf_text import pdf_text

HIDDEN_ADDRESS = ["14 Hidden Row", "Safehaven", "NM9 9ZZ"]
OPEN_ADDRESS = ["3 Open Street", "Northmoor", "NM1 1AA"]


@pytest.fixture
def parents(planned):
    """Parent A, whose address may be restricted, and parent B."""
    episode = planned.episode
    parent_a = add_member(
        episode,
        Relationship.PARENT,
        first_name="Alex",
        address_line_1=HIDDEN_ADDRESS[0],
        town=HIDDEN_ADDRESS[1],
        postcode=HIDDEN_ADDRESS[2],
    )
    parent_b = add_member(
        episode,
        Relationship.PARENT,
        first_name="Blair",
        address_line_1=OPEN_ADDRESS[0],
        town=OPEN_ADDRESS[1],
        postcode=OPEN_ADDRESS[2],
    )
    return parent_a, parent_b


@pytest.fixture
def restricted(parents, involved):
    parent_a, _parent_b = parents
    restrict(involved, parent_a, field="address", reason="Fleeing domestic abuse")
    return parents


def url(plan, person, tail="document/"):
    return f"/cases/{plan.episode_id}/plan/copies/{person.pk}/{tail}"


def appearing(text, parts):
    return [part for part in parts if part in text]


def test_a_childs_copy_names_the_adults_but_never_gives_their_addresses_or_birth_dates(
    client_for, involved, planned, parents, child
):
    parent_a, parent_b = parents
    client = client_for(involved)

    html = client.post(url(planned, child)).content.decode()
    text = pdf_text(client.post(url(planned, child, "document.pdf")).content).replace("\n", " ")

    for copy in (html, text):
        # Nothing is restricted: the adults' details are simply not the child's to read.
        assert appearing(copy, HIDDEN_ADDRESS + OPEN_ADDRESS) == []
        assert "3 February 1988" not in copy
        assert parent_a.nhs_number not in copy and parent_b.nhs_number not in copy
        assert "Alex Testfamily" in copy and "Blair Testfamily" in copy
    family = html[html.index('id="family"') : html.index("</table>", html.index('id="family"'))]
    cells = re.findall(r'<td class="govuk-table__cell">(.*?)</td>', family)
    assert list(zip(cells[::2], cells[1::2], strict=True)) == [
        (f"{child.full_name} (you)", "Child"),
        ("Alex Testfamily", "Parent"),
        ("Blair Testfamily", "Parent"),
    ]


def test_the_pdf_given_to_another_family_member_leaves_the_restricted_address_out(
    client_for, involved, planned, restricted
):
    parent_a, parent_b = restricted

    response = client_for(involved).post(url(planned, parent_b, "document.pdf"))

    pdf = response.content
    text = pdf_text(pdf)
    assert (response.status_code, response["Content-Type"], pdf[:5]) == (
        200,
        "application/pdf",
        b"%PDF-",
    )
    name = f"early-help-plan-{planned.episode.reference}-v1-{parent_b.pk}-en.pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert appearing(text, HIDDEN_ADDRESS) == []
    assert appearing(text, OPEN_ADDRESS) == OPEN_ADDRESS
    assert "Alex Testfamily" in text
    # The page the PDF is made from leaves it out too.
    source = render_html(document_context(planned, parent_b, involved), for_pdf=True)
    assert appearing(source, HIDDEN_ADDRESS) == []


def test_the_restricted_person_s_own_copy_shows_their_address(
    client_for, involved, planned, restricted
):
    parent_a, _parent_b = restricted
    client = client_for(involved)

    html = client.post(url(planned, parent_a)).content.decode()
    text = pdf_text(client.post(url(planned, parent_a, "document.pdf")).content)

    assert appearing(html, HIDDEN_ADDRESS) == HIDDEN_ADDRESS
    assert appearing(text, HIDDEN_ADDRESS) == HIDDEN_ADDRESS


def test_the_document_has_the_goals_actions_lead_professional_and_council_contacts(
    client_for, involved, planned, parents, la
):
    la.front_door_phone = "0300 555 0101"
    la.out_of_hours_phone = "0300 555 0199"
    la.save()
    involved.phone = "07700 900123"
    involved.save()
    _parent_a, parent_b = parents
    action = plan_actions(planned)[0]

    text = pdf_text(client_for(involved).post(url(planned, parent_b, "document.pdf")).content)
    html = client_for(involved).post(url(planned, parent_b)).content.decode()

    due = action.due_by.strftime("%-d %B %Y")
    for expected in [
        "Early Help Plan",
        "Goal 1",
        "Goal 2",
        action.what,
        f"{involved.full_name}, Testshire Primary",
        due,
        action.success_measure,
        "0300 555 0101",
        "0300 555 0199",
        "07700 900123",
        involved.email,
        "Testshire Council",
    ]:
        assert expected in html, expected
        assert expected in text.replace("\n", " "), expected


def test_each_document_is_audited_as_an_export(client_for, involved, planned, parents):
    _parent_a, parent_b = parents
    client = client_for(involved)
    client.post(url(planned, parent_b))
    client.post(url(planned, parent_b, "document.pdf"))

    exports = AuditEvent.objects.filter(action=AuditAction.EXPORT).order_by("sequence")
    assert [(e.actor, e.object_type, e.object_id, e.episode_id, e.changes) for e in exports] == [
        (
            involved,
            "plans.plan",
            str(planned.pk),
            planned.episode_id,
            {"format": f, "recipient": parent_b.pk, "language": "en", "child_friendly": False},
        )
        for f in ("html", "pdf")
    ]


@pytest.mark.parametrize("persona, status", [("manager", 200), ("eho", 200)])
def test_those_who_work_on_the_case_can_print_it(
    request, client_for, planned, parents, persona, status
):
    client = client_for(request.getfixturevalue(persona))
    assert client.post(url(planned, parents[1])).status_code == status


@pytest.mark.parametrize("persona", ["other_org", "other_la_manager", "la_admin"])
def test_those_who_cannot_see_the_case_get_not_found(
    request, client_for, planned, parents, persona
):
    client = client_for(request.getfixturevalue(persona))
    statuses = [
        client.post(url(planned, parents[1], tail)).status_code
        for tail in ("document/", "document.pdf")
    ]
    assert statuses == [404, 404]
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_a_panel_member_who_only_reads_the_case_cannot_print_it(
    client_for, planned, parents, la, other_org, involved
):
    coordinator = UserFactory(local_authority=la, roles=[Role.PANEL_COORDINATOR])
    panel = panel_services.arrange_panel(
        coordinator, meets_on=timezone.localdate() + datetime.timedelta(days=3)
    )
    panel_services.add_member(coordinator, panel, other_org)
    panel_services.add_to_agenda(coordinator, panel, planned.episode)
    client = client_for(other_org)

    assert client.get(f"/cases/{planned.episode_id}/plan/").status_code == 200
    assert [
        client.post(url(planned, parents[1], t)).status_code for t in ("document/", "document.pdf")
    ] == [403, 403]
    with pytest.raises(PermissionDenied):
        services.plan_document(other_org, planned, parents[1])
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_only_for_family_members_and_the_current_plan(client_for, involved, planned, parents, la):
    stranger = add_member(planned.episode, Relationship.PARENT, first_name="Stranger")
    stranger.family_memberships.all().delete()
    client = client_for(involved)

    assert client.post(url(planned, stranger)).status_code == 404
    with pytest.raises(ValidationError):
        services.plan_document(involved, planned, stranger)
    action = plan_actions(planned)[0]
    services.new_version(
        involved, planned, change_summary="Two", changed_actions={action: {"what": "Changed"}}
    )
    with pytest.raises(ValidationError):
        services.plan_document(involved, planned, parents[1])


def test_the_copy_page_makes_the_document(client_for, involved, planned, parents):
    html = client_for(involved).get(url(planned, parents[1], "")).content.decode()
    assert f'action="{url(planned, parents[1])}"' in html
    assert 'value="pdf" name="format"' in html
    pdf = client_for(involved).post(url(planned, parents[1]), {"language": "ro", "format": "pdf"})
    assert (pdf.status_code, pdf["Content-Type"], pdf.content[:5]) == (
        200,
        "application/pdf",
        b"%PDF-",
    )


def test_making_a_copy_is_a_post(client_for, involved, planned, parents):
    # Making a copy records it on the copy list: never by following a link.
    client = client_for(involved)
    statuses = [
        client.get(url(planned, parents[1], t)).status_code for t in ("document/", "document.pdf")
    ]
    assert statuses == [405, 405]
    assert not planned.copies.exists()
