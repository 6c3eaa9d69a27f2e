"""The assessment summary the family keeps: the completed assessment's story,
strengths, worries and goals as typed, everything around them in the family
member's language; audited as an export; only once complete."""

import pytest
from django.utils import translation

from assessments.models import Assessment
from audit.models import Action as AuditAction
from audit.models import AuditEvent
from people.models import Relationship
from tests import journey_factories
from tests.journey_factories import add_member

at_meeting = journey_factories.at_meeting  # the case with its assessment complete


@pytest.fixture
def parent_b(at_meeting):
    return add_member(at_meeting, Relationship.PARENT, first_name="Blair", preferred_language="ar")


def url(episode, person, tail="/"):
    return f"/cases/{episode.pk}/assessment/summary/{person.pk}{tail}"


def test_the_summary_is_in_their_language_around_what_was_typed(
    client_for,
    involved,
    at_meeting,
    parent_b,
):
    Assessment.objects.filter(episode=at_meeting).update(
        family_story="Synthetic: we moved last year", worries="Synthetic: late to school"
    )

    response = client_for(involved).get(url(at_meeting, parent_b))

    html = response.content.decode()
    with translation.override("ar"):
        story = translation.gettext("Your family's story")
        worries = translation.gettext("What we are worried about")
    assert '<html lang="ar" dir="rtl">' in html
    assert story in html and worries in html
    assert "Synthetic: we moved last year" in html and "Synthetic: late to school" in html
    export = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert (export.object_type, export.changes) == (
        "assessments.assessment",
        {"format": "html", "recipient": parent_b.pk, "language": "ar"},
    )


def test_no_summary_before_the_assessment_is_complete(
    client_for,
    involved,
    at_meeting,
    parent_b,
):
    Assessment.objects.filter(episode=at_meeting).update(completed_at=None)
    assert client_for(involved).get(url(at_meeting, parent_b)).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_the_assessment_page_links_each_family_member_s_summary(
    client_for,
    involved,
    at_meeting,
    parent_b,
):
    page = client_for(involved).get(f"/cases/{at_meeting.pk}/assessment/").content.decode()
    assert f'href="{url(at_meeting, parent_b)}"' in page
    assert f'href="{url(at_meeting, parent_b, ".pdf")}"' in page
