"""Queries against a synthetic register, each knowing its truth.

- "true": a registered person, written with 0 to 3 mistakes (ERROR_KINDS,
  at most one per part of the details);
- "twin", "sibling": the unregistered brother or sister of a registered
  child: same surname, address and parents, a first name of their own, and
  for a twin the same birthday;
- "cousin": same surname, a nearby postcode, within three years of age, and
  a quarter of the time the same first name;
- "unrelated": common names, anywhere in the council, never exactly
  (name, surname, birthday) someone registered.

Hard negatives carry no mistakes: they are hard enough as they are."""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from . import mistakes
from .pools import COMMUNITY_SHARES, TWIN_NAME_PAIRS
from .register import REFERENCE_DATE, YEAR, Names, age_years, born_years_ago, surname_for, weighted

# --- queries --------------------------------------------------------------
QUERY_KINDS = {"true": 0.6, "twin": 0.1, "sibling": 0.1, "cousin": 0.1, "unrelated": 0.1}
TRUE_QUERY_CHILD = 0.75
# How many mistakes a record of a registered person carries. Most records of
# one person that disagree do so in one detail; a few in two; three is a
# record a person would struggle to recognise. HARSH is reported as well.
ERRORS_PER_TRUE_QUERY = {0: 0.35, 1: 0.45, 2: 0.15, 3: 0.05}
HARSH_ERRORS_PER_TRUE_QUERY = {0: 0.3, 1: 0.4, 2: 0.2, 3: 0.1}
# (kind, the part of the details it changes, relative weight). A query gets
# at most one mistake per part, so three mistakes touch three parts.
ERROR_KINDS = (
    ("nickname", "first", 5),
    ("first_name_spelling", "first", 3),
    ("first_name_typo", "first", 3),
    ("surname_spelling", "last", 2),
    ("surname_typo", "last", 3),
    ("surname_changed", "last", 1.5),
    ("double_barrelled", "last", 1),
    ("names_swapped", "order", 1),
    ("dob_day_month_swapped", "dob", 1.5),
    ("dob_digit_wrong", "dob", 2),
    ("dob_missing", "dob", 1),
    ("moved", "address", 2),
    ("sparse", "sparse", 1),
    # A value written wrong: matched on the rest, the value ignored (or, for
    # a postcode or date, read where it can be).
    ("nhs_number_mistyped", "identifier", 1.5),
    ("upn_mistyped", "identifier", 0.5),
    ("postcode_mistyped", "address", 1.5),
    ("dob_written_oddly", "dob", 1),
)
# The mistakes above that make a field invalid as written: recall on the
# queries carrying one is reported on its own.
BAD_FIELD_KINDS = ("nhs_number_mistyped", "upn_mistyped", "postcode_mistyped", "dob_written_oddly")
# Which details a query carries (every kind of query, before mistakes).
QUERY_SEX = 0.85
QUERY_POSTCODE = 0.9
QUERY_NHS_CHILD = 0.4
QUERY_NHS_ADULT = 0.2
QUERY_UPN_SCHOOL_AGE = 0.15
QUERY_PARENT_NAME = 0.5
TWIN_SOUNDALIKE_NAME = 0.3
COUSIN_SAME_FIRST_NAME = 0.25


@dataclass(frozen=True)
class Query:
    query_id: str
    kind: str  # "true", "twin", "sibling", "cousin" or "unrelated"
    truth: int | None  # the register id of the person, None if not registered
    related_to: int | None  # for a twin, sibling or cousin: their registered relative
    errors: tuple  # the mistakes written in (true queries)
    first_name: str = ""
    last_name: str = ""
    date_of_birth: date | None = None
    sex: str = ""
    postcode: str = ""
    nhs_number: str = ""
    upn: str = ""
    parent_name: str = ""
    date_text: str = ""  # the date of birth as written, when not YYYY-MM-DD

    def record(self):
        written = self.date_of_birth.isoformat() if self.date_of_birth else ""
        return {
            "query_id": self.query_id,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "date_of_birth": self.date_text or written,
            "sex": self.sex,
            "postcode": self.postcode,
            "nhs_number": self.nhs_number,
            "upn": self.upn,
            "parent_name": self.parent_name,
        }


class QueryBuilder:
    def __init__(self, register, seed, mistakes_mix=None):
        self.register = register
        self.mistakes_mix = mistakes_mix or ERRORS_PER_TRUE_QUERY
        self.rng = random.Random(f"queries-{seed}")
        self.names = Names(self.rng)
        self.households = {h.id: h for h in register.households}
        self.people = register.people
        self.children = [p for p in self.people if p.role == "child"]
        self.adults = [p for p in self.people if p.role == "adult"]
        # Who is registered, by name and birthday: a made-up person who is
        # exactly someone registered would make the truth unknowable.
        self.registered_names = {
            (mistakes.plain(p.first_name), mistakes.plain(p.last_name), p.date_of_birth)
            for p in self.people
        }

    # --- what a query carries ---------------------------------------------
    def _parent_name(self, household, exclude=None):
        rng = self.rng
        parents = [p for p in household.adults if p is not exclude]
        if not parents or rng.random() >= QUERY_PARENT_NAME:
            return ""
        parent = parents[0] if rng.random() < 0.7 else rng.choice(parents)
        return (
            parent.first_name if rng.random() < 0.15 else f"{parent.first_name} {parent.last_name}"
        )

    def _identifiers(self, person):
        """(NHS number, UPN) a query carries for a registered person."""
        rng = self.rng
        child = person.role == "child"
        nhs = upn = ""
        if rng.random() < (QUERY_NHS_CHILD if child else QUERY_NHS_ADULT):
            if not person.true_nhs:
                person.true_nhs = self.register.identifiers.nhs()
            nhs = person.true_nhs
        if person.true_upn and rng.random() < QUERY_UPN_SCHOOL_AGE:
            upn = person.true_upn
        return nhs, upn

    def _new_identifiers(self, born):
        """(NHS number, UPN) a query carries for a made-up person: their own."""
        rng = self.rng
        child = born is not None and age_years(born) < 18
        nhs = upn = ""
        if rng.random() < (QUERY_NHS_CHILD if child else QUERY_NHS_ADULT):
            nhs = self.register.identifiers.nhs()
        if child and age_years(born) >= 4 and rng.random() < QUERY_UPN_SCHOOL_AGE:
            upn = self.register.identifiers.upn(9000 + self.rng.randrange(999), born.year + 4)
        return nhs, upn

    def _sex(self, sex):
        return sex if self.rng.random() < QUERY_SEX else ""

    def _postcode(self, postcode):
        return postcode if self.rng.random() < QUERY_POSTCODE else ""

    # --- a registered person ----------------------------------------------
    def true_query(self, query_id):
        rng = self.rng
        person = rng.choice(self.children if rng.random() < TRUE_QUERY_CHILD else self.adults)
        household = self.households[person.household]
        nhs, upn = self._identifiers(person)
        details = {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "date_of_birth": person.date_of_birth,
            "sex": self._sex(person.sex),
            "postcode": self._postcode(household.postcode),
            "nhs_number": nhs,
            "upn": upn,
            "parent_name": self._parent_name(household) if person.role == "child" else "",
        }
        errors = self._inject(details, person, household)
        return Query(query_id, "true", person.id, None, errors, **details)

    def _inject(self, details, person, household):
        rng = self.rng
        count = weighted(self.mistakes_mix, rng)
        applied = []
        used_parts = set()
        kinds = list(ERROR_KINDS)
        while len(applied) < count and kinds:
            kind, part, _weight = rng.choices(kinds, weights=[k[2] for k in kinds])[0]
            kinds = [k for k in kinds if k[0] != kind]
            if part in used_parts:
                continue
            if self._apply(kind, details, person, household):
                applied.append(kind)
                used_parts.add(part)
        # Swapping names and leaving details out come last, after the names
        # and details themselves have been (mis)written.
        order = {kind: n for n, (kind, _part, _weight) in enumerate(ERROR_KINDS)}
        for kind in ("names_swapped", "sparse"):
            if kind in applied:
                self._finish(kind, details)
        if "sparse" in applied:
            # Left out, so no longer written wrong.
            gone = ("nhs_number_mistyped", "upn_mistyped", "postcode_mistyped")
            applied = [kind for kind in applied if kind not in gone]
        return tuple(sorted(applied, key=order.get))

    def _apply(self, kind, details, person, household):
        """Write one mistake into details; False if it cannot apply."""
        rng = self.rng
        first, last, born = details["first_name"], details["last_name"], details["date_of_birth"]
        # Sound-alike respellings are for names transliterated from another
        # alphabet; English names get only the spellings listed in pools.
        respelling = person.community != "english"
        changed = None
        if kind == "nickname":
            changed = ("first_name", mistakes.nickname(first, rng))
        elif kind == "first_name_spelling":
            changed = ("first_name", mistakes.first_name_spelling(first, rng, respelling))
        elif kind == "first_name_typo":
            changed = ("first_name", mistakes.typo(first, rng))
        elif kind == "surname_spelling":
            changed = ("last_name", mistakes.surname_spelling(last, rng, respelling))
        elif kind == "surname_typo":
            parts = last.split("-")
            index = rng.randrange(len(parts))
            slip = mistakes.typo(parts[index], rng)
            if slip:
                parts[index] = slip
                changed = ("last_name", "-".join(parts))
        elif kind == "surname_changed":
            changed = ("last_name", self._new_surname(person, household))
        elif kind == "double_barrelled":
            changed = ("last_name", self._double_barrelled(person, household))
        elif kind == "dob_day_month_swapped":
            changed = ("date_of_birth", mistakes.swap_day_and_month(born, REFERENCE_DATE))
        elif kind == "dob_digit_wrong":
            changed = ("date_of_birth", mistakes.wrong_digit(born, rng, REFERENCE_DATE))
        elif kind == "dob_missing":
            changed = ("date_of_birth", None) if born else None
            if changed:
                details["date_of_birth"] = None
                return True
        elif kind == "moved":
            changed = ("postcode", self._moved_to(household))
        elif kind == "nhs_number_mistyped":
            if not details["nhs_number"]:
                if not person.true_nhs:
                    person.true_nhs = self.register.identifiers.nhs()
                details["nhs_number"] = person.true_nhs
            changed = ("nhs_number", mistakes.mistype_nhs_number(details["nhs_number"], rng))
        elif kind == "upn_mistyped":
            upn = details["upn"] or person.true_upn
            changed = ("upn", mistakes.mistype_upn(upn, rng)) if upn else None
        elif kind == "postcode_mistyped":
            postcode = details["postcode"] or household.postcode
            changed = ("postcode", mistakes.mistype_postcode(postcode, rng))
        elif kind == "dob_written_oddly":
            changed = ("date_text", mistakes.write_date_oddly(born, rng))
        elif kind in ("names_swapped", "sparse"):
            return True  # done at the end
        if not changed or not changed[1]:
            return False
        details[changed[0]] = changed[1]
        return True

    def _finish(self, kind, details):
        if kind == "names_swapped":
            details["first_name"], details["last_name"] = (
                details["last_name"],
                details["first_name"],
            )
        else:  # sparse: a list with names and a date of birth, nothing else
            for key in ("sex", "postcode", "nhs_number", "upn", "parent_name"):
                details[key] = ""

    def _new_surname(self, person, household):
        """A new partner's surname (adults), or a step-parent's (children)."""
        others = {p.last_name for p in household.adults} - {person.last_name}
        if person.role == "child" and others and self.rng.random() < 0.5:
            return sorted(others)[0]
        for _ in range(20):
            community = "english" if self.rng.random() < 0.5 else person.community
            name = surname_for(
                self.names.surname(community, person.sex), person.sex, person.community
            )
            if mistakes.plain(name) != mistakes.plain(person.last_name):
                return name
        return None

    def _double_barrelled(self, person, household):
        parts = person.last_name.split("-")
        if len(parts) > 1:
            return self.rng.choice(parts)  # one half of a double-barrelled name
        others = sorted({p.last_name for p in household.adults} - {person.last_name})
        other = others[0] if others else self.names.surname(person.community, person.sex)
        if mistakes.plain(other) == mistakes.plain(person.last_name):
            return None
        pair = [person.last_name, other]
        self.rng.shuffle(pair)
        return "-".join(pair)

    def _moved_to(self, household):
        """A new postcode: half the time in the same district."""
        rng = self.rng
        district = household.district
        if rng.random() < 0.5:
            district = rng.choice(list(self.register.postcodes_by_district))
        options = [
            p for p in self.register.postcodes_by_district[district] if p != household.postcode
        ]
        return rng.choice(options) if options else None

    # --- someone not in the register --------------------------------------
    def _registered(self, first, last, born):
        return (mistakes.plain(first), mistakes.plain(last), born) in self.registered_names

    def relative_query(self, query_id, kind):
        """The unregistered twin, sibling or cousin of a registered child."""
        rng = self.rng
        for _ in range(100):
            relative = rng.choice(self.children)
            household = self.households[relative.household]
            made = getattr(self, f"_{kind}")(relative, household)
            if made and not self._registered(made["first_name"], made["last_name"], made["born"]):
                break
        born = made.pop("born")
        nhs, upn = self._new_identifiers(born)
        return Query(
            query_id,
            kind,
            None,
            relative.id,
            (),
            date_of_birth=born,
            sex=self._sex(made.pop("sex")),
            nhs_number=nhs,
            upn=upn,
            **made,
        )

    def _sibling_name(self, relative, household, sex, soundalike):
        if soundalike:
            for pair in TWIN_NAME_PAIRS:
                if relative.first_name in pair:
                    return [n for n in pair if n != relative.first_name][0]
        names = [p.first_name for p in household.members]
        return self.names.new_given_name(relative.community, sex, "child", names)

    def _twin(self, relative, household):
        return self._brother_or_sister(relative, household, relative.date_of_birth, twin=True)

    def _sibling(self, relative, household):
        rng = self.rng
        for _ in range(20):
            gap = rng.uniform(1, 6) * rng.choice((-1, 1))
            born = relative.date_of_birth + timedelta(days=int(gap * YEAR))
            if 0 <= age_years(born) < 18:
                return self._brother_or_sister(relative, household, born, twin=False)
        return None

    def _brother_or_sister(self, relative, household, born, twin):
        rng = self.rng
        sex = "M" if rng.random() < 0.5 else "F"
        soundalike = twin and rng.random() < TWIN_SOUNDALIKE_NAME
        first = self._sibling_name(relative, household, sex, soundalike)
        held_postcode = self.register.held_postcode[relative.id] or household.postcode
        return {
            "first_name": first,
            "last_name": surname_for(relative.last_name, sex, relative.community),
            "born": born,
            "sex": sex,
            "postcode": self._postcode(held_postcode),
            "parent_name": self._parent_name(household),
        }

    def _cousin(self, relative, household):
        rng = self.rng
        if rng.random() < COUSIN_SAME_FIRST_NAME:
            sex, first = relative.sex, relative.first_name
        else:
            sex = "M" if rng.random() < 0.5 else "F"
            first = self.names.new_given_name(
                relative.community, sex, "child", [relative.first_name]
            )
        for _ in range(20):
            gap = rng.uniform(30 / YEAR, 3) * rng.choice((-1, 1))
            born = relative.date_of_birth + timedelta(days=int(gap * YEAR))
            if 0 <= age_years(born) < 18:
                break
        else:
            return None
        nearby = [
            p
            for p in self.register.postcodes_by_district[household.district]
            if p != household.postcode
        ]
        uncle = self.names.given_name(relative.community, rng.choice("MF"), "adult")
        surname = surname_for(relative.last_name, sex, relative.community)
        return {
            "first_name": first,
            "last_name": surname,
            "born": born,
            "sex": sex,
            "postcode": self._postcode(rng.choice(nearby) if nearby else household.postcode),
            "parent_name": f"{uncle} {surname}" if rng.random() < QUERY_PARENT_NAME else "",
        }

    def unrelated_query(self, query_id):
        """Someone with common names who is not registered."""
        rng = self.rng
        b = self.names
        while True:
            community = weighted(COMMUNITY_SHARES, rng)
            sex = "M" if rng.random() < 0.5 else "F"
            child = rng.random() < 0.7
            first = b.given_name(community, sex, "child" if child else "adult")
            last = surname_for(b.surname(community, sex), sex, community)
            born = born_years_ago(rng.uniform(0, 17.99) if child else rng.uniform(18, 55))
            if not self._registered(first, last, born):
                break
        district = rng.choice(list(self.register.postcodes_by_district))
        nhs, upn = self._new_identifiers(born)
        parent = ""
        if child and rng.random() < QUERY_PARENT_NAME:
            mother = b.given_name(community, "F", "adult")
            parent = f"{mother} {surname_for(last, 'F', community)}"
        return Query(
            query_id,
            "unrelated",
            None,
            None,
            (),
            first_name=first,
            last_name=last,
            date_of_birth=born,
            sex=self._sex(sex),
            postcode=self._postcode(rng.choice(self.register.postcodes_by_district[district])),
            nhs_number=nhs,
            upn=upn,
            parent_name=parent,
        )

    def build(self, count):
        queries = []
        for n in range(1, count + 1):
            query_id = f"Q{n:06d}"
            kind = weighted(QUERY_KINDS, self.rng)
            if kind == "true":
                queries.append(self.true_query(query_id))
            elif kind == "unrelated":
                queries.append(self.unrelated_query(query_id))
            else:
                queries.append(self.relative_query(query_id, kind))
        return queries


def generate_queries(register, seed, count, mistakes_mix=None):
    """mistakes_mix: {number of mistakes: share} for registered people's
    queries (ERRORS_PER_TRUE_QUERY unless given)."""
    return QueryBuilder(register, seed, mistakes_mix).build(count)
