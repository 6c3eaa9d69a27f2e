"""The synthetic register: households of one or two parents or carers and
one to five children (twins, now and then triplets, some unborn), in
fictional postcodes shared by neighbours and clustered by community.

What the register holds of each person is decided apart from the truth
(HELD_*): a child's NHS number is known to the register for 70%, so a
query may carry an NHS number the register does not have, as in life.
Every NHS number is in the 999 range kept for testing; every UPN uses the
council number 999, which no council has; the postcode areas (ZA, ZB...) do
not exist."""

import random
from bisect import bisect
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate

from . import mistakes
from .pools import COMMUNITIES, COMMUNITY_SHARES, MUHAMMAD_SHARE, MUHAMMAD_SPELLINGS

# A fixed "today", so a seed gives the same ages whenever it runs (and no
# date of birth is ever in the future).
REFERENCE_DATE = date(2026, 9, 1)
YEAR = 365.25

# --- register shape -------------------------------------------------------
CHILDREN_PER_HOUSEHOLD = {1: 0.35, 2: 0.35, 3: 0.18, 4: 0.08, 5: 0.04}
SINGLE_PARENT = 0.3
TWIN_BIRTH = 0.016  # about 3% of children are twins
TRIPLET_BIRTH = 0.0003
UNBORN_IN_HOUSEHOLD = 0.02
MIXED_HOUSEHOLD = 0.05  # one parent from another community
CHILD_FROM_EARLIER_RELATIONSHIP = 0.1  # a child with another surname
DOUBLE_BARRELLED_CHILDREN = 0.04
PEOPLE_PER_DISTRICT = 5000
HOUSEHOLDS_PER_POSTCODE = 10

# What the register holds (the truth is complete; records are not).
HELD_NHS_CHILD = 0.7
HELD_NHS_ADULT = 0.3
HELD_UPN_SCHOOL_AGE = 0.5
HELD_PARENT_NAME = 0.8
HELD_SEX = 0.97
HELD_POSTCODE = 0.97

POSTCODE_AREAS = ["ZA", "ZB", "ZC", "ZD", "ZF", "ZG", "ZH", "ZK", "ZL", "ZM", "ZN", "ZP"]
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
WOMEN_ONLY_SURNAMES = {"Begum", "Bibi"}


def weighted(options, rng):
    """One key of a {option: weight} dict."""
    keys = list(options)
    return rng.choices(keys, weights=[options[k] for k in keys])[0]


class ZipfPool:
    """Draws from a list in frequency order: the first names are drawn most
    often, falling off like 1/(rank + 3)^0.7 (top name ~6% of a pool of 80)."""

    def __init__(self, items, exponent=0.7, offset=3):
        self.items = tuple(items)
        self.cumulative = list(
            accumulate(1 / (rank + offset) ** exponent for rank in range(len(self.items)))
        )

    def draw(self, rng):
        return self.items[bisect(self.cumulative, rng.random() * self.cumulative[-1])]


@dataclass
class Person:
    """A register record (the held fields) and the truth behind it."""

    id: int
    household: int
    role: str  # "child", "adult" or "unborn"
    first_name: str
    last_name: str
    sex: str  # the truth: "M" or "F" ("" for an unborn child)
    date_of_birth: date | None
    community: str
    true_nhs: str = ""  # the person's NHS number, known to the register or not
    true_upn: str = ""
    held_nhs: bool = False
    held_upn: bool = False
    held_sex: bool = True
    held_postcode: bool = True
    held_parent_name: str = ""
    twin: bool = False  # another child of the household shares the birthday

    @property
    def external_id(self):
        return f"R{self.id:07d}"

    @property
    def nhs_number(self):
        return self.true_nhs if self.held_nhs else ""

    @property
    def upn(self):
        return self.true_upn if self.held_upn else ""


@dataclass
class Household:
    id: int
    community: str
    district: str
    postcode: str
    adults: list = field(default_factory=list)
    children: list = field(default_factory=list)

    @property
    def members(self):
        return self.adults + self.children


@dataclass
class Register:
    people: list  # Person, id order
    households: list
    postcodes_by_district: dict
    held_postcode: dict  # person id -> postcode held ("" if none)
    identifiers: "Identifiers"

    def record(self, person):
        """The person as the register holds them: the columns import_people reads."""
        return {
            "external_id": person.external_id,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else "",
            "sex": person.sex if person.held_sex else "",
            "postcode": self.held_postcode[person.id],
            "nhs_number": person.nhs_number,
            "upn": person.upn,
            "parent_name": person.held_parent_name,
        }


def nhs_check_digit(first_nine):
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    return {11: 0, 10: None}.get(check, check)


def upn_check_letter(last_twelve):
    total = sum(
        weight * (int(c) if c.isdigit() else UPN_LETTERS.index(c))
        for weight, c in enumerate(last_twelve, start=2)
    )
    return UPN_LETTERS[total % 23]


class Identifiers:
    """Unique synthetic NHS numbers (999 range) and UPNs (council 999).

    NHS numbers walk the million numbers 999 000 000x-999 999 999x in a
    scrambled order (an affine permutation), skipping those with no valid
    check digit: unique without remembering what was handed out."""

    STEP = 387_427  # coprime with 10**6, so every number is visited once

    def __init__(self, seed):
        self._offset = (seed * 7_919) % 1_000_000
        self._next = 0
        self._upn_serials = {}

    def nhs(self):
        while True:
            body = f"999{(self.STEP * self._next + self._offset) % 1_000_000:06d}"
            self._next += 1
            if self._next > 1_000_000:
                raise RuntimeError("the 999 range of NHS numbers is used up")
            check = nhs_check_digit(body)
            if check is not None:
                return body + str(check)

    def upn(self, school, year_entered):
        key = (school, year_entered)
        serial = self._upn_serials.get(key, 0)
        while serial > 999:  # a full school year: the next school number along
            school += 1
            key = (school, year_entered)
            serial = self._upn_serials.get(key, 0)
        self._upn_serials[key] = serial + 1
        body = f"999{school:04d}{year_entered % 100:02d}{serial:03d}"
        return upn_check_letter(body) + body


def age_years(day):
    """Age in years (fractional) on the reference date."""
    return (REFERENCE_DATE - day).days / YEAR


def born_years_ago(years):
    return REFERENCE_DATE - timedelta(days=int(years * YEAR))


class Names:
    """Draws names as a community's register holds them."""

    def __init__(self, rng):
        self.rng = rng
        self.pools = {
            key: {
                "boys": ZipfPool(c.boys),
                "girls": ZipfPool(c.girls),
                "men": ZipfPool(c.men),
                "women": ZipfPool(c.women),
                "surnames": ZipfPool(c.surnames, exponent=0.75, offset=2),
            }
            for key, c in COMMUNITIES.items()
        }

    def given_name(self, community, sex, generation):
        rng = self.rng
        if sex == "M" and community in MUHAMMAD_SHARE and rng.random() < MUHAMMAD_SHARE[community]:
            return weighted(MUHAMMAD_SPELLINGS[community], rng)
        pool = {
            ("M", "child"): "boys",
            ("F", "child"): "girls",
            ("M", "adult"): "men",
            ("F", "adult"): "women",
        }[sex, generation]
        return self.pools[community][pool].draw(rng)

    def surname(self, community, sex=""):
        """A surname; Begum and Bibi (a woman's title become her surname) only for women."""
        c = COMMUNITIES[community]
        for _ in range(20):
            if c.surname_tail and self.rng.random() > c.common_surname_share:
                name = self.rng.choice(c.surname_tail)
            else:
                name = self.pools[community]["surnames"].draw(self.rng)
            if sex == "F" or name not in WOMEN_ONLY_SURNAMES:
                return name
        return name

    def new_given_name(self, community, sex, generation, avoid):
        """A name for a child that is none of the names (or their variants)
        already in the family: parents do not give two children one name."""
        for _ in range(50):
            name = self.given_name(community, sex, generation)
            if not any(mistakes.same_name(name, other) for other in avoid):
                return name
        return name


class RegisterBuilder:
    def __init__(self, seed, size):
        self.rng = random.Random(f"register-{seed}")
        self.size = size
        self.identifiers = Identifiers(seed)
        self.people = []
        self.households = []
        self.held_postcode = {}
        self.names = Names(self.rng)
        self._districts()

    # --- places ---------------------------------------------------------
    def _districts(self):
        count = max(4, self.size // PEOPLE_PER_DISTRICT)
        households = self.size / 3.6 / count
        units = max(2, int(households / HOUSEHOLDS_PER_POSTCODE))
        self.districts = []
        self.postcodes_by_district = {}
        self.district_shares = {}
        for n in range(count):
            # ZA1, ZB1, ... ZP1, ZA2, ...: neighbouring districts in different areas.
            district = f"{POSTCODE_AREAS[n % len(POSTCODE_AREAS)]}{n // len(POSTCODE_AREAS) + 1}"
            inward = set()
            while len(inward) < min(units, 4000):
                inward.add(
                    f"{self.rng.randrange(10)}{self.rng.choice(INWARD_LETTERS)}"
                    f"{self.rng.choice(INWARD_LETTERS)}"
                )
            self.districts.append(district)
            self.postcodes_by_district[district] = [f"{district} {i}" for i in sorted(inward)]
            # Communities cluster: each district tilts the council-wide shares.
            self.district_shares[district] = {
                key: share * self.rng.lognormvariate(0, 0.8)
                for key, share in COMMUNITY_SHARES.items()
            }

    # --- people ---------------------------------------------------------
    def _person(self, household, role, first, last, sex, born):
        person = Person(
            id=0,  # numbered when the register is complete
            household=household.id,
            role=role,
            first_name=first,
            last_name=surname_for(last, sex, household.community),
            sex=sex,
            date_of_birth=born,
            community=household.community,
        )
        return person

    def household(self):
        rng = self.rng
        district = rng.choice(self.districts)
        community = weighted(self.district_shares[district], rng)
        household = Household(
            id=len(self.households) + 1,
            community=community,
            district=district,
            postcode=rng.choice(self.postcodes_by_district[district]),
        )
        other_community = community
        if rng.random() < MIXED_HOUSEHOLD:
            other_community = weighted(COMMUNITY_SHARES, rng)
        births = self._birth_ages()
        eldest = max(births) if births else 0
        mother_age = min(55.0, eldest + rng.uniform(18, 38))
        single = rng.random() < SINGLE_PARENT
        father_surname = self.names.surname(community, "M")
        c = COMMUNITIES[community]
        if single:
            sex = "F" if rng.random() < 0.85 else "M"
            parent_surname = self.names.surname(community, sex)
            household.adults.append(
                self._person(
                    household,
                    "adult",
                    self.names.given_name(community, sex, "adult"),
                    parent_surname,
                    sex,
                    born_years_ago(mother_age + rng.random()),
                )
            )
            mothers_name_passes = parent_surname not in WOMEN_ONLY_SURNAMES
            children_surname = (
                parent_surname if mothers_name_passes and rng.random() < 0.6 else father_surname
            )
            other_surname = None
        else:
            keeps_own = c.wife_keeps_surname or rng.random() < (
                0.45 if community == "english" else 0.2
            )
            mother_surname = (
                self.names.surname(other_community, "F") if keeps_own else father_surname
            )
            father_age = min(55.0, max(18.0, eldest + 17, mother_age + rng.gauss(2, 4)))
            household.adults.append(
                self._person(
                    household,
                    "adult",
                    self.names.given_name(other_community, "F", "adult"),
                    mother_surname,
                    "F",
                    born_years_ago(mother_age + rng.random()),
                )
            )
            household.adults.append(
                self._person(
                    household,
                    "adult",
                    self.names.given_name(community, "M", "adult"),
                    father_surname,
                    "M",
                    born_years_ago(father_age + rng.random()),
                )
            )
            children_surname = father_surname
            other_surname = mother_surname if mother_surname != father_surname else None
        if other_surname and rng.random() < DOUBLE_BARRELLED_CHILDREN:
            pair = [children_surname, other_surname]
            rng.shuffle(pair)
            children_surname = "-".join(pair)
        self._children(household, births, children_surname, other_community)
        if rng.random() < UNBORN_IN_HOUSEHOLD:
            mother = household.adults[0]
            household.children.append(
                self._person(household, "unborn", "Baby", mother.last_name, "", None)
            )
        self.households.append(household)
        return household

    def _birth_ages(self):
        """Ages of the children in years, eldest first; twins share one."""
        rng = self.rng
        count = weighted(CHILDREN_PER_HOUSEHOLD, rng)
        ages = []
        age = rng.uniform(0, 17.99)
        while len(ages) < count and age >= 0:
            draw = rng.random()
            size = 3 if draw < TRIPLET_BIRTH else 2 if draw < TWIN_BIRTH else 1
            ages.extend([age] * size)
            age -= rng.uniform(0.9, 5)
        return ages

    def _children(self, household, ages, surname, other_community):
        rng = self.rng
        names = [p.first_name for p in household.adults]
        earlier = rng.random() < CHILD_FROM_EARLIER_RELATIONSHIP and len(ages) > 1
        previous_birth = None
        for position, age in enumerate(ages):
            sex = "M" if rng.random() < 0.51 else "F"
            community = other_community if rng.random() < 0.3 else household.community
            first = self.names.new_given_name(community, sex, "child", names)
            names.append(first)
            last = surname
            if earlier and position == 0:
                last = self.names.surname(household.community, "M")
            born = born_years_ago(age)
            if previous_birth is not None and age == previous_birth[0]:
                born = previous_birth[1]
            child = self._person(household, "child", first, last, sex, born)
            if previous_birth is not None and age == previous_birth[0]:
                child.twin = True
                household.children[-1].twin = True
            previous_birth = (age, born)
            household.children.append(child)

    def _hold(self, person, household):
        """Decide what of the truth the register holds."""
        rng = self.rng
        if person.role == "unborn":
            person.held_sex = False
            person.held_parent_name = (
                household.adults[0].first_name + " " + (household.adults[0].last_name)
            )
            self.held_postcode[person.id] = household.postcode
            return
        child = person.role == "child"
        if child:
            person.true_nhs = self.identifiers.nhs()
            person.held_nhs = rng.random() < HELD_NHS_CHILD
            age = age_years(person.date_of_birth)
            if age >= 4:
                school = 1000 + self.districts.index(household.district) * 10 + rng.randrange(10)
                person.true_upn = self.identifiers.upn(
                    school, person.date_of_birth.year + 4 + (person.date_of_birth.month >= 9)
                )
                person.held_upn = rng.random() < HELD_UPN_SCHOOL_AGE
            if rng.random() < HELD_PARENT_NAME:
                parent = household.adults[0]
                person.held_parent_name = f"{parent.first_name} {parent.last_name}"
        elif rng.random() < HELD_NHS_ADULT:
            person.true_nhs = self.identifiers.nhs()
            person.held_nhs = True
        person.held_sex = rng.random() < HELD_SEX
        self.held_postcode[person.id] = household.postcode if rng.random() < HELD_POSTCODE else ""

    def build(self):
        while len(self.people) < self.size:
            household = self.household()
            for person in household.members:
                if len(self.people) >= self.size:
                    break
                person.id = len(self.people) + 1
                self.people.append(person)
                self._hold(person, household)
            household.adults = [p for p in household.adults if p.id]
            household.children = [p for p in household.children if p.id]
        return Register(
            people=self.people,
            households=self.households,
            postcodes_by_district=self.postcodes_by_district,
            held_postcode=self.held_postcode,
            identifiers=self.identifiers,
        )


def surname_for(surname, sex, community):
    if COMMUNITIES[community].gendered_surnames or "-" in surname:
        parts = [
            mistakes.feminine(p) if sex == "F" else mistakes.masculine(p)
            for p in surname.split("-")
        ]
        return "-".join(parts)
    return surname


def generate_register(seed, size):
    return RegisterBuilder(seed, size).build()
