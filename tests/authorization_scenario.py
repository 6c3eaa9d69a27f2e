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
from consent.services import record_consent, record_sharing_override, withdraw_consent
from episodes.models import ClosureReason, NeedOutcome
from episodes.services import close_episode, transition
from meetings import services as meeting_services
from notes.services import add_attachment
from panels import services as panel_services
from people.models import Person, Relationship, RestrictableField
from people.restrictions import restrict
from plans.services import current_plan
from referrals.services import refer_to_panel, step_up
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

# The personas, as in tests/conftest.py, plus the lead professional, the panel
# and an organisation the family stopped sharing with.
PERSONAS = (
    "involved",  # practitioner who asked for help on the case (the requester)
    "lead",  # partner organisation in the team; the lead professional once the plan is agreed
    "other_org",  # practitioner of another organisation of the same council, not involved
    "withdrawn_org",  # practitioner of an organisation in the team whose consent was withdrawn
    "eho",  # Early Help Officer of the case's district
    "other_eho",  # Early Help Officer of another district of the same council
    "manager",  # early help manager of the council
    "panel_coordinator",  # the council's panel coordinator: sees and works on its cases
    "panel_member",  # practitioner sitting on the open panel whose agenda has the case
    "other_la_manager",  # early help manager of another council
    "la_admin",  # the council's administrator: accounts, never case records
    "anonymous",  # not signed in
)
# Where a case can be, in the order a case goes: each stage's case has the
# records of the stages before it (a stepped-up or closed case had its plan).
STAGES = ("requested", "assessment", "meeting", "plan", "stepped_up", "closed")
TODAY = datetime.date(2026, 1, 12)


@dataclass
class Case:
    """One family's case and one of each record hanging off it (primary keys);
    None where the case has not come that far."""

    episode: int
    stage: str
    family_name: str
    child: int
    child_name: str
    parent: int
    staff: int  # a practitioner of the case's council who is not a persona
    consent: int | None = None  # consent to share with the requesting organisation
    attachment: int | None = None
    override: int | None = None  # sharing without consent, awaiting review
    restriction: int | None = None  # the parent's address, shown to lead and managers
    referral: int | None = None  # to the panel; to children's social care once stepped up
    assessment: int | None = None
    meeting: int | None = None
    plan: int | None = None
    action: int | None = None
    review: int | None = None
    secrets: list = field(default_factory=list)  # text only this family's pages show

    def __getitem__(self, name):
        return getattr(self, name)


@dataclass
class Scenario:
    users: dict  # persona -> user pk (None for anonymous)
    stages: dict  # stage -> the case there (STAGES), all on the open panel's agenda
    same_la_hidden: Case  # same council, another district and organisation
    other_la: Case  # another council
    invited: int  # a user with an open invitation
    panel: int  # the council's open panel: panel_member and `staff` sit on it
    agenda_item: int  # the planned case's item on its agenda

    @property
    def planned(self):
        """Plan agreed, met, reviewed, referred to panel: most records."""
        return self.stages["plan"]

    @property
    def assessing(self):
        """The assessment in progress."""
        return self.stages["assessment"]


def _user(la, email, roles, organisation=None, name=None):
    return UserFactory(
        local_authority=la,
        email=email,
        full_name=name or email.split("@")[0].replace("-", " ").title(),
        organisation=organisation,
        roles=roles,
    )


@dataclass
class Council:
    """Who works on one council's cases, for building them."""

    la: object
    district: object
    requester: object
    requesting_org: object
    lead: object
    team_org: object
    staff: object
    withdrawn_org: object = None  # in the team, but the family withdrew its consent
    panel: object = None  # an open panel the cases are put on (by `arranger`)
    arranger: object = None


def _open_case(council, surname, *, assessment_consent=True):
    """A request: the parent consented to sharing with the requesting and the
    partner organisation, which joined the team (and with `withdrawn_org`, which
    joined and was then withdrawn from), and, unless told not to, to the
    assessment, which takes the request up."""
    requester = council.requester
    episode = EpisodeFactory(
        local_authority=council.la,
        district=council.district,
        requesting_organisation=council.requesting_org,
        requested_by=requester,
        family__name=f"{surname} family",
        child=PersonFactory(
            local_authority=council.la, first_name=f"Kit{surname}", last_name=surname
        ),
    )
    parent = add_member(
        episode, Relationship.PARENT, first_name=f"Robin{surname}", last_name=surname
    )
    joining = [council.team_org] + ([council.withdrawn_org] if council.withdrawn_org else [])
    consents = [(Purpose.SHARING, (council.requesting_org, *joining))]
    if assessment_consent:
        consents.insert(0, (Purpose.ASSESSMENT, ()))
    for purpose, organisations in consents:
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
    for organisation in joining:
        meeting_services.add_organisation(requester, episode, organisation)
    if council.withdrawn_org:
        withdraw_consent(
            requester,
            Consent.objects.get(episode=episode, organisation=council.withdrawn_org),
            note="Synthetic: the family no longer wants to share with them",
        )
    episode.refresh_from_db()
    return episode, parent


def build_case(council, surname, stage="plan"):
    """A case taken to `stage` through the real domain functions, with the
    records each stage on the way made (an assessment, a meeting that chose the
    lead professional, the plan agreed and reviewed), and at every stage a
    panel referral (on the council's open panel's agenda, if it has one), an
    attachment, a duty-to-share override and a restriction."""
    at = STAGES.index(stage)
    requester, lead = council.requester, council.lead
    episode, parent = _open_case(council, surname, assessment_consent=at > 0)
    records = {}
    if stage == "assessment":
        records["assessment"] = start_assessment(requester, episode).pk
    if at >= STAGES.index("meeting"):
        records["assessment"] = Assessment.objects.create(
            episode=episode,
            started_by=requester,
            updated_by=requester,
            wellbeing_goals="The family has a calm morning routine",
            completed_at=timezone.now(),
        ).pk
        transition(requester, episode, "complete_assessment")
        meeting = meeting_services.arrange_meeting(
            requester,
            episode,
            starts_at=timezone.now(),  # it cannot be before the request
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
        records["meeting"] = meeting.pk
    if at >= STAGES.index("plan"):
        agree(episode, requester, lead, council.team_org, goals=1)
        episode.refresh_from_db()
        records["review"] = record_review(
            requester,
            episode,
            held_on=timezone.localdate(),
            progress={a: {"status": "in_progress"} for a in plan_actions(current_plan(episode))},
            scores={"score_practitioner": 5},
            family_views="Mornings are calmer",
            engagement="fully",
            decision="continue",
        ).pk
        plan = current_plan(episode)
        records["plan"] = plan.pk
        records["action"] = plan_actions(plan)[0].pk
    referral = refer_to_panel(requester, episode, concern="Synthetic concern for the panel")
    records["referral"] = referral.pk
    if council.panel is not None:
        panel_services.add_to_agenda(council.arranger, council.panel, episode, referral=referral)
    records["attachment"] = add_attachment(
        requester,
        episode,
        upload=SimpleUploadedFile("plan.pdf", pdf_bytes(), content_type="application/pdf"),
        kind="existing_plan",
        description="Synthetic support plan",
    ).pk
    records["consent"] = (
        Consent.objects.filter(episode=episode, organisation=council.requesting_org).get().pk
    )
    # Sharing without consent with an organisation no persona works for.
    police = OrganisationFactory(
        local_authority=council.la, name=f"{surname} Police", type=OrganisationType.POLICE
    )
    records["override"] = record_sharing_override(
        requester, episode, police, reason="Synthetic: risk of significant harm"
    ).pk
    records["restriction"] = restrict(
        lead,
        Person.objects.get(pk=parent.pk),
        field=RestrictableField.ADDRESS,
        reason="Synthetic: fleeing domestic abuse",
        visible_to_roles=[Role.EARLY_HELP_MANAGER],
    ).pk
    if stage == "stepped_up":
        records["referral"] = step_up(
            requester, episode, concern="Synthetic concern for children's social care"
        ).pk
    if stage == "closed":
        close_episode(
            requester,
            episode,
            reason=ClosureReason.NEEDS_MET,
            need_outcomes={need.pk: NeedOutcome.ACHIEVED for need in episode.needs.all()},
            summary="Synthetic: mornings are calm",
        )
    episode.refresh_from_db()
    assert episode.status == stage, (stage, episode.status)
    child = episode.children.get()
    return Case(
        episode=episode.pk,
        stage=stage,
        family_name=episode.family.name,
        child=child.pk,
        child_name=child.first_name,
        parent=parent.pk,
        staff=council.staff.pk,
        secrets=[episode.family.name, child.first_name, parent.first_name, surname],
        **records,
    )


STAGE_SURNAMES = {
    "requested": "Askwell",
    "assessment": "Assesswell",
    "meeting": "Meetwell",
    "plan": "Planwell",
    "stepped_up": "Stepwell",
    "closed": "Closewell",
}


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
    nursery = OrganisationFactory(local_authority=la, name="Matrixshire Nursery")
    youth = OrganisationFactory(
        local_authority=la, name="Matrixshire Youth Service", type=OrganisationType.VOLUNTARY
    )
    users = {
        "involved": _user(la, "involved@matrix.example", [Role.PRACTITIONER], school),
        "lead": _user(la, "lead@matrix.example", [Role.PRACTITIONER], housing),
        "other_org": _user(la, "other-org@matrix.example", [Role.PRACTITIONER], clinic),
        "withdrawn_org": _user(la, "nursery@matrix.example", [Role.PRACTITIONER], nursery),
        "eho": _user(la, "eho@matrix.example", [Role.EARLY_HELP_OFFICER]),
        "other_eho": _user(la, "other-eho@matrix.example", [Role.EARLY_HELP_OFFICER]),
        "manager": _user(la, "manager@matrix.example", [Role.EARLY_HELP_MANAGER]),
        "panel_coordinator": _user(la, "panel@matrix.example", [Role.PANEL_COORDINATOR]),
        "panel_member": _user(la, "youth@matrix.example", [Role.PRACTITIONER], youth),
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

    # The council's open panel: the panel member and a colleague sit on it, and
    # every stage's case is on its agenda.
    coordinator = users["panel_coordinator"]
    panel = panel_services.arrange_panel(
        coordinator, meets_on=timezone.localdate() + datetime.timedelta(days=7)
    )
    panel_services.add_member(coordinator, panel, users["panel_member"])
    panel_services.add_member(coordinator, panel, staff)

    matrix = Council(
        la, near, users["involved"], school, users["lead"], housing, staff,
        withdrawn_org=nursery, panel=panel, arranger=coordinator,
    )  # fmt: skip
    stages = {stage: build_case(matrix, STAGE_SURNAMES[stage], stage) for stage in STAGES}

    # Another family of the same council: another district, organisation and
    # team, and on no panel.
    hub = OrganisationFactory(
        local_authority=la, name="Matrixshire Family Hub", type=OrganisationType.VOLUNTARY
    )
    hub_lead = _user(la, "hub-lead@matrix.example", [Role.PRACTITIONER], hub)
    same_la_hidden = build_case(
        Council(la, far, users["other_org"], clinic, hub_lead, hub, staff), "Farside"
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
    other_la_case = build_case(
        Council(
            other_la,
            elsewhere_district,
            elsewhere_requester,
            elsewhere_school,
            elsewhere_lead,
            elsewhere_team,
            elsewhere_requester,
        ),  # fmt: skip
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
        stages=stages,
        same_la_hidden=same_la_hidden,
        other_la=other_la_case,
        invited=invited.pk,
        panel=panel.pk,
        agenda_item=panel.agenda_items.get(episode_id=stages["plan"].episode).pk,
    )
