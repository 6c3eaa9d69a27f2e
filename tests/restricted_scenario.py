"""A family with restricted information, taken through the whole journey with
the real domain functions, for tests/people/test_restricted_everywhere.py.

The parent (fleeing domestic abuse, say) has her address, date of birth,
language and interpreter need, known-as name and NHS number restricted with no
role named, so only the case's lead professional may see them. Her child lives
at the same address (the same lines and postcode, not restricted on his own
record) and has his date of birth, unique pupil number, gender identity,
ethnicity and disabilities restricted too.

The case has one of everything a page can show: consent, a completed
assessment, a meeting held at the parent's (restricted) address with the
invitation emailed, an agreed plan with actions, a review (version 2), a panel
referral on an open panel's agenda, a note, an attachment, a duty-to-share
override and a possible duplicate of the parent. A second case of the same
family has its assessment in progress, so the assessment's pages are there too.

All names, addresses and numbers are invented; emails are .example.
"""

import contextlib
import datetime
from dataclasses import dataclass, field

from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.utils import timezone

from accounts.models import OrganisationType, Role
from assessments.models import Assessment
from assessments.services import save_section, start_assessment
from consent.models import Method, Purpose
from consent.services import record_consent, record_sharing_override
from core.validators import nhs_check_digit, upn_check_letter
from episodes.services import transition
from matching.models import PossibleDuplicate
from meetings import services as meeting_services
from notes.models import NoteKind
from notes.services import add_attachment, add_note
from panels import services as panel_services
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


def nhs_number(first_nine):
    check = nhs_check_digit(first_nine)
    assert check is not None, first_nine
    return first_nine + str(check)


def upn(last_twelve):
    return upn_check_letter(last_twelve) + last_twelve


# The restricted values: distinctive, so finding one on a page is never chance.
ADDRESS_LINE_1 = "14 Quarrel Heath Row"
ADDRESS_LINE_2 = "Lanternwick Close"
TOWN = "Amberfold"
POSTCODE = "ZX9 4QQ"
PARENT_BORN = datetime.date(1979, 3, 17)
CHILD_BORN = datetime.date(2014, 10, 29)
PARENT_NHS_NUMBER = nhs_number("999418273")
KNOWN_AS = "Bramblewick"
LANGUAGE = "pl"  # Polish, one of the council's default family languages
LANGUAGE_LABEL = "Polish"
CHILD_UPN = upn("999999914287")
GENDER_IDENTITY = "Larkspire"
ETHNICITY = "WROM"
ETHNICITY_LABEL = "Gypsy/Roma"
DISABILITY = "AUT"
DISABILITY_LABEL = "Autism or Asperger syndrome"
# The meeting was held at the parent's address, typed in as free text.
MEETING_LOCATION = f"{ADDRESS_LINE_1}, {TOWN} {POSTCODE}"

PARENT = {"first_name": "Dorota", "last_name": "Vantreece"}
CHILD = {"first_name": "Milo", "last_name": "Vantreece"}
ADDRESS = {
    "address_line_1": ADDRESS_LINE_1,
    "address_line_2": ADDRESS_LINE_2,
    "town": TOWN,
    "postcode": POSTCODE,
}
PARENT_RESTRICTED = (
    RestrictableField.ADDRESS,
    RestrictableField.DATE_OF_BIRTH,
    RestrictableField.LANGUAGE,
    RestrictableField.KNOWN_AS,
    RestrictableField.NHS_NUMBER,
)
CHILD_RESTRICTED = (
    RestrictableField.DATE_OF_BIRTH,
    RestrictableField.UPN,
    RestrictableField.GENDER_IDENTITY,
    RestrictableField.ETHNICITY,
    RestrictableField.DISABILITIES,
)

PERSONAS = (
    "lead",  # the case's lead professional: sees the restricted parts (the control)
    "involved",  # the practitioner who asked for help (at the school)
    "team",  # the lead's colleague at the partner organisation in the team
    "eho",  # the district's Early Help Officer
    "manager",  # an early help manager of the council
    "coordinator",  # a panel coordinator of the council
    "panel_member",  # sits on the open panel with the case on its agenda
    "other_org",  # a practitioner of the council not involved at all
)
TODAY = datetime.date(2026, 1, 12)


@dataclass
class Scenario:
    users: dict  # persona -> user pk
    emails: dict  # persona -> [(subject, every decoded text part)] sent to them
    episodes: list  # [planned case, case with the assessment in progress]
    parent: int
    child: int
    people: list  # everyone in the family
    assessing: int  # the case whose assessment is in progress
    case_records: dict  # episode pk -> {kind -> [pk]}: its meetings, consents...
    records: dict = field(default_factory=dict)  # kind -> [pk]: the panel, a duplicate...


def _user(la, email, roles, organisation=None, name=None):
    return UserFactory(
        local_authority=la,
        email=email,
        full_name=name,
        organisation=organisation,
        roles=roles,
    )


def _decoded_parts(message):
    """Subject, body and every attachment of an email, as text."""
    parts = [message.subject]
    for part in message.message().walk():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True)
        if payload is not None:
            parts.append(payload.decode(part.get_content_charset() or "utf-8", "replace"))
    return "\n".join(parts)


def _build():
    la = LocalAuthorityFactory(slug="fernbrook", name="Fernbrook Council")
    school = OrganisationFactory(local_authority=la, name="Fernbrook Primary")
    housing = OrganisationFactory(
        local_authority=la, name="Fernbrook Homes", type=OrganisationType.HOUSING
    )
    clinic = OrganisationFactory(
        local_authority=la, name="Fernbrook Clinic", type=OrganisationType.OTHER_HEALTH
    )
    users = {
        "lead": _user(la, "lead@fern.example", [Role.PRACTITIONER], housing, "Lee Lead"),
        "involved": _user(la, "involved@fern.example", [Role.PRACTITIONER], school, "Ivy Asker"),
        "team": _user(la, "team@fern.example", [Role.PRACTITIONER], housing, "Tam Colleague"),
        "eho": _user(la, "eho@fern.example", [Role.EARLY_HELP_OFFICER], None, "Evi Officer"),
        "manager": _user(la, "manager@fern.example", [Role.EARLY_HELP_MANAGER], None, "Max Boss"),
        "coordinator": _user(
            la, "panel@fern.example", [Role.PANEL_COORDINATOR], None, "Cory Panel"
        ),
        "panel_member": _user(la, "member@fern.example", [Role.PRACTITIONER], clinic, "Pat Member"),
        "other_org": _user(la, "other@fern.example", [Role.PRACTITIONER], clinic, "Oto Outside"),
    }
    district = DistrictFactory(
        local_authority=la, name="Near District", early_help_officer=users["eho"]
    )
    involved, lead = users["involved"], users["lead"]

    child = PersonFactory(
        local_authority=la,
        date_of_birth=CHILD_BORN,
        upn=CHILD_UPN,
        gender_identity=GENDER_IDENTITY,
        ethnicity=ETHNICITY,
        disabilities=[DISABILITY],
        **CHILD,
        **ADDRESS,
    )
    episode = EpisodeFactory(
        local_authority=la,
        district=district,
        requesting_organisation=school,
        requested_by=involved,
        family__name="Vantreece family",
        child=child,
    )
    parent = add_member(
        episode,
        Relationship.PARENT,
        date_of_birth=PARENT_BORN,
        known_as=KNOWN_AS,
        nhs_number=PARENT_NHS_NUMBER,
        preferred_language=LANGUAGE,
        interpreter_needed=True,
        **PARENT,
        **ADDRESS,
    )
    for purpose, organisations in (
        (Purpose.ASSESSMENT, ()),
        (Purpose.SHARING, (school, housing)),
    ):
        record_consent(
            involved,
            episode,
            person=parent,
            purpose=purpose,
            given=True,
            method=Method.IN_PERSON,
            given_on=TODAY,
            organisations=organisations,
        )
    meeting_services.add_organisation(involved, episode, housing)
    episode.refresh_from_db()
    Assessment.objects.create(
        episode=episode,
        started_by=involved,
        updated_by=involved,
        family_story="Synthetic story of the family",
        wellbeing_goals="The family has a calm morning routine",
        completed_at=timezone.now(),
    )
    transition(involved, episode, "complete_assessment")
    meeting = meeting_services.arrange_meeting(
        involved,
        episode,
        starts_at=timezone.now(),  # it cannot be before the request
        location=MEETING_LOCATION,
        people=[parent, child],
        users=[involved, lead, users["team"]],
    )
    # Restricted once she has told them (the meeting was already arranged at
    # her home, typed in before: old free text), by the practitioner who asked
    # for help (no lead professional yet). With no role named, only the lead
    # professional chosen at the meeting will see them.
    for person, parts in ((parent, PARENT_RESTRICTED), (child, CHILD_RESTRICTED)):
        for part in parts:
            restrict(
                involved,
                Person.objects.get(pk=person.pk),
                field=part,
                reason="Synthetic: fleeing domestic abuse",
            )
    # Refusing to email a restricted address is one way not to leak it.
    with contextlib.suppress(ValidationError):
        meeting_services.email_invite(involved, meeting)
    meeting_services.record_meeting(
        involved,
        meeting,
        attendance={invitee: True for invitee in meeting.invitees.all()},
        lead_professional=lead,
        family_view_on_lead="Happy with the choice",
    )
    agree(episode, involved, lead, housing, goals=1)
    episode.refresh_from_db()
    review = record_review(
        involved,
        episode,
        held_on=timezone.localdate(),
        progress={a: {"status": "in_progress"} for a in plan_actions(current_plan(episode))},
        scores={"score_practitioner": 5},
        family_views="Mornings are calmer",
        engagement="fully",
        decision="continue",
    )
    referral = refer_to_panel(involved, episode, concern="Synthetic concern for the panel")
    panel = panel_services.arrange_panel(
        users["manager"], meets_on=timezone.localdate() + datetime.timedelta(days=7)
    )
    panel_services.add_member(users["manager"], panel, users["panel_member"])
    item = panel_services.add_to_agenda(users["manager"], panel, episode, referral=referral)
    add_note(
        involved,
        episode,
        kind=NoteKind.HOME_VISIT,
        happened_on=timezone.localdate(),
        who="Dorota and Milo",
        what_happened="Synthetic home visit: the morning routine is settling",
    )
    attachment = add_attachment(
        involved,
        episode,
        upload=SimpleUploadedFile("plan.pdf", pdf_bytes(), content_type="application/pdf"),
        kind="existing_plan",
        description="Synthetic support plan",
    )
    police = OrganisationFactory(
        local_authority=la, name="Fernbrook Police", type=OrganisationType.POLICE
    )
    override = record_sharing_override(
        involved, episode, police, reason="Synthetic: risk of significant harm"
    )
    # A record of the parent imported from another system, with none of the
    # restricted details, queued as a possible duplicate of her.
    imported = Person.objects.create(local_authority=la, external_id="IMP-1", **PARENT)
    first, second = sorted((parent, imported), key=lambda person: person.pk)
    duplicate = PossibleDuplicate.objects.create(
        local_authority=la, first=first, second=second, score=0.9
    )

    # The same family's second case, its assessment in progress.
    assessing = EpisodeFactory(
        local_authority=la,
        district=district,
        requesting_organisation=school,
        requested_by=involved,
        family=episode.family,
        child=child,
    )
    record_consent(
        involved,
        assessing,
        person=parent,
        purpose=Purpose.ASSESSMENT,
        given=True,
        method=Method.IN_PERSON,
        given_on=TODAY,
    )
    assessment = start_assessment(involved, assessing)
    save_section(
        involved,
        assessment,
        "family-story",
        {"family_story": "Synthetic story, second time round"},
        assessment.version,
    )

    # A quality audit of the planned case, and a sample that drew it.
    from quality import services as quality

    criteria = quality.active_criteria(la)
    audit = quality.record_audit(
        users["eho"],
        episode,
        subject="plan",
        grade="good",
        feedback="Synthetic: the plan is clear",
        judgements={c.pk: quality.CriterionJudgement("good") for c in criteria},
    )
    sample = quality.draw_sample(users["eho"], size=2, seed=5)

    # Advice about the child, a police notification routed to the case, and a
    # drift alert on it: pages that name the child.
    from advice.models import AdviceContact, AdviceGiven, Known
    from oversight.models import Alert
    from police.models import NotifiedChild, PoliceNotification

    today = timezone.localdate()
    advice = AdviceContact.objects.create(
        local_authority=la,
        district=episode.district,
        received_on=today,
        channel="phone",
        caller_name="Synthetic Caller",
        caller_organisation_name="Synthetic Surgery",
        worry="Synthetic worry",
        known=Known.KNOWN,
        person=child,
        advice=AdviceGiven.CONTACT_LEAD,
        follow_up_on=today + datetime.timedelta(days=3),
        recorded_by=users["eho"],
    )
    police = PoliceNotification.objects.create(
        local_authority=la,
        police_reference="SYN-1",
        incident_at=timezone.now() - datetime.timedelta(hours=5),
        kind="domestic_abuse",
        circumstances="Synthetic circumstances",
        district=episode.district,
        episode=episode,
        acknowledge_by=timezone.now() + datetime.timedelta(days=1),
    )
    NotifiedChild.objects.create(
        notification=police, first_name="Synthetic", last_name="Child", present=True, person=child
    )
    alert = Alert.objects.create(
        local_authority=la,
        rule="review_overdue",
        episode=episode,
        district=episode.district,
        due_since=today - datetime.timedelta(days=2),
        first_seen=today,
    )

    # The parent's links to the family's plan online and to give feedback on
    # the review (families/): public pages, no sign-in.
    from families.services import issue_feedback_link, issue_plan_link

    links = [
        issue_plan_link(lead, episode, parent),
        issue_feedback_link(lead, episode, parent, review=review),
    ]

    for user in users.values():
        authenticator_for(user)  # made once here rather than at each sign-in
    cases = [episode, assessing]
    return Scenario(
        users={name: user.pk for name, user in users.items()},
        emails={},
        episodes=[case.pk for case in cases],
        parent=parent.pk,
        child=child.pk,
        people=[parent.pk, child.pk],
        case_records={
            episode.pk: {
                "meeting": [meeting.pk],
                "consent": list(episode.consents.values_list("pk", flat=True)),
                "override": [override.pk],
                "review": [review.pk],
                "referral": [referral.pk],
                "attachment": [attachment.pk],
                "action": [action.pk for action in plan_actions(current_plan(episode))],
                "plan_version": sorted(episode.plans.values_list("number", flat=True)),
                "quality_audit": [audit.pk],
                "family_link": [issued.link.pk for issued in links],
            },
            assessing.pk: {
                "consent": list(assessing.consents.values_list("pk", flat=True)),
            },
        },
        assessing=assessing.pk,
        records={
            "panel": [panel.pk],
            "panel_member": [users["panel_member"].pk],
            "agenda_item": [item.pk],
            "duplicate": [duplicate.pk],
            "quality_sample": [sample.pk],
            "advice": [advice.pk],
            "police_notification": [police.pk],
            "alert": [alert.pk],
            "family_link_token": [issued.url.rstrip("/").rsplit("/", 1)[1] for issued in links],
            "quality_criterion": [criteria[0].pk],
            "restriction": list(
                Person.objects.get(pk=parent.pk).restrictions.values_list("pk", flat=True)
            ),
        },
    )


def build():
    """The scenario, with every email its build sent, by recipient persona.
    (Emails go once the transaction commits: the outer transaction of a
    module-scoped scenario never does, so the callbacks are run here.)"""
    mail.outbox = []
    with TestCase.captureOnCommitCallbacks(execute=True):
        scenario = _build()
    from accounts.models import User

    addresses = {
        User.objects.get(pk=pk).email.lower(): persona for persona, pk in scenario.users.items()
    }
    for message in mail.outbox:
        text = _decoded_parts(message)
        for address in {*message.to, *message.cc, *message.bcc}:
            persona = addresses.get(address.lower())
            if persona:
                scenario.emails.setdefault(persona, []).append((message.subject, text))
    mail.outbox = []
    return scenario
