"""The world the authorisation matrix runs in: two councils, the personas, and
families whose cases have one of every record a URL can name. Built once per
test module through the real domain functions; each test then runs inside its
own savepoint, so nothing a test does is seen by the next one.

All names are invented; emails are .example.
"""

import datetime
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import OrganisationType, Role
from assessments.models import Assessment
from assessments.services import start_assessment
from consent.models import Consent, Method, Purpose
from consent.services import record_consent, record_sharing_override
from episodes.services import transition
from meetings import services as meeting_services
from notes.services import add_attachment
from people.models import Person, Relationship, RestrictableField
from people.restrictions import restrict
from plans.services import current_plan
from referrals.services import refer_to_panel
from reviews.services import record_review
from tests.factories import (
    DistrictFactory,
    EpisodeFactory,
    LocalAuthorityFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)
from tests.files import pdf_bytes
from tests.journey_factories import add_member, agree, plan_actions
from tests.two_factor import authenticator_for

# The personas, as in tests/conftest.py, plus the lead professional.
PERSONAS = (
    "involved",  # practitioner who asked for help on the case (the requester)
    "lead",  # the case's lead professional, at a partner organisation in the team
    "other_org",  # practitioner of another organisation of the same council, not involved
    "eho",  # Early Help Officer of the case's district
    "other_eho",  # Early Help Officer of another district of the same council
    "manager",  # early help manager of the council
    "other_la_manager",  # early help manager of another council
    "la_admin",  # the council's administrator: accounts, never case records
    "anonymous",  # not signed in
)
TODAY = datetime.date(2026, 1, 12)


@dataclass
class Case:
    """One family's case and one of each record hanging off it (primary keys)."""

    episode: int
    family_name: str
    child: int
    child_name: str
    parent: int
    staff: int  # a practitioner of the case's council who is not a persona
    meeting: int | None = None
    review: int | None = None
    referral: int | None = None
    consent: int | None = None
    attachment: int | None = None
    action: int | None = None
    override: int | None = None  # sharing without consent, awaiting review
    restriction: int | None = None  # the parent's address, shown to lead and managers
    secrets: list = field(default_factory=list)  # text only this family's pages show

    def __getitem__(self, name):
        return getattr(self, name)


@dataclass
class Scenario:
    users: dict  # persona -> user pk (None for anonymous)
    planned: Case  # plan agreed, met, reviewed, referred to panel: most URLs
    assessing: Case  # assessment in progress: the assessment's pages
    same_la_hidden: Case  # same council, another district and organisation
    other_la: Case  # another council
    invited: int  # a user with an open invitation


def _user(la, email, roles, organisation=None, name=None):
    return UserFactory(
        local_authority=la,
        email=email,
        full_name=name or email.split("@")[0].replace("-", " ").title(),
        organisation=organisation,
        roles=roles,
    )


def _open_case(la, district, requester, requesting_org, team_org, surname):
    """A request taken up: the parent consented to the assessment and to
    sharing with the requesting and the partner organisation, which joined the team."""
    episode = EpisodeFactory(
        local_authority=la,
        district=district,
        requesting_organisation=requesting_org,
        requested_by=requester,
        family__name=f"{surname} family",
        child=PersonFactory(local_authority=la, first_name=f"Kit{surname}", last_name=surname),
    )
    parent = add_member(
        episode, Relationship.PARENT, first_name=f"Robin{surname}", last_name=surname
    )
    for purpose, organisations in (
        (Purpose.ASSESSMENT, ()),
        (Purpose.SHARING, (requesting_org, team_org)),
    ):
        record_consent(
            requester,
            episode,
            person=parent,
            purpose=purpose,
            given=True,
            method=Method.IN_PERSON,
            given_on=TODAY,
            organisations=organisations,
        )
    meeting_services.add_organisation(requester, episode, team_org)
    episode.refresh_from_db()
    return episode, parent


def _case(episode, parent, staff, surname, **records):
    child = episode.children.get()
    return Case(
        episode=episode.pk,
        family_name=episode.family.name,
        child=child.pk,
        child_name=child.first_name,
        parent=parent.pk,
        staff=staff.pk,
        secrets=[episode.family.name, child.first_name, parent.first_name, surname],
        **records,
    )


def planned_case(la, district, requester, requesting_org, lead, team_org, staff, surname):
    """A case with its plan agreed (version 1), a meeting held, a review (which
    made version 2), a panel referral, a consent row and an attachment."""
    episode, parent = _open_case(la, district, requester, requesting_org, team_org, surname)
    Assessment.objects.create(
        episode=episode,
        started_by=requester,
        updated_by=requester,
        wellbeing_goals="The family has a calm morning routine",
        completed_at=timezone.now(),
    )
    transition(requester, episode, "complete_assessment")
    meeting = meeting_services.arrange_meeting(
        requester,
        episode,
        starts_at=timezone.now() - datetime.timedelta(days=1),
        location="Room 2",
        people=[parent],
        users=[requester, lead],
    )
    meeting_services.record_meeting(
        requester,
        meeting,
        attendance={invitee: True for invitee in meeting.invitees.all()},
        lead_professional=lead,
        family_view_on_lead="Happy with the choice",
    )
    agree(episode, requester, lead, team_org, goals=1)
    episode.refresh_from_db()
    review = record_review(
        requester,
        episode,
        held_on=timezone.localdate(),
        progress={a: {"status": "in_progress"} for a in plan_actions(current_plan(episode))},
        scores={"score_practitioner": 5},
        family_views="Mornings are calmer",
        engagement="fully",
        decision="continue",
    )
    referral = refer_to_panel(requester, episode, concern="Synthetic concern for the panel")
    attachment = add_attachment(
        requester,
        episode,
        upload=SimpleUploadedFile("plan.pdf", pdf_bytes(), content_type="application/pdf"),
        kind="existing_plan",
        description="Synthetic support plan",
    )
    consent = Consent.objects.filter(episode=episode, organisation=requesting_org).get()
    # Sharing without consent with an organisation no persona works for.
    police = OrganisationFactory(
        local_authority=la, name=f"{surname} Police", type=OrganisationType.POLICE
    )
    override = record_sharing_override(
        requester, episode, police, reason="Synthetic: risk of significant harm"
    )
    restriction = restrict(
        lead,
        Person.objects.get(pk=parent.pk),
        field=RestrictableField.ADDRESS,
        reason="Synthetic: fleeing domestic abuse",
        visible_to_roles=[Role.EARLY_HELP_MANAGER],
    )
    return _case(
        episode,
        parent,
        staff,
        surname,
        meeting=meeting.pk,
        review=review.pk,
        referral=referral.pk,
        consent=consent.pk,
        attachment=attachment.pk,
        action=plan_actions(current_plan(episode))[0].pk,
        override=override.pk,
        restriction=restriction.pk,
    )


def build():
    la = LocalAuthorityFactory(slug="matrixshire", name="Matrixshire Council")
    other_la = LocalAuthorityFactory(slug="elsewhere", name="Elsewhere Council")
    school = OrganisationFactory(local_authority=la, name="Matrixshire Primary")
    housing = OrganisationFactory(
        local_authority=la, name="Matrixshire Homes", type=OrganisationType.HOUSING
    )
    clinic = OrganisationFactory(
        local_authority=la, name="Matrixshire Clinic", type=OrganisationType.OTHER_HEALTH
    )
    users = {
        "involved": _user(la, "involved@matrix.example", [Role.PRACTITIONER], school),
        "lead": _user(la, "lead@matrix.example", [Role.PRACTITIONER], housing),
        "other_org": _user(la, "other-org@matrix.example", [Role.PRACTITIONER], clinic),
        "eho": _user(la, "eho@matrix.example", [Role.EARLY_HELP_OFFICER]),
        "other_eho": _user(la, "other-eho@matrix.example", [Role.EARLY_HELP_OFFICER]),
        "manager": _user(la, "manager@matrix.example", [Role.EARLY_HELP_MANAGER]),
        "other_la_manager": _user(other_la, "manager@elsewhere.example", [Role.EARLY_HELP_MANAGER]),
        "la_admin": _user(la, "admin@matrix.example", [Role.LA_ADMIN], school),
    }
    near = DistrictFactory(
        local_authority=la, name="Near District", early_help_officer=users["eho"]
    )
    far = DistrictFactory(
        local_authority=la, name="Far District", early_help_officer=users["other_eho"]
    )
    staff = _user(la, "colleague@matrix.example", [Role.PRACTITIONER], school)

    planned = planned_case(
        la, near, users["involved"], school, users["lead"], housing, staff, "Planwell"
    )
    episode, parent = _open_case(la, near, users["involved"], school, housing, "Assesswell")
    start_assessment(users["involved"], episode)
    assessing = _case(episode, parent, staff, "Assesswell")

    # Another family of the same council: another district, organisation and team.
    hub = OrganisationFactory(
        local_authority=la, name="Matrixshire Family Hub", type=OrganisationType.VOLUNTARY
    )
    hub_lead = _user(la, "hub-lead@matrix.example", [Role.PRACTITIONER], hub)
    same_la_hidden = planned_case(
        la, far, users["other_org"], clinic, hub_lead, hub, staff, "Farside"
    )

    # A family of another council, with its own staff.
    elsewhere_school = OrganisationFactory(local_authority=other_la, name="Elsewhere School")
    elsewhere_eho = _user(other_la, "eho@elsewhere.example", [Role.EARLY_HELP_OFFICER])
    elsewhere_district = DistrictFactory(
        local_authority=other_la, name="Elsewhere District", early_help_officer=elsewhere_eho
    )
    elsewhere_requester = _user(
        other_la, "practitioner@elsewhere.example", [Role.PRACTITIONER], elsewhere_school
    )
    elsewhere_team = OrganisationFactory(local_authority=other_la, name="Elsewhere Homes")
    elsewhere_lead = _user(other_la, "lead@elsewhere.example", [Role.PRACTITIONER], elsewhere_team)
    other_la_case = planned_case(
        other_la,
        elsewhere_district,
        elsewhere_requester,
        elsewhere_school,
        elsewhere_lead,
        elsewhere_team,
        elsewhere_requester,
        "Yonder",
    )

    invited = _user(la, "invited@matrix.example", [Role.PRACTITIONER], school)
    invited.set_unusable_password()
    invited.invited_at = timezone.now()
    invited.save()

    for user in users.values():
        authenticator_for(user)  # made once here rather than at each test's sign-in
    return Scenario(
        users={name: user.pk for name, user in users.items()} | {"anonymous": None},
        planned=planned,
        assessing=assessing,
        same_la_hidden=same_la_hidden,
        other_la=other_la_case,
        invited=invited.pk,
    )
