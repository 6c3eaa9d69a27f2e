"""A case with one record of every kind, for subject access and retention.

The child is the subject of the copy. Their parent's address is restricted
(fleeing domestic abuse) and was written into a meeting's place; their
sister's wishes and feelings are her own. Every invented value below is a
marker the tests look for: in the copy, or anywhere after retention.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Role
from assessments.models import Assessment, ChildVoice, ScalingScore
from consent.models import Consent, Purpose, SharingOverride
from episodes.models import Episode, EpisodeNeed
from episodes.services import transition
from families.models import FamilyRequest
from meetings.models import Invitee
from notes.models import CaseNote
from notes.services import add_attachment
from people.models import Person, Relationship, Restriction
from plans.models import PlanCopy
from referrals.models import Referral
from reviews.models import ActionProgress, Review
from tests.factories import EpisodeFactory, PersonFactory
from tests.files import pdf_bytes
from tests.journey_factories import (
    MeetingFactory,
    add_member,
    agree,
    complete_assessment,
    plan_actions,
)

HIDDEN_ADDRESS = "12 Hiddenway Lane"
HIDDEN_POSTCODE = "ZX9 9ZX"
HIDDEN_TOWN = "Secretbury"
SISTER_WORDS = "Sister's own wishes: to see her friends more"

# Every personal value of the family: none may survive anonymisation.
MARKERS = [
    "Quillon",  # the child's first name
    "Marlowe",  # the family's surname
    "Robinette",  # the parent's first name
    "Jessamy",  # the sister's first name
    "Bramblewick",  # the child's known-as name
    "3 Ownhome Road",
    "Owntown",
    "TS1 1AA",
    HIDDEN_ADDRESS,
    HIDDEN_POSTCODE,
    HIDDEN_TOWN,
    SISTER_WORDS,
    "Worries written at the request",
    "Need notes written down",
    "The family's story in their words",
    "Quillon's wishes: more football",
    "Meeting notes written down",
    "The plan changed because",
    "Family views at the review",
    "Progress note on the action",
    "Concern sent to the panel",
    "Case note of the home visit",
    "Mum, Quillon and Jessamy",
    "Override reason: risk of harm",
    "Withdrawal note written down",
    "fleeing domestic abuse",
    "school-letter.pdf",
    "Letter from school",
    "Asked in their own words",  # the family's own request for help
    "Not after six",
    "robinette.asks@example.test",
    "Robinette's sister-in-law",
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def pdf_upload(name="school-letter.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


@pytest.fixture
def case(la, episode, involved, manager, school, clinic):
    """The whole journey for the Marlowe family, with the child as subject."""
    episode.family.name = "Marlowe family"
    episode.family.save()
    Episode.objects.filter(pk=episode.pk).update(worries="Worries written at the request")
    episode.refresh_from_db()
    child = episode.children.get()
    Person.objects.filter(pk=child.pk).update(
        first_name="Quillon",
        last_name="Marlowe",
        known_as="Bramblewick",
        date_of_birth=datetime.date(2015, 4, 9),
        address_line_1="3 Ownhome Road",
        town="Owntown",
        postcode="TS1 1AA",
        nhs_number="9434765919",
    )
    child.refresh_from_db()
    parent = add_member(
        episode,
        Relationship.PARENT,
        first_name="Robinette",
        last_name="Marlowe",
        address_line_1=HIDDEN_ADDRESS,
        town=HIDDEN_TOWN,
        postcode=HIDDEN_POSTCODE,
    )
    sister = add_member(
        episode,
        Relationship.CHILD,
        first_name="Jessamy",
        last_name="Marlowe",
        date_of_birth=datetime.date(2018, 8, 1),
    )
    # Both name the managers, who make subject access copies: a copy holds
    # the subject's own restricted parts only when its maker may see them.
    Restriction.objects.create(
        person=parent,
        field="address",
        reason="fleeing domestic abuse",
        created_by=manager,
        visible_to_roles=[Role.EARLY_HELP_MANAGER],
    )
    Restriction.objects.create(
        person=child,
        field="nhs_number",
        reason="Synthetic: the child's own",
        created_by=manager,
        visible_to_roles=[Role.EARLY_HELP_MANAGER],
    )
    EpisodeNeed.objects.create(episode=episode, need="attendance", notes="Need notes written down")

    complete_assessment(episode, involved)
    consent = Consent.objects.get(purpose=Purpose.SHARING)
    Consent.objects.create(
        episode=episode,
        person=child,
        purpose=Purpose.SHARING,
        organisation=clinic,
        given=True,
        method="written",
        given_on=timezone.localdate(),
        recorded_by=involved,
        withdrawn_at=timezone.now(),
        withdrawn_by=involved,
        withdrawal_note="Withdrawal note written down",
    )
    SharingOverride.objects.create(
        episode=episode,
        organisation=clinic,
        reason="Override reason: risk of harm",
        recorded_by=manager,
    )
    assessment = Assessment.objects.get(episode=episode)
    assessment.family_story = "The family's story in their words"
    assessment.save()
    ChildVoice.objects.create(
        assessment=assessment, child=child, wishes_and_feelings="Quillon's wishes: more football"
    )
    ChildVoice.objects.create(assessment=assessment, child=sister, wishes_and_feelings=SISTER_WORDS)
    ScalingScore.objects.create(assessment=assessment, scorer="child", person=child, score=6)

    meeting = MeetingFactory(
        episode=episode,
        arranged_by=involved,
        location=f"At home, {HIDDEN_ADDRESS}",
        notes="Meeting notes written down",
        held=True,
    )
    Invitee.objects.create(meeting=meeting, person=child, attended=True)
    Invitee.objects.create(meeting=meeting, person=parent, attended=False)
    Invitee.objects.create(meeting=meeting, user=involved, organisation=school, attended=True)

    plan = agree(episode, involved, involved, school)
    plan.change_summary = "The plan changed because"
    plan.save()
    PlanCopy.objects.create(
        plan=plan, person=child, given=True, method="in_person", language="en", recorded_by=involved
    )
    review = Review.objects.create(
        episode=episode,
        plan=plan,
        held_on=timezone.localdate(),
        family_views="Family views at the review",
        engagement="fully",
        decision="continue",
        recorded_by=involved,
    )
    ActionProgress.objects.create(
        review=review,
        action=plan_actions(plan)[0],
        status="in_progress",
        note="Progress note on the action",
    )
    Referral.objects.create(
        episode=episode, kind="panel", concern="Concern sent to the panel", sent_by=involved
    )
    CaseNote.objects.create(
        episode=episode,
        kind="home_visit",
        happened_on=timezone.localdate(),
        who="Mum, Quillon and Jessamy",
        what_happened="Case note of the home visit",
        author=involved,
    )
    attachment = add_attachment(
        involved, episode, upload=pdf_upload(), kind="letter", description="Letter from school"
    )
    # The family asked for help themselves first (families/): their request
    # became this case.
    FamilyRequest.objects.create(
        local_authority=episode.local_authority,
        district=episode.district,
        asker="parent",
        first_name="Robinette",
        last_name="Marlowe",
        relationship="Robinette's sister-in-law",
        phone="07700 900 123",
        email="robinette.asks@example.test",
        contact_safety="Not after six",
        postcode="TS1 1AA",
        worries="Asked in their own words",
        children=[{"first_name": "Quillon", "last_name": "Marlowe", "date_of_birth": "2015-04-09"}],
        language="en",
        consent_to_contact=True,
        episode=episode,
    )
    episode.refresh_from_db()
    return SimpleNamespace(
        episode=episode,
        child=child,
        parent=parent,
        sister=sister,
        plan=plan,
        consent=consent,
        attachment=attachment,
    )


def close(episode, actor, closed_at):
    """Close through the state machine, then date the closure."""
    transition(actor, episode, "close", closure_reason="needs_met")
    Episode.objects.filter(pk=episode.pk).update(closed_at=closed_at)
    episode.refresh_from_db()
    return episode


def at(day, hour=12):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def helped(la, district, school, involved, born, closed_at):
    """A family helped once for a child born on `born`, closed at `closed_at`
    (None: still open)."""
    child = PersonFactory(local_authority=la, date_of_birth=born)
    episode = EpisodeFactory(
        local_authority=la,
        district=district,
        requesting_organisation=school,
        requested_by=involved,
        child=child,
    )
    return episode if closed_at is None else close(episode, involved, closed_at)


@pytest.fixture
def closed_family(la, district, school, involved):
    """A family helped once, closed on 10 March 2018; the child born 15 June 2000."""
    return helped(
        la, district, school, involved, datetime.date(2000, 6, 15), at(datetime.date(2018, 3, 10))
    )
