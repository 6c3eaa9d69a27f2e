"""Is this person already known? Run before anyone records a person, so a
family is not assessed twice (seed 000: EHOs "advise if the child or family
is already open"). The matching engine (matching.engine) finds and scores
the candidates; what the searcher may see of each is decided by core.policy.

Need-to-know: a match the searcher may not see says only that a record exists
and whom to ask (the district's Early Help Officer), never names or history,
and only when the match is strong.
"""

from dataclasses import dataclass

from core import policy
from core.validators import normalise_nhs_number
from matching.details import Details
from matching.engine import THRESHOLD, find_matches

from . import restrictions
from .models import Person

MAX_RESULTS = 20
# Weaker matches are still worth a look for someone about to record a person;
# they are labelled as possible, not likely.
SHOW_FROM = 0.2


@dataclass
class Match:
    person: Person | None  # None when the searcher may not see the record
    score: float
    reason: str = ""  # only for a visible record: why it may be the same person
    contact: str = ""  # whom to ask when the record is hidden

    @property
    def visible(self):
        return self.person is not None

    @property
    def likely(self):
        return self.score >= THRESHOLD

    @property
    def percent(self):
        return round(self.score * 100)


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


def _clean_nhs_number(value):
    try:
        return normalise_nhs_number(value) if value else ""
    except Exception:  # noqa: BLE001  (a mistyped number simply doesn't match)
        return ""


def search_people(
    user,
    *,
    first_name="",
    last_name="",
    date_of_birth=None,
    nhs_number="",
    postcode="",
    sex="",
    upn="",
    parent_name="",
):
    """Possible existing records for the details typed, best first."""
    if not user.is_authenticated or user.local_authority_id is None:
        return []
    details = Details(
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        date_of_birth=date_of_birth,
        nhs_number=_clean_nhs_number(nhs_number),
        postcode=postcode,
        sex=sex,
        upn=upn,
        parent_name=parent_name,
    )
    candidates = find_matches(
        user.local_authority_id, details, limit=MAX_RESULTS, threshold=SHOW_FROM
    )
    people = Person.objects.prefetch_related("restrictions").in_bulk(
        [c.person_id for c in candidates]
    )
    visible_ids = set(
        policy.people_visible_to(user).filter(pk__in=list(people)).values_list("pk", flat=True)
    )
    matches = []
    for candidate in candidates:
        person = people.get(candidate.person_id)
        if person is None or person.merged_into_id:
            continue
        if person.pk in visible_ids:
            # Restricted parts never appear in search results, whoever searches.
            matches.append(
                Match(
                    person=restrictions.for_search(person),
                    score=candidate.score,
                    reason=candidate.reason,
                )
            )
        elif candidate.score >= THRESHOLD:
            matches.append(Match(person=None, score=candidate.score, contact=_contact_for(person)))
    return matches
