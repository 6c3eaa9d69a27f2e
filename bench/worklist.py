"""How fast an Early Help Officer's worklist answers with 300 open cases and
1,000 open alerts, and how long the daily drift evaluation takes for them.

Seeds one district of 300 open cases (bench/case_lists.py's seed), runs the
evaluation once (timed), then adds alerts until there are ALERTS open (plan
actions past their date, a few a case) and times, through Django's test
client, the worklist (first page, a rule's filter, the last page) and the
district dashboard, with the queries each page sends:

    .venv/bin/python bench/worklist.py
    .venv/bin/python bench/worklist.py --database-url postgres://postgres@127.0.0.1:5432/h_worklist_bench

Figures: bench/README.md.
"""

import argparse
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.case_lists import prepare_database, seed, signed_in_client, timed  # noqa: E402


def parse():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="sqlite:////tmp/earlyhelp-worklist.sqlite3")
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--alerts", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=20)
    return parser.parse_args()


def add_alerts(la, district, count):
    from django.utils import timezone

    from episodes.models import Episode
    from oversight.models import Alert

    today = timezone.localdate()
    open_now = Alert.objects.filter(local_authority=la, resolved_on__isnull=True).count()
    cases = list(
        Episode.objects.filter(local_authority=la, district=district).values_list("pk", flat=True)
    )
    Alert.objects.bulk_create(
        Alert(
            local_authority=la,
            rule="action_overdue",
            episode_id=cases[n % len(cases)],
            district=district,
            subject=f"action:bench-{n}",
            due_since=today - timedelta(days=1 + n % 60),
            first_seen=today,
        )
        for n in range(max(0, count - open_now))
    )


def queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)


def main():
    args = parse()
    prepare_database(args.database_url)
    from django.db import connection
    from django.utils import timezone

    from oversight.evaluation import evaluate
    from oversight.models import Alert

    la, districts, _school, eho, _practitioner, _episode, _person = seed(1, args.cases)
    district = districts[0]
    # Age the cases so the rules have something to find: asked for 70 days
    # ago, each stage reached 60 days ago.
    from datetime import timedelta as days

    from episodes.models import Episode

    long_ago = timezone.now() - days(days=70)
    Episode.objects.filter(local_authority=la).update(requested_at=long_ago)
    for field in ("consent_given_at", "assessment_completed_at", "plan_agreed_at", "stepped_up_at"):
        Episode.objects.filter(local_authority=la, **{f"{field}__isnull": False}).update(
            **{field: long_ago + days(days=10)}
        )
    started = time.perf_counter()
    run = evaluate(la, timezone.localdate())
    evaluation_ms = (time.perf_counter() - started) * 1000
    add_alerts(la, district, args.alerts)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    total = Alert.objects.filter(local_authority=la, resolved_on__isnull=True).count()
    client = signed_in_client(eho)
    last_page = (total + 49) // 50
    pages = [
        ("worklist, first page", "/worklist/"),
        ("worklist, one rule", "/worklist/?rule=action_overdue"),
        ("worklist, last page", f"/worklist/?page={last_page}"),
        ("district dashboard", "/worklist/dashboard/"),
    ]
    print(f"{connection.vendor}: {args.cases} open cases, {total} open alerts")
    print(f"drift evaluation of {args.cases} cases: {evaluation_ms:.0f} ms ({run.created} alerts)")
    print("| page | median ms | p95 ms | queries |")
    print("| --- | ---: | ---: | ---: |")
    for label, url in pages:
        median, p95 = timed(client, url, args.repeat)
        print(f"| {label} | {median:.1f} | {p95:.1f} | {queries(client, url)} |")


if __name__ == "__main__":
    main()
