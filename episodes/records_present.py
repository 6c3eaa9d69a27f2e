"""Which kinds of record a case has, asked in one query before the case page
reads them.

The case page reads each kind of record its sections and chronology show
(meetings, reviews, notes, plans, consents... and the lead changes, police
notifications, quality audits and advice its chronology adds) with a query
of its own, and most cases have only some kinds: a new case has a consent or
two, a year's case rarely a panel decision or a police notification. One
query asks which kinds have any row; the page reads only those and takes the
rest as none, with no query (`read_present`, `absent`).

Each kind is read by the case's own index, and names the case's council, as
every query on case data does (tests/council_queries.py)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING

from django.apps import apps
from django.db import connection
from django.db.models import Prefetch, prefetch_related_objects

if TYPE_CHECKING:
    from .models import Episode

# The case page's records read onto the case (chronology.case_page_records),
# by their name on the case, and the rest its chronology reads: each kind's
# model, by the case's foreign key `episode`.
KINDS = {
    "meetings": "meetings.Meeting",
    "reviews": "reviews.Review",
    "case_notes": "notes.CaseNote",
    "referrals": "referrals.Referral",
    "consents": "consent.Consent",
    "sharing_overrides": "consent.SharingOverride",
    "plans": "plans.Plan",
    "refusal_judgements": "consent.RefusalJudgement",
    "panel_agenda_items": "panels.AgendaItem",
    "lead_changes": "episodes.LeadChange",
    "police_notifications": "police.PoliceNotification",
    "quality_audits": "quality.CaseAudit",
}
# Advice is about a person, not a case: any given about someone in the family.
ADVICE = "advice"


# The tables' names are the models' own; every value is a parameter.
def _exists(model_label: str) -> str:
    table = apps.get_model(model_label)._meta.db_table
    return (
        f'EXISTS (SELECT 1 FROM "{table}" WHERE "{table}"."local_authority_id" = %s'  # noqa: S608
        f' AND "{table}"."episode_id" = %s)'
    )


@cache
def _query() -> str:
    advice = apps.get_model("advice.AdviceContact")._meta.db_table
    member = apps.get_model("people.FamilyMember")._meta.db_table
    advice_exists = (
        f'EXISTS (SELECT 1 FROM "{advice}" INNER JOIN "{member}"'  # noqa: S608
        f' ON ("{member}"."person_id" = "{advice}"."person_id"'
        f' AND "{member}"."local_authority_id" = %s)'
        f' WHERE "{advice}"."local_authority_id" = %s AND "{member}"."family_id" = %s)'
    )
    return "SELECT " + ", ".join([*(_exists(label) for label in KINDS.values()), advice_exists])


def present(episode: Episode) -> frozenset[str]:
    """The kinds (KINDS' names, and ADVICE) of which the case has any record."""
    council = episode.local_authority_id
    params: list[int] = []
    for _kind in KINDS:
        params += [council, episode.pk]
    params += [council, council, episode.family_id]
    with connection.cursor() as cursor:
        cursor.execute(_query(), params)
        row = cursor.fetchone()
    return frozenset(name for name, found in zip([*KINDS, ADVICE], row, strict=True) if found)


def remember_present(episode: Episode) -> frozenset[str]:
    """The kinds the case has (`present`), remembered on it so `absent`
    tells the chronology which it need not read."""
    found = present(episode)
    vars(episode)["_kinds_absent"] = frozenset([*KINDS, ADVICE]) - found
    return found


def read_present(episode: Episode, prefetches: Iterable[Prefetch]) -> None:
    """`prefetches` onto the case, as prefetch_related_objects reads them,
    except the kinds it has none of: those are taken as none without a
    query, and remembered, so `absent` tells the chronology."""
    found = remember_present(episode)
    wanted = []
    for prefetch in prefetches:
        name = prefetch.prefetch_to
        if name in KINDS and name not in found:
            # What prefetching would have left: the case's records of this kind, none.
            cache = vars(episode).setdefault("_prefetched_objects_cache", {})
            cache[name] = getattr(episode, name).none()
        else:
            wanted.append(prefetch)
    prefetch_related_objects([episode], *wanted)


def absent(episode: Episode, kind: str) -> bool:
    """Whether the page found the case has no record of `kind` (False when it
    did not ask: then the records are read)."""
    return kind in vars(episode).get("_kinds_absent", ())
