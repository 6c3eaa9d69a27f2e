"""A review's outcome as the family keeps it: in their language, the decision
explained in words written for them, what they said as typed, restricted
details left out, audited as an export; only for those who work on the case."""

import pytest
from django.utils import timezone, translation

from audit.models import Action as AuditAction
from audit.models import AuditEvent
from people.models import Relationship
from people.restrictions import restrict
from plans.services import current_plan
from reviews.services import record_review
from tests.journey_factories import add_member, plan_actions


@pytest.fixture
def review(planned, involved):
    return record_review(
        involved,
        planned.episode,
        held_on=timezone.localdate(),
        progress={
            a: {"status": "in_progress", "note": "Synthetic: going well"}
            for a in plan_actions(planned)
        },
        scores={"score_practitioner": 6},
        family_views="Synthetic: mornings are calmer at 14 Hidden Row",
        engagement="fully",
        decision="amend",
    )


@pytest.fixture
def parent_b(planned):
    return add_member(
        planned.episode, Relationship.PARENT, first_name="Blair", preferred_language="ps"
    )


def url(review, person, tail="/"):
    return f"/cases/{review.episode_id}/reviews/{review.pk}/outcome/{person.pk}{tail}"


def test_the_outcome_is_in_their_language_with_the_decision_explained(
    client_for, involved, review, parent_b
):
    html = client_for(involved).get(url(review, parent_b)).content.decode()

    with translation.override("ps"):
        decision = translation.gettext(
            "We agreed to change the plan. You will get a copy of the new plan."
        )
        status = translation.gettext("In progress")
        heading = translation.gettext("Your plan's review")
    assert '<html lang="ps" dir="rtl">' in html
    assert heading in html and decision in html and status in html
    assert "Synthetic: going well" in html


def test_restricted_details_typed_before_the_restriction_are_left_out(
    client_for, involved, eho, review, parent_b
):
    hidden = add_member(
        review.episode, Relationship.PARENT, first_name="Alex", address_line_1="14 Hidden Row"
    )
    restrict(involved, hidden, field="address", reason="Synthetic: fleeing abuse")

    html = client_for(eho).get(url(review, parent_b), {"language": "en"}).content.decode()

    assert "14 Hidden Row" not in html
    assert "Synthetic: mornings are calmer at" in html


def test_each_outcome_is_audited_as_an_export_and_the_review_page_links_it(
    client_for, involved, review, parent_b
):
    client = client_for(involved)
    page = client.get(f"/cases/{review.episode_id}/reviews/{review.pk}/").content.decode()
    client.get(url(review, parent_b), {"language": "ro"})

    assert f'href="{url(review, parent_b)}"' in page
    assert f'href="{url(review, parent_b, ".pdf")}"' in page
    export = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert (export.actor, export.object_type, export.object_id, export.changes) == (
        involved,
        "reviews.review",
        str(review.pk),
        {"format": "html", "recipient": parent_b.pk, "language": "ro"},
    )
    # A review's outcome is not a copy of the plan: the copy list is unchanged.
    assert not current_plan(review.episode).copies.exists()


def test_a_language_not_offered_is_not_found(client_for, involved, review, parent_b):
    response = client_for(involved).get(url(review, parent_b), {"language": "xx"})
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()
