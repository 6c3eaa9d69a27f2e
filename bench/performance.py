"""How long a large council's performance indicators take (performance/).

Uses the council-scale database of `bench.council` (60,000 cases over five
years for 300,000 people); it adds what that generator leaves out and the
indicators read: one plan per case that reached a plan, and its reviews, one
every review interval (some days early or late, some missed) up to the case's
last review. Then it times the four indicators' counts (all 12 months, every
district and organisation type) and the managers' page through Django's test
client (the whole request: middleware, policy, queries, template, charts):
worked out for the page, as when the hourly job has not run, then the job's
work (performance/figures.py), then the page from the figures it kept.

    .venv/bin/python -m bench.council --database-url postgres://postgres@127.0.0.1:5432/h_perf
    .venv/bin/python bench/performance.py --database-url postgres://postgres@127.0.0.1:5432/h_perf
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import council  # noqa: E402

PLANS = """
INSERT INTO plans_plan
    (episode_id, local_authority_id, number, agreed_at, agreed_by_id, change_summary,
     edit_version, family_content)
SELECT e.id, e.local_authority_id, 1, e.plan_agreed_at, e.requested_by_id, '', 1, ''
FROM episodes_episode e
WHERE e.plan_agreed_at IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM plans_plan p WHERE p.episode_id = e.id)
"""
# A review every interval after the plan, up to the last review: one in six
# a week late, one in twelve missed (never held), the rest a few days early.
REVIEWS = """
INSERT INTO reviews_review
    (episode_id, local_authority_id, plan_id, held_on, family_views, child_views,
     engagement, decision, notes, recorded_by_id, recorded_at)
SELECT e.id, e.local_authority_id, p.id, s.held_on, 'Synthetic.', '', 'fully', 'continue', '',
       e.requested_by_id, s.held_on
FROM episodes_episode e
JOIN plans_plan p ON p.episode_id = e.id AND p.number = 1
JOIN accounts_localauthority la ON la.id = e.local_authority_id
CROSS JOIN LATERAL (
    SELECT (e.plan_agreed_at::date + (n * 7 * la.review_interval_weeks
            + CASE WHEN (e.id + n) % 6 = 0 THEN 7 ELSE -((e.id + n) % 4) END)::integer)
           AS held_on, n
    FROM generate_series(1, 40) AS n
) s
WHERE e.last_reviewed_at IS NOT NULL
  AND s.held_on <= e.last_reviewed_at::date
  AND (e.id + s.n) % 12 <> 0
  AND NOT EXISTS (SELECT 1 FROM reviews_review r WHERE r.episode_id = e.id)
"""


def seed_reviews():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(PLANS)
        plans = cursor.rowcount
        cursor.execute(REVIEWS)
        reviews = cursor.rowcount
        cursor.execute("ANALYZE plans_plan; ANALYZE reviews_review; ANALYZE episodes_episode")
    return plans, reviews


def timed(function, repeat):
    samples = []
    for _n in range(repeat):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), max(samples)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=council.DEFAULT_URL)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    council.setup(args.database_url, settings="earlyhelp.settings")

    from django.conf import settings
    from django.test import Client
    from django.test.utils import override_settings

    from accounts.models import LocalAuthority, Role, User
    from core import councils
    from episodes.models import Episode
    from performance import figures
    from performance.indicators import INDICATORS, Window, compute
    from performance.models import Figures
    from performance.services import targets_for
    from reviews.models import Review
    from tests.two_factor import sign_in_verified

    plans, reviews = seed_reviews()
    la = LocalAuthority.objects.order_by("pk").first()
    print(
        f"{Episode.objects.filter(local_authority=la).count()} cases, "
        f"{Review.objects.filter(local_authority=la).count()} reviews "
        f"({plans} plans and {reviews} reviews added now)"
    )
    window = Window.of(la)
    targets = targets_for(la)
    print("| what | median ms | slowest ms |\n| --- | --- | --- |")
    total = 0.0
    for indicator in INDICATORS:
        median, worst = timed(lambda i=indicator: compute(i, window, targets), args.repeat)
        total += median
        print(f"| {indicator.key} | {median:.0f} | {worst:.0f} |")
    print(f"| all four | {total:.0f} | |")
    manager = User.objects.filter(local_authority=la, roles__role=Role.EARLY_HELP_MANAGER).first()
    if manager is None:
        manager = User.objects.create(
            email=f"perf-manager@{council.EMAIL_DOMAIN}",
            full_name="Bench Manager",
            local_authority=la,
        )
        manager.grant(Role.EARLY_HELP_MANAGER)
    static = "django.contrib.staticfiles.storage.StaticFilesStorage"  # no manifest needed
    with override_settings(
        ALLOWED_HOSTS=["testserver"],
        SECURE_SSL_REDIRECT=False,
        STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": static}},
    ):
        client = sign_in_verified(Client(), manager)
        # Worked out for the page (no figures kept: the job has not run).
        Figures.objects.filter(local_authority=la).delete()
        assert client.get("/performance/").status_code == 200
        median, worst = timed(lambda: client.get("/performance/"), args.repeat)
        print(f"| the managers' page, worked out for it | {median:.0f} | {worst:.0f} |")
        with councils.scope(la.pk):
            median, worst = timed(lambda: figures.refresh(la), args.repeat)
        print(f"| the hourly job's work for the council | {median:.0f} | {worst:.0f} |")
        assert client.get("/performance/").status_code == 200
        median, worst = timed(lambda: client.get("/performance/"), args.repeat)
        print(f"| the managers' page, from the kept figures | {median:.0f} | {worst:.0f} |")


if __name__ == "__main__":
    main()
