"""Synthetic demonstration data: two fictional councils sharing one installation.

Everything here is invented. Postcode areas NM and EV do not exist; NHS numbers
start 999 (a range never issued to patients); email addresses use the reserved
.example domain. Names are drawn at random from lists of common given names and
surnames, so no record describes a real person.
"""

import random
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.test.utils import override_settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import (
    District,
    LocalAuthority,
    Membership,
    Organisation,
    OrganisationType,
    Role,
    User,
)
from audit.models import Action
from audit.services import record
from core import demo_matching, demo_performance
from core import demo_need_to_know as need_to_know
from core.codes import Ethnicity, Gender
from core.validators import nhs_check_digit, upn_check_letter
from episodes.models import Episode, EpisodeChild, EpisodeNeed, RequestSource, Status
from families.models import PostcodeDistrict
from outcomes import demo as outcome_examples
from people.models import Family, FamilyMember, Person, Relationship

COUNCILS = [
    {
        "slug": "northmoor",
        "name": "Northmoor Borough Council",
        "postcode_area": "NM",
        "town": "Northmoor",
        "districts": ["Northmoor Central", "Ashby Fields", "Kingsmead"],
        "meeting_name": "taf",
        "upper_age": 18,
        "mash_phone": "01632 960 101",  # Ofcom's drama range: never a real line
    },
    {
        "slug": "eastvale",
        "name": "Eastvale County Council",
        "postcode_area": "EV",
        "town": "Eastvale",
        "districts": ["Eastvale Town", "Riverside", "Hollins Vale"],
        "meeting_name": "tac",
        "upper_age": 19,
        "mash_phone": "01632 960 202",
    },
]

FIRST_NAMES_CHILD = [
    "Amelia",
    "Oliver",
    "Isla",
    "Noah",
    "Ava",
    "Leo",
    "Mia",
    "Arlo",
    "Ivy",
    "Theo",
    "Aisha",
    "Yusuf",
    "Zofia",
    "Jakub",
    "Maria",
    "Andrei",
    "Sofia",
    "Mykola",
    "Layla",
    "Omar",
    "Ruby",
    "Finley",
    "Poppy",
    "Alfie",
    "Hana",
    "Bilal",
    "Elena",
    "Luca",
    "Freya",
    "Kai",
]
FIRST_NAMES_ADULT = [
    "Sarah",
    "James",
    "Emma",
    "Daniel",
    "Fatima",
    "Tomasz",
    "Ioana",
    "Olena",
    "Ahmed",
    "Claire",
    "Mark",
    "Gemma",
    "Nadia",
    "Craig",
    "Agnieszka",
    "Mihai",
    "Rukhsana",
    "Lee",
    "Kerry",
    "Paul",
]
SURNAMES = [
    "Ashworth",
    "Brennan",
    "Carver",
    "Dalton",
    "Ellery",
    "Fairbairn",
    "Garside",
    "Holroyd",
    "Ibbotson",
    "Jagger",
    "Kowalczyk",
    "Lindqvist",
    "Marsden",
    "Nowak",
    "Oakes",
    "Popescu",
    "Quarmby",
    "Rahman",
    "Shevchenko",
    "Thwaite",
    "Uddin",
    "Varley",
    "Whitworth",
    "Yildiz",
]
STREETS = ["Moor Lane", "Mill Street", "Beck Road", "Chapel Walk", "Kiln Close", "Weir Terrace"]
WORRIES = [
    "School attendance has dropped to 78% this term and the child seems withdrawn.",
    "Mum has told the health visitor she is struggling with low mood since the baby was born.",
    "The family are in temporary accommodation and money is very tight.",
    "There have been arguments at home that the children have heard; police attended once.",
    "The young person has been missing lessons and was found with older young people at night.",
    "The eldest child is a young carer for dad, who has a long-term illness.",
]
DEMO_NEEDS = [
    "attendance",
    "parenting",
    "housing",
    "adult_mental_health",
    "money",
    "domestic_abuse",
    "child_mental_health",
]
STAGES = [
    Status.REQUESTED,
    Status.ASSESSMENT,
    Status.ASSESSMENT,
    Status.MEETING,
    Status.PLAN,
    Status.PLAN,
    Status.PLAN,
    Status.STEPPED_UP,
    Status.CLOSED,
]
FAMILIES_PER_COUNCIL = 18

ORGANISATIONS = [
    ("{town} Primary School", OrganisationType.SCHOOL, {"school_urn": "999101"}),
    ("{town} Academy", OrganisationType.SCHOOL, {"school_urn": "999102"}),
    ("Little Steps Nursery", OrganisationType.EARLY_YEARS, {}),
    ("{town} Health Visiting Team", OrganisationType.HEALTH_VISITING, {}),
    ("Beck Road Surgery", OrganisationType.GP_PRACTICE, {"ods_code": "Y99901"}),
    ("{town} School Nursing", OrganisationType.OTHER_HEALTH, {}),
    ("{town} Neighbourhood Policing", OrganisationType.POLICE, {}),
    ("{town} Housing Options", OrganisationType.HOUSING, {}),
    ("Family Matters Trust", OrganisationType.VOLUNTARY, {}),
    ("{town} Early Help Service", OrganisationType.EARLY_HELP_UNIT, {}),
    ("{town} Children's Social Care", OrganisationType.CHILDRENS_SOCIAL_CARE, {}),
    ("{town} Youth Club", OrganisationType.OTHER, {}),
]

# (email local part, full name, roles, organisation index)
STAFF = [
    ("practitioner", "Priya Practitioner", [Role.PRACTITIONER], 0),
    ("health-visitor", "Hannah Visitor", [Role.PRACTITIONER], 3),
    ("eho", "Evan Officer", [Role.EARLY_HELP_OFFICER, Role.PRACTITIONER], 9),
    ("manager", "Morgan Manager", [Role.EARLY_HELP_MANAGER], 9),
    ("panel", "Pat Coordinator", [Role.PANEL_COORDINATOR], 9),
    ("admin", "Alex Administrator", [Role.LA_ADMIN], 9),
]


def synthetic_nhs_number(rng):
    while True:
        first_nine = "999" + "".join(rng.choice("0123456789") for _ in range(6))
        check = nhs_check_digit(first_nine)
        if check is not None:
            return first_nine + str(check)


def synthetic_upn(rng):
    body = "999" + "9999" + f"{rng.randint(10, 25):02d}" + f"{rng.randint(0, 999):03d}"
    return upn_check_letter(body) + body


def synthetic_postcode(rng, area):
    inward = rng.choice("0123456789") + "".join(rng.choice("ABDEFGHJLNPQRSTUWXYZ") for _ in "ab")
    return f"{area}{rng.randint(1, 9)} {inward}"


def demo_sign_ins():
    rows = [("admin@earlyhelp.example", "System administrator (Django admin)")]
    for council in COUNCILS:
        for local, _name, roles, _org in STAFF:
            labels = ", ".join(str(role.label) for role in roles)
            rows.append((f"{local}@{council['slug']}.example", f"{labels}, {council['name']}"))
    return rows


def _user(email, full_name, la, roles, organisation):
    user = User.objects.create_user(
        email, settings.DEMO_PASSWORD, full_name=full_name, local_authority=la
    )
    for role in roles:
        user.grant(role)
    if organisation is not None:
        Membership.objects.create(user=user, organisation=organisation)
    _authenticator(user)
    record(Action.CREATE, obj=user, local_authority=la, actor_label="demo data")
    return user


def _authenticator(user):
    """Two-factor sign-in is required of everyone: each demo account has an
    authenticator already set up, whose code the sign-in page shows in demo
    mode (DEMO_MODE, DEBUG only)."""
    TOTPDevice.objects.create(user=user, name="Demo authenticator", confirmed=True)


def _postcodes(la, area, districts):
    """Outward codes for the public ask-for-help page: one a district, and
    one more for the council's general queue (AREA1-3, AREA9)."""
    for number, district in enumerate(districts, start=1):
        PostcodeDistrict.objects.create(
            local_authority=la, district=district, outward_code=f"{area}{number}"
        )
    PostcodeDistrict.objects.create(local_authority=la, outward_code=f"{area}9")


def _council(spec, rng):
    la = LocalAuthority.objects.create(
        slug=spec["slug"],
        name=spec["name"],
        meeting_name=spec["meeting_name"],
        upper_age=spec["upper_age"],
        # Ofcom's drama range for 03 numbers: never a real line.
        front_door_phone="03069 990 000",
        advice_email=f"earlyhelp@{spec['slug']}.example",
        mash_phone=spec["mash_phone"],
    )
    record(Action.CREATE, obj=la, local_authority=la, actor_label="demo data")
    districts = [District.objects.create(local_authority=la, name=n) for n in spec["districts"]]
    organisations = []
    for index, (pattern, org_type, ids) in enumerate(ORGANISATIONS):
        organisations.append(
            Organisation.objects.create(
                local_authority=la,
                district=districts[index % len(districts)],
                name=pattern.format(town=spec["town"]),
                type=org_type,
                **ids,
            )
        )
    staff = {}
    for local, name, roles, org_index in STAFF:
        staff[local] = _user(
            f"{local}@{spec['slug']}.example", name, la, roles, organisations[org_index]
        )
    districts[0].early_help_officer = staff["eho"]
    districts[0].save()
    _postcodes(la, spec["postcode_area"], districts)
    for number, district in enumerate(districts[1:], start=2):
        district.early_help_officer = _user(
            f"eho{number}@{spec['slug']}.example",
            f"Officer {district.name}",
            la,
            [Role.EARLY_HELP_OFFICER],
            organisations[9],
        )
        district.save()
    return la, districts, organisations, staff


def _person(
    la, rng, spec, surname, address, *, child, age_years=None, unborn=False, first_name=None
):
    today = timezone.localdate()
    person = Person(
        local_authority=la,
        first_name=first_name or rng.choice(FIRST_NAMES_CHILD if child else FIRST_NAMES_ADULT),
        last_name=surname,
        sex=rng.choice([Gender.MALE, Gender.FEMALE]) if not unborn else Gender.NOT_RECORDED,
        ethnicity=rng.choice(Ethnicity.values),
        nhs_number=synthetic_nhs_number(rng) if not unborn else "",
        **address,
    )
    if unborn:
        person.first_name = "Baby"
        person.expected_date_of_birth = today + timedelta(days=rng.randint(20, 150))
    else:
        person.date_of_birth = today - timedelta(days=int(age_years * 365.25) + rng.randint(1, 300))
    if child and not unborn and age_years >= 4:
        person.upn = synthetic_upn(rng)
    person.has_send = child and rng.random() < 0.15
    person.full_clean()
    person.save()
    record(Action.CREATE, obj=person, local_authority=la, actor_label="demo data")
    return person


def _family(la, spec, rng, districts, organisations, staff, stage):
    surname = rng.choice(SURNAMES)
    address = {
        "address_line_1": f"{rng.randint(1, 120)} {rng.choice(STREETS)}",
        "town": spec["town"],
        "postcode": synthetic_postcode(rng, spec["postcode_area"]),
    }
    family = Family.objects.create(local_authority=la, name=f"{surname} family")
    record(Action.CREATE, obj=family, local_authority=la, actor_label="demo data")
    parent = _person(la, rng, spec, surname, address, child=False, age_years=rng.randint(22, 45))
    FamilyMember.objects.create(
        family=family,
        person=parent,
        relationship=Relationship.PARENT,
        has_parental_responsibility=True,
    )
    children = []
    # Siblings never share a first name (the matching engine must tell them apart).
    for first_name in rng.sample(FIRST_NAMES_CHILD, rng.randint(1, 3)):
        child = _person(
            la,
            rng,
            spec,
            surname,
            address,
            child=True,
            age_years=rng.randint(0, spec["upper_age"] - 2),
            first_name=first_name,
        )
        FamilyMember.objects.create(family=family, person=child, relationship=Relationship.CHILD)
        children.append(child)
    if rng.random() < 0.15:
        unborn = _person(la, rng, spec, surname, address, child=True, unborn=True)
        FamilyMember.objects.create(family=family, person=unborn, relationship=Relationship.UNBORN)
        children.append(unborn)
    requester = rng.choice([staff["practitioner"], staff["health-visitor"]])
    episode = Episode.objects.create(
        local_authority=la,
        district=districts[0] if rng.random() < 0.5 else rng.choice(districts),
        family=family,
        source=rng.choice([RequestSource.PROFESSIONAL] * 4 + [RequestSource.PARENT]),
        worries=rng.choice(WORRIES),
        requested_by=requester,
        requesting_organisation=requester.primary_organisation,
    )
    for child in children:
        EpisodeChild.objects.create(episode=episode, person=child)
    episode.organisations.add(requester.primary_organisation)
    EpisodeNeed.objects.bulk_create(
        EpisodeNeed(episode=episode, need=need) for need in rng.sample(DEMO_NEEDS, 2)
    )
    record(Action.CREATE, obj=episode, local_authority=la, actor_label="demo data")
    _journey(episode, stage, staff, organisations, rng)
    episode.refresh_from_db()
    _shift_back(episode, rng.randint(5, 120))
    return episode


GOALS = [
    ("The children get to school on time every day", "education"),
    ("Mum feels able to cope and knows where to get support", "health"),
    ("The family has a settled home and money for the basics", "housing"),
]
STORY = "We have had a hard year. We want the children to be happy and to stop worrying."


def _journey(episode, stage, staff, organisations, rng):
    """Walk the episode to `stage` through the real domain functions, so demo
    cases have the consents, assessment, meeting, plan and reviews a real one
    would (and the audit trail to match)."""
    from assessments import services as assessments
    from consent.services import record_consent
    from episodes.services import close_episode
    from meetings.services import arrange_meeting, record_meeting
    from plans.services import agree_plan, current_plan
    from referrals.services import step_up
    from reviews.services import record_review

    actor = episode.requested_by
    parent = episode.family.memberships.get(relationship=Relationship.PARENT).person
    children = [link.person for link in episode.child_links.select_related("person")]
    today = timezone.localdate()
    if stage == Status.REQUESTED:
        return
    record_consent(
        actor,
        episode,
        person=parent,
        purpose="assessment",
        given=True,
        method="in_person",
        given_on=today,
    )
    record_consent(
        actor,
        episode,
        person=parent,
        purpose="sharing",
        given=True,
        method="written",
        given_on=today,
        organisations=organisations[:4],
    )
    if stage == Status.STEPPED_UP:
        step_up(
            actor,
            episode,
            concern="Child disclosed being hit at home; bruising seen.",
            significant_harm="yes",
        )
        return
    assessment = assessments.start_assessment(actor, episode)
    assessments.save_section(actor, assessment, "family-story", {"family_story": STORY}, None)
    if stage == Status.ASSESSMENT:
        return
    goals = rng.sample(GOALS, 2)
    for section, field, text in (
        ("working-well", "working_well", "Mum is warm with the children; grandparents help."),
        ("worries", "worries", episode.worries),
        ("wellbeing-goals", "wellbeing_goals", "\n".join(goal for goal, _key in goals)),
        ("family-context", "family_circumstances", "Two-bedroom flat; dad works nights."),
    ):
        assessments.save_section(actor, assessment, section, {field: text}, None)
    for child in children:
        if not child.is_unborn:
            assessments.save_child_voice(
                actor, assessment, child, "I like school when my friends are there."
            )
    assessments.save_scores(actor, assessment, {"score_practitioner": rng.randint(3, 6)})
    assessments.save_needs(
        actor, episode, list(episode.needs.values_list("need", flat=True)) or ["parenting"]
    )
    assessments.complete_assessment(actor, assessment)
    episode.refresh_from_db()
    if stage == Status.MEETING:
        return
    lead = actor
    meeting = arrange_meeting(
        actor,
        episode,
        # Held straight after the assessment was completed (the demo's "now").
        starts_at=episode.assessment_completed_at,
        location="Family room, children's centre",
        people=[parent],
        users=[actor],
    )
    record_meeting(
        actor,
        meeting,
        attendance={i: True for i in meeting.invitees.all()},
        lead_professional=lead,
        family_view_on_lead="Mum is happy with this.",
    )
    organisation = actor.primary_organisation
    agree_plan(
        actor,
        episode,
        lead_professional=lead,
        goals=[
            {
                "text": goal,
                "outcome": key,
                "lead_organisation": organisation,
                "actions": [
                    {
                        "what": "Weekly check-in with the family",
                        "organisation": organisation,
                        "worker": lead,
                        "due_by": today + timedelta(weeks=6),
                        "success_measure": "The family says things are improving",
                    },
                ],
            }
            for goal, key in goals
        ],
    )
    episode.refresh_from_db()
    if stage == Status.PLAN:
        return
    plan = current_plan(episode)
    actions = [a for goal in plan.goals.all() for a in goal.actions.all()]
    record_review(
        actor,
        episode,
        held_on=today,
        progress={a: {"status": "done"} for a in actions},
        scores={"score_practitioner": 9},
        family_views="Things are much better.",
        engagement="fully",
        decision="close",
    )
    close_episode(
        actor,
        episode,
        reason="needs_met",
        need_outcomes={n.pk: "achieved" for n in episode.needs.all()},
        summary="Attendance is back to normal and the family feels supported.",
    )


def _shift_back(episode, days):
    """Demo only: move a case's history back in time so lists show a realistic
    spread of due and overdue work. Real records are never rewritten."""
    from assessments.models import Assessment
    from consent.models import Consent
    from meetings.models import Meeting
    from plans.models import Plan
    from referrals.models import Referral
    from reviews.models import Review

    delta = timedelta(days=days)
    fields = [
        "requested_at",
        "consent_given_at",
        "assessment_completed_at",
        "plan_agreed_at",
        "last_reviewed_at",
        "stepped_up_at",
        "closed_at",
    ]
    Episode.objects.filter(pk=episode.pk).update(
        **{f: F(f) - delta for f in fields if getattr(episode, f) is not None}
    )
    Consent.objects.filter(episode=episode).update(
        given_on=F("given_on") - delta, recorded_at=F("recorded_at") - delta
    )
    Assessment.objects.filter(episode=episode).update(started_at=F("started_at") - delta)
    Assessment.objects.filter(episode=episode, completed_at__isnull=False).update(
        completed_at=F("completed_at") - delta
    )
    Meeting.objects.filter(episode=episode).update(starts_at=F("starts_at") - delta)
    Plan.objects.filter(episode=episode).update(agreed_at=F("agreed_at") - delta)
    EpisodeNeed.objects.filter(episode=episode).update(recorded_at=F("recorded_at") - delta)
    Review.objects.filter(episode=episode).update(held_on=F("held_on") - delta)
    Referral.objects.filter(episode=episode).update(sent_at=F("sent_at") - delta)


def _panel(la, staff):
    """An open Early Help and Family Support Panel, arranged by the panel
    coordinator, with the health visitor sitting on it and a case referred to
    it on its agenda: a case the health visitor has no other part in, so the
    panel is why she can read it."""
    from panels import services as panels
    from referrals.services import refer_to_panel

    coordinator = staff["panel"]
    case = (
        Episode.objects.filter(
            local_authority=la, status=Status.PLAN, requested_by=staff["practitioner"]
        )
        .order_by("-pk")
        .first()
    )
    if case is None:
        return
    refer_to_panel(
        case.requested_by,
        case,
        concern="The school can no longer lead and no other agency can take on the plan.",
    )
    panel = panels.arrange_panel(coordinator, meets_on=timezone.localdate() + timedelta(days=14))
    panels.add_member(coordinator, panel, staff["health-visitor"])
    panels.add_to_agenda(coordinator, panel, case)


def _advice_calls(la, organisations, staff):
    """Two calls to the first district's Early Help Officer: one with a
    follow-up now overdue, one from a partner outside the council."""
    from advice.models import AdviceGiven
    from advice.services import record_advice

    today = timezone.localdate()
    school = next(
        org for org in organisations if org.district_id == staff["eho"].districts_as_eho.first().pk
    )
    record_advice(
        staff["eho"],
        {
            "received_on": today - timedelta(days=6),
            "channel": "phone",
            "caller_name": "Jo Example",
            "caller_organisation": school,
            "worry": "A pupil has been late most days this month and seems tired.",
            "advice": AdviceGiven.START_ASSESSMENT,
            "advice_detail": (
                "Talk to the family about an early help assessment; call back if they say no."
            ),
            "follow_up_on": today - timedelta(days=1),
        },
    )
    record_advice(
        staff["eho"],
        {
            "received_on": today - timedelta(days=2),
            "channel": "email",
            "caller_name": "Sam Sample",
            "caller_organisation_name": "Neighbouring council's health visiting",
            "worry": "A family has moved into the area and asked where to find parenting support.",
            "advice": AdviceGiven.UNIVERSAL,
        },
    )


def _police_and_drift(la, organisations, staff):
    """The primary school's practitioner is its key adult; one police
    notification about a child of a demo family; and the day's drift alerts."""
    from oversight.evaluation import evaluate
    from police.services import ChildNamed, record_notification

    school = organisations[0]
    school.key_adult = staff["practitioner"]
    school.save(update_fields=["key_adult"])
    child = (
        Person.objects.filter(local_authority=la, date_of_birth__isnull=False)
        .order_by("-date_of_birth")
        .first()
    )
    if child is not None:
        record_notification(
            staff["manager"],
            la,
            police_reference=f"DEMO-{la.slug.upper()}-1",
            incident_at=timezone.now() - timedelta(hours=10),
            kind="domestic_abuse",
            circumstances="Police attended a domestic incident at the family home overnight.",
            school=school,
            children=[
                ChildNamed(child.first_name, child.last_name, child.date_of_birth, present=True)
            ],
        )
    evaluate(la)


def load_demo_data(seed=2026):
    """Load the demo in one transaction. The journey's notifications are kept
    (they show on the demo users' home pages) but no email is sent: the
    console would fill with dozens of messages to addresses nobody reads."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        return _load(seed)


@transaction.atomic
def _load(seed):
    rng = random.Random(seed)
    admin = User.objects.create_superuser(
        "admin@earlyhelp.example", settings.DEMO_PASSWORD, full_name="Sam Sysadmin"
    )
    _authenticator(admin)
    record(Action.CREATE, obj=admin, actor_label="demo data")
    summary = []
    for spec in COUNCILS:
        la, districts, organisations, staff = _council(spec, rng)
        for index in range(FAMILIES_PER_COUNCIL):
            _family(la, spec, rng, districts, organisations, staff, STAGES[index % len(STAGES)])
        need_to_know.add_examples(la, staff, organisations)
        demo_matching.add_examples(la)
        _panel(la, staff)
        _advice_calls(la, organisations, staff)
        _police_and_drift(la, organisations, staff)
        demo_performance.add_history(la, districts, organisations, staff)
        outcome_examples.add_examples(la)
        summary.append((la.name, FAMILIES_PER_COUNCIL))
    return summary
