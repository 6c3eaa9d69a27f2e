"""A fixed synthetic world for Ofsted's Annex A List 2, as of 31 March 2026:
the six months run from 30 September 2025 (31 September does not exist) to
31 March 2026. Every name, date and organisation is invented.

Case by case, what List 2 must say (worked by hand, tests/returns/test_annex_a.py):

- "in window": assessed 1 Oct 2025, completed 15 Nov 2025 for Testshire
  Primary, closed 10 Jan 2026. Two children: a boy born 1 Apr 2016 (9 on 31
  March 2026, his birthday is the next day), WBRI; and a girl whose date of
  birth and ethnicity are restricted (the manager is named on both): blank,
  blank age, "s) NOBT".
- "first day": completed on 30 Sep 2025, the window's first day, by an
  officer of the council itself (no organisation): in, organisation
  "Testshire Council". Child: sex not recorded, ethnicity not obtained.
- "day before": completed 29 Sep 2025 and closed that day: out.
- "current": assessed Jan 2024 and completed Feb 2024, the case still open
  (its plan): in, as current early help.
- "abandoned": started Mar 2025, never completed, closed 1 Aug 2025: out.
- "in progress": started 20 Mar 2026 by a clinic's practitioner, not complete:
  organisation "Testshire Clinic"; an unborn child (expected June 2026) and
  a sister born 29 Feb 2020 (6), sex indeterminate, ethnicity refused.
- "completed later": started 1 Mar 2026, completed 5 Apr 2026 (after the
  as-of date): in, completion blank, organisation the starter's (Testshire
  Primary), not the later completer's.
- "after": started 1 Apr 2026: out.
- another council's case in the window: out.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from accounts.models import Role
from assessments.models import Assessment
from core.codes import Ethnicity, Gender
from episodes.models import ClosureReason, Status
from people.models import Restriction
from tests.factories import EpisodeFactory, OrganisationFactory, PersonFactory, UserFactory

AS_OF = datetime.date(2026, 3, 31)


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


def d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


@dataclass
class World:
    boy: object
    restricted_girl: object
    first_day_child: object
    current_child: object
    unborn: object
    sister: object
    later_child: object
    excluded: list


def _case(la, children, *, started, completed=None, closed=None, by, org=None, **extra):
    episode = EpisodeFactory(local_authority=la, child=children[0], **extra)
    for other in children[1:]:
        episode.child_links.create(person=other)
    if closed:
        episode.status = Status.CLOSED
        episode.closure_reason = ClosureReason.NEEDS_MET
        episode.closed_at = at(closed)
    else:
        episode.status = Status.PLAN
    episode.save()
    Assessment.objects.create(
        episode=episode,
        started_by=by,
        updated_by=by,
        started_at=at(started),
        completed_at=at(completed) if completed else None,
        completed_by=by if completed else None,
        completed_by_organisation=org if completed else None,
    )
    return episode


def build(la, other_la, manager, involved, school):
    clinic = OrganisationFactory(local_authority=la, name="Testshire Clinic", type="health")
    nurse = UserFactory(local_authority=la, organisation=clinic, roles=[Role.PRACTITIONER])
    officer = UserFactory(local_authority=la, roles=[Role.EARLY_HELP_OFFICER])

    def child(**values):
        return PersonFactory(local_authority=la, **values)

    boy = child(date_of_birth=d("2016-04-01"), sex=Gender.MALE, ethnicity=Ethnicity.WBRI)
    girl = child(date_of_birth=d("2014-07-09"), sex=Gender.FEMALE, ethnicity=Ethnicity.AIND)
    for field in ("date_of_birth", "ethnicity"):
        Restriction.objects.create(
            person=girl,
            field=field,
            reason="Synthetic: fleeing domestic abuse",
            visible_to_roles=[Role.EARLY_HELP_MANAGER],
            created_by=manager,
        )
    _case(
        la,
        [boy, girl],
        started=d("2025-10-01"),
        completed=d("2025-11-15"),
        closed=d("2026-01-10"),
        by=involved,
        org=school,
    )

    first_day_child = child(date_of_birth=d("2012-12-25"))  # sex 0, ethnicity NOBT
    _case(
        la,
        [first_day_child],
        started=d("2025-06-01"),
        completed=d("2025-09-30"),
        closed=d("2025-10-05"),
        by=officer,
    )

    day_before = child(date_of_birth=d("2013-01-01"))
    _case(
        la,
        [day_before],
        started=d("2025-06-01"),
        completed=d("2025-09-29"),
        closed=d("2025-09-29"),
        by=involved,
        org=school,
    )

    current_child = child(date_of_birth=d("2018-03-31"), sex=Gender.FEMALE, ethnicity="BAFR")
    _case(
        la,
        [current_child],
        started=d("2024-01-10"),
        completed=d("2024-02-01"),
        by=involved,
        org=school,
    )

    abandoned = child(date_of_birth=d("2015-01-01"))
    _case(la, [abandoned], started=d("2025-03-01"), closed=d("2025-08-01"), by=involved)

    unborn = child(date_of_birth=None, expected_date_of_birth=d("2026-06-01"))
    sister = child(date_of_birth=d("2020-02-29"), sex=Gender.INDETERMINATE, ethnicity="REFU")
    _case(la, [unborn, sister], started=d("2026-03-20"), by=nurse)

    later_child = child(date_of_birth=d("2010-10-10"), sex=Gender.MALE, ethnicity="CHNE")
    _case(
        la,
        [later_child],
        started=d("2026-03-01"),
        completed=d("2026-04-05"),
        by=involved,
        org=clinic,
    )

    after = child(date_of_birth=d("2011-11-11"))
    _case(la, [after], started=d("2026-04-01"), by=involved)

    elsewhere_user = UserFactory(local_authority=other_la, roles=[Role.PRACTITIONER])
    elsewhere = PersonFactory(local_authority=other_la, date_of_birth=d("2016-01-01"))
    _case(other_la, [elsewhere], started=d("2025-12-01"), by=elsewhere_user)

    return World(
        boy=boy,
        restricted_girl=girl,
        first_day_child=first_day_child,
        current_child=current_child,
        unborn=unborn,
        sister=sister,
        later_child=later_child,
        excluded=[day_before, abandoned, after, elsewhere],
    )
