"""Is this person already known? An exact and near search run before anyone
creates a person, so a family is not assessed twice (seed 000: EHOs "advise if
the child or family is already open"). The full matching engine replaces the
near rules later; what a searcher may see stays decided by core.policy.

Need-to-know: a match the searcher may not see says only that a record exists
and whom to ask (the district's Early Help Officer), never names or history.
"""

import unicodedata
from dataclasses import dataclass

from django.db.models import Q

from core import policy
from core.validators import normalise_nhs_number

from .models import Person

MAX_RESULTS = 20


def fold(text):
    """Lower case without accents, for comparing names typed different ways."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


@dataclass
class Match:
    person: Person | None  # None when the searcher may not see the record
    exact: bool
    contact: str = ""  # whom to ask when the record is hidden

    @property
    def visible(self):
        return self.person is not None


def _candidates(local_authority, first_name, last_name, date_of_birth, nhs_number):
    rules = Q(pk__in=[])
    if first_name and last_name:
        rules |= Q(first_name__iexact=first_name, last_name__iexact=last_name)
    if date_of_birth:
        near_name = Q(pk__in=[])
        if last_name:
            near_name |= Q(last_name__istartswith=last_name[:3])
        if first_name:
            near_name |= Q(first_name__istartswith=first_name[:2])
        rules |= Q(date_of_birth=date_of_birth) & near_name
        rules |= Q(expected_date_of_birth=date_of_birth) & near_name
    if nhs_number:
        rules |= Q(nhs_number=nhs_number)
    return Person.objects.filter(local_authority=local_authority).filter(rules)


def _is_exact(person, first_name, last_name, date_of_birth, nhs_number):
    if nhs_number and person.nhs_number == nhs_number:
        return True
    same_name = fold(person.first_name) == fold(first_name) and fold(person.last_name) == fold(
        last_name
    )
    return same_name and (date_of_birth is None or person.date_of_birth == date_of_birth)


def _contact_for(person):
    """The named EHO of the district of the person's latest episode, if any."""
    episode = (
        person.family_memberships.filter(family__episodes__isnull=False)
        .values(
            "family__episodes__district__early_help_officer__full_name",
            "family__episodes__district__name",
        )
        .order_by("-family__episodes__requested_at")
        .first()
    )
    if episode and episode["family__episodes__district__early_help_officer__full_name"]:
        return (
            f"{episode['family__episodes__district__early_help_officer__full_name']}, "
            f"Early Help Officer for {episode['family__episodes__district__name']}"
        )
    return "the early help front door"


def search_people(user, *, first_name="", last_name="", date_of_birth=None, nhs_number=""):
    """Possible existing records for the details typed, exact matches first."""
    if not user.is_authenticated or user.local_authority_id is None:
        return []
    try:
        nhs_number = normalise_nhs_number(nhs_number) if nhs_number else ""
    except Exception:  # noqa: BLE001  (a mistyped number simply doesn't match)
        nhs_number = ""
    candidates = list(
        _candidates(
            user.local_authority_id,
            first_name.strip(),
            last_name.strip(),
            date_of_birth,
            nhs_number,
        )[: MAX_RESULTS * 2]
    )
    visible_ids = set(
        policy.people_visible_to(user)
        .filter(pk__in=[p.pk for p in candidates])
        .values_list("pk", flat=True)
    )
    matches = []
    for person in candidates:
        exact = _is_exact(person, first_name, last_name, date_of_birth, nhs_number)
        if person.pk in visible_ids:
            matches.append(Match(person=person, exact=exact))
        else:
            matches.append(Match(person=None, exact=exact, contact=_contact_for(person)))
    matches.sort(key=lambda m: not m.exact)
    return matches[:MAX_RESULTS]
