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
from django.utils import timezone

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
from core.codes import Ethnicity, Gender
from core.validators import nhs_check_digit, upn_check_letter
from episodes import states
from episodes.models import ClosureReason, Episode, EpisodeChild, RequestSource, Status
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
    },
    {
        "slug": "eastvale",
        "name": "Eastvale County Council",
        "postcode_area": "EV",
        "town": "Eastvale",
        "districts": ["Eastvale Town", "Riverside", "Hollins Vale"],
        "meeting_name": "tac",
        "upper_age": 19,
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
    record(Action.CREATE, obj=user, local_authority=la, actor_label="demo data")
    return user


def _council(spec, rng):
    la = LocalAuthority.objects.create(
        slug=spec["slug"],
        name=spec["name"],
        meeting_name=spec["meeting_name"],
        upper_age=spec["upper_age"],
        front_door_phone="0300 000 0000",
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


def _person(la, rng, spec, surname, address, *, child, age_years=None, unborn=False):
    today = timezone.localdate()
    person = Person(
        local_authority=la,
        first_name=rng.choice(FIRST_NAMES_CHILD if child else FIRST_NAMES_ADULT),
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
    for _ in range(rng.randint(1, 3)):
        child = _person(
            la,
            rng,
            spec,
            surname,
            address,
            child=True,
            age_years=rng.randint(0, spec["upper_age"] - 2),
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
        requested_at=timezone.now() - timedelta(days=rng.randint(5, 200)),
    )
    for child in children:
        EpisodeChild.objects.create(episode=episode, person=child)
    episode.organisations.add(requester.primary_organisation)
    _advance(episode, stage, staff, organisations, rng)
    record(Action.CREATE, obj=episode, local_authority=la, actor_label="demo data")
    return episode


def _advance(episode, stage, staff, organisations, rng):
    """Walk the episode through the state machine to the stage wanted."""
    path = {
        Status.REQUESTED: [],
        Status.ASSESSMENT: ["give_consent"],
        Status.MEETING: ["give_consent", "complete_assessment"],
        Status.PLAN: ["give_consent", "complete_assessment", "agree_plan"],
        Status.STEPPED_UP: ["give_consent", "step_up"],
        Status.CLOSED: ["give_consent", "complete_assessment", "agree_plan", "review", "close"],
    }[stage]
    for action in path:
        if action == "agree_plan":
            episode.lead_professional = rng.choice([staff["practitioner"], staff["health-visitor"]])
            episode.organisations.add(*rng.sample(organisations[:9], 2))
        states.apply(episode, action, closure_reason=ClosureReason.NEEDS_MET)
    episode.save()


@transaction.atomic
def load_demo_data(seed=2026):
    rng = random.Random(seed)
    admin = User.objects.create_superuser(
        "admin@earlyhelp.example", settings.DEMO_PASSWORD, full_name="Sam Sysadmin"
    )
    record(Action.CREATE, obj=admin, actor_label="demo data")
    summary = []
    for spec in COUNCILS:
        la, districts, organisations, staff = _council(spec, rng)
        for index in range(FAMILIES_PER_COUNCIL):
            _family(la, spec, rng, districts, organisations, staff, STAGES[index % len(STAGES)])
        summary.append((la.name, FAMILIES_PER_COUNCIL))
    return summary
