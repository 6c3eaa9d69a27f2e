"""A small council with known dates, for figures worked out by hand
(tests/reporting/test_figures.py). Synthetic throughout.

The period is 1 April 2025 to 31 March 2026. Districts North, South, East;
organisations: a school, a GP surgery, housing, children's social care.

North, school, 12 professional requests on 1 May 2025 (one family, F1, had a
case closed on 1 Feb 2025: a re-request). All 12 consented on 5 May;
10 assessments completed 10, 20, ... 100 days after the request; 8 of those
plans agreed 14 days after completion (the first 8), each with a meeting held
the day before (and one cancelled meeting); 3 of the planned cases closed on
10 January 2026 (needs met), their need (attendance: education) achieved.
Reviews (8-week interval): the 8 planned cases each reviewed once, 6 on time
and 2 late; 3 of them reviewed again, late.
North, GP, 3 parent requests on 1 July 2025, nothing more.
South, school, 6 professional requests on 1 Sept 2025, consented on 3 Sept;
one closed on 1 Dec 2025 (disengaged).
South, housing, 2 young person's requests on 1 Oct 2025; one stepped up on
1 Nov 2025, accepted (closed) on 2 Nov 2025.
East, social care, 1 step-down request on 10 April 2025.
Advice: 6 calls in North from the school, 1 in South with no organisation.
Police: 2 notifications in North.
Families' feedback: 15 answers to "I felt listened to" on the 8 planned
cases (North, school) on 1 March 2026, 10 agreeing (4 or 5) and 5 not (1 to
3); one more left that question empty, one more came before the period.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from accounts.models import OrganisationType, Role
from advice.models import AdviceContact
from episodes.models import Episode, EpisodeNeed
from families.models import Feedback
from meetings.models import Meeting
from plans.models import Plan
from police.models import PoliceNotification
from referrals.models import Kind, Referral, ReferralStatus
from reviews.models import Review
from tests.factories import (
    DistrictFactory,
    FamilyFactory,
    LocalAuthorityFactory,
    OrganisationFactory,
    UserFactory,
)

START = date(2025, 4, 1)
END = date(2026, 3, 31)


def at(day):
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


class World:
    def __init__(self):
        self.la = LocalAuthorityFactory(slug="figureshire", name="Figureshire Council")
        la = self.la
        self.worker = UserFactory(local_authority=la, roles=[Role.PRACTITIONER])
        self.manager = UserFactory(
            local_authority=la, email="reports@figures.example", roles=[Role.EARLY_HELP_MANAGER]
        )
        self.north = DistrictFactory(local_authority=la, name="North")
        self.south = DistrictFactory(local_authority=la, name="South")
        self.east = DistrictFactory(local_authority=la, name="East")
        self.school = OrganisationFactory(local_authority=la, name="Synthetic Primary")
        self.gp = OrganisationFactory(
            local_authority=la, name="Synthetic Surgery", type=OrganisationType.GP_PRACTICE
        )
        self.housing = OrganisationFactory(
            local_authority=la, name="Synthetic Homes", type=OrganisationType.HOUSING
        )
        self.csc = OrganisationFactory(
            local_authority=la,
            name="Synthetic Social Care",
            type=OrganisationType.CHILDRENS_SOCIAL_CARE,
        )
        self._build()

    def case(self, district, organisation, source, requested, family=None, **dates):
        episode = Episode.objects.create(
            local_authority=self.la,
            district=district,
            family=family or FamilyFactory(local_authority=self.la),
            source=source,
            requested_by=self.worker,
            requesting_organisation=organisation,
            requested_at=at(requested),
            **{name: at(day) if isinstance(day, date) else day for name, day in dates.items()},
        )
        return episode

    def _build(self):
        self.planned = []
        f1 = FamilyFactory(local_authority=self.la)
        self.case(
            self.north,
            self.school,
            "professional",
            date(2024, 10, 1),
            family=f1,
            consent_given_at=date(2024, 10, 2),
            status="closed",
            closure_reason="needs_met",
            closed_at=date(2025, 2, 1),
        )
        requested = date(2025, 5, 1)
        for i in range(12):
            dates = {"consent_given_at": date(2025, 5, 5), "status": "assessment"}
            if i < 10:
                completed = requested + timedelta(days=10 * (i + 1))
                dates.update(assessment_completed_at=completed, status="meeting")
            if i < 8:
                dates.update(plan_agreed_at=completed + timedelta(days=14), status="plan")
            if i < 3:
                dates.update(
                    status="closed", closure_reason="needs_met", closed_at=date(2026, 1, 10)
                )
            episode = self.case(
                self.north,
                self.school,
                "professional",
                requested,
                family=f1 if i == 11 else None,
                **dates,
            )
            EpisodeNeed.objects.create(
                episode=episode, need="attendance", outcome="achieved" if i < 3 else ""
            )
            if i < 8:
                self._planned(episode, completed, i)
        for _i in range(3):
            episode = self.case(self.north, self.gp, "parent", date(2025, 7, 1))
            EpisodeNeed.objects.create(episode=episode, need="housing")
        for i in range(6):
            dates = {"consent_given_at": date(2025, 9, 3), "status": "assessment"}
            if i == 0:
                dates.update(
                    status="closed", closure_reason="disengaged", closed_at=date(2025, 12, 1)
                )
            self.case(self.south, self.school, "professional", date(2025, 9, 1), **dates)
        stepped = self.case(
            self.south,
            self.housing,
            "young_person",
            date(2025, 10, 1),
            status="closed",
            closure_reason="stepped_up",
            stepped_up_at=date(2025, 11, 1),
            closed_at=date(2025, 11, 2),
        )
        Referral.objects.create(
            episode=stepped,
            kind=Kind.STEP_UP,
            concern="Synthetic concern.",
            status=ReferralStatus.ACCEPTED,
            sent_by=self.worker,
            sent_at=at(date(2025, 11, 1)),
            decided_at=at(date(2025, 11, 2)),
        )
        self.case(self.south, self.housing, "young_person", date(2025, 10, 1))
        self.case(self.east, self.csc, "step_down", date(2025, 4, 10))
        for _i in range(6):
            AdviceContact.objects.create(
                local_authority=self.la,
                district=self.north,
                received_on=date(2025, 6, 2),
                channel="phone",
                caller_name="A synthetic caller",
                caller_organisation=self.school,
                worry="Synthetic worry.",
                known="not_checked",
                advice="universal",
                recorded_by=self.manager,
            )
        AdviceContact.objects.create(
            local_authority=self.la,
            district=self.south,
            received_on=date(2025, 6, 3),
            channel="email",
            caller_name="Another synthetic caller",
            caller_organisation_name="Somewhere else",
            worry="Synthetic worry.",
            known="not_checked",
            advice="universal",
            recorded_by=self.manager,
        )
        listened = [5, 5, 4, 4, 5, 4, 5, 4, 5, 4, 1, 2, 3, 3, 2]
        for n, answer in enumerate([*listened, None, 5]):
            Feedback.objects.create(
                episode=self.planned[n % len(self.planned)],
                moment="review",
                version="adult",
                listened=answer,
                better=3,
                comments="Synthetic feedback words.",
                on_paper=True,
                received_at=at(date(2026, 3, 1) if n < 16 else date(2025, 3, 1)),
            )
        for n in range(2):
            PoliceNotification.objects.create(
                local_authority=self.la,
                police_reference=f"SYN-{n}",
                incident_at=at(date(2025, 8, 1)),
                kind="domestic_abuse",
                circumstances="Synthetic.",
                district=self.north,
                acknowledge_by=at(date(2025, 8, 2)),
            )

    def _planned(self, episode, completed, i):
        self.planned.append(episode)
        agreed = completed + timedelta(days=14)
        Meeting.objects.create(
            episode=episode,
            starts_at=at(agreed - timedelta(days=1)),
            location="Synthetic room",
            held=True,
            arranged_by=self.worker,
        )
        if i == 0:
            Meeting.objects.create(
                episode=episode,
                starts_at=at(agreed + timedelta(days=30)),
                location="Synthetic room",
                arranged_by=self.worker,
                cancelled_at=at(agreed + timedelta(days=20)),
            )
        plan = Plan.objects.create(
            episode=episode, number=1, agreed_at=at(agreed), agreed_by=self.worker
        )
        # Reviews are due 8 weeks (56 days) after the plan, then after each review.
        first = agreed + timedelta(days=50 if i < 6 else 60)
        Review.objects.create(
            episode=episode,
            plan=plan,
            held_on=first,
            family_views="Synthetic.",
            engagement="engaged",
            decision="continue",
            recorded_by=self.worker,
        )
        if i < 3:
            Review.objects.create(
                episode=episode,
                plan=plan,
                held_on=first + timedelta(days=70),
                family_views="Synthetic.",
                engagement="engaged",
                decision="continue",
                recorded_by=self.worker,
            )
