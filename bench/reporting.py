"""The partnership report for a year, timed on a generated council.

    .venv/bin/python -m bench.council --people 300000 --database-url postgres://postgres@127.0.0.1:5432/h_partnership_300k
    .venv/bin/python -m bench.reporting --database-url postgres://postgres@127.0.0.1:5432/h_partnership_300k

bench/council.py writes cases, consents and the audit trail but none of the
records the report also counts. The first run adds them, in SQL, from the
cases' own dates (and never again): each case's needs (one to three, those
of a case closed as needs met achieved), a meeting held the day before each
plan was agreed, the plan, reviews every 7 to 9 weeks from the plan to the
case's last review, a referral for every step-up (accepted when the case
closed that way), and advice calls and police notifications (a third and a
sixth of the number of cases, over five years). Then the tables are analysed
and `reporting.report.build` (every figure, its disclosure control and the
durations) is timed for the year before the day of the run, then the XLSX
and CSV files are written from it.
"""

import argparse
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import council as generator  # noqa: E402

FILL = [
    # Needs: one to three a case, from the case's id.
    """
    INSERT INTO episodes_episodeneed (local_authority_id, episode_id, need, notes, outcome,
        evidence_type, evidence, outcome_on, recorded_at)
    SELECT e.local_authority_id, e.id, (%(needs)s::text[])[1 + ((e.id * 7 + k * 5) %% 18)], '',
           CASE WHEN e.closure_reason = 'needs_met' AND k < 2 THEN 'achieved'
                WHEN e.closed_at IS NOT NULL THEN 'partly' ELSE '' END,
           '', '', e.closed_at::date, e.requested_at
    FROM episodes_episode e, generate_series(0, 2) k
    WHERE e.local_authority_id = %(la)s AND k <= e.id %% 3
    """,
    """
    INSERT INTO plans_plan (local_authority_id, episode_id, number, agreed_at, change_summary,
                            edit_version, agreed_by_id, family_content)
    SELECT local_authority_id, id, 1, plan_agreed_at, '', 1, requested_by_id, ''
    FROM episodes_episode WHERE local_authority_id = %(la)s AND plan_agreed_at IS NOT NULL
    """,
    """
    INSERT INTO meetings_meeting (local_authority_id, episode_id, starts_at, duration_minutes,
        location, notes, held, family_view_on_lead, arranged_by_id, cancellation_reason, sequence)
    SELECT local_authority_id, id, plan_agreed_at - interval '1 day', 60, 'Bench room', '', true,
           '', requested_by_id, '', 0
    FROM episodes_episode WHERE local_authority_id = %(la)s AND plan_agreed_at IS NOT NULL
    """,
    """
    INSERT INTO reviews_review (local_authority_id, episode_id, plan_id, held_on, family_views,
        child_views, engagement, decision, notes, recorded_at, recorded_by_id)
    SELECT p.local_authority_id, p.episode_id, p.id, r.held_on, 'Bench.', '', 'fully',
           'continue', '', r.held_on, p.agreed_by_id
    FROM plans_plan p
    JOIN episodes_episode e ON e.id = p.episode_id,
    LATERAL (
        SELECT (p.agreed_at + k * ((49 + e.id %% 15) * interval '1 day'))::date AS held_on
        FROM generate_series(1, 40) k
    ) r
    WHERE p.local_authority_id = %(la)s
      AND r.held_on <= coalesce(e.last_reviewed_at, e.closed_at, now())::date
    """,
    """
    INSERT INTO referrals_referral (local_authority_id, episode_id, kind, concern,
        significant_harm, status, advice, sent_at, decided_at, sent_by_id, panel_reason)
    SELECT local_authority_id, id, 'step_up', 'Bench.', 'yes',
           CASE WHEN closure_reason = 'stepped_up' THEN 'accepted' ELSE 'sent' END, '',
           stepped_up_at, CASE WHEN closure_reason = 'stepped_up' THEN closed_at END,
           requested_by_id, ''
    FROM episodes_episode WHERE local_authority_id = %(la)s AND stepped_up_at IS NOT NULL
    """,
    """
    INSERT INTO advice_advicecontact (local_authority_id, district_id, received_on, channel,
        caller_name, caller_organisation_name, worry, known, advice, advice_detail, recorded_at,
        caller_organisation_id, recorded_by_id)
    SELECT e.local_authority_id, e.district_id, (e.requested_at - interval '3 days')::date,
           'phone', 'Bench caller', '', 'Bench.', 'not_checked', 'start_assessment', '',
           e.requested_at, e.requesting_organisation_id, e.requested_by_id
    FROM episodes_episode e WHERE e.local_authority_id = %(la)s AND e.id %% 3 = 0
    """,
    """
    INSERT INTO police_policenotification (local_authority_id, police_reference, incident_at,
        kind, circumstances, acknowledge_by, acknowledgement_note, recorded_via, recorded_at,
        district_id)
    SELECT e.local_authority_id, 'BENCH-' || e.id, e.requested_at - interval '5 days',
           'domestic_abuse', 'Bench.', e.requested_at, '', 'bench', e.requested_at,
           e.district_id
    FROM episodes_episode e WHERE e.local_authority_id = %(la)s AND e.id %% 6 = 0
    """,
]
TABLES = (
    "episodes_episode",
    "episodes_episodeneed",
    "plans_plan",
    "meetings_meeting",
    "reviews_review",
    "referrals_referral",
    "advice_advicecontact",
    "police_policenotification",
)


def fill(la_id, progress=print):
    from django.db import connection, transaction

    from episodes.models import EpisodeNeed
    from episodes.needs import Need

    if EpisodeNeed.objects.filter(local_authority_id=la_id).exists():
        progress("the report's records are already there")
        return
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in FILL:
            cursor.execute(sql, {"la": la_id, "needs": list(Need.values)})
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"ANALYZE {table}")  # noqa: S608  (our own table names)
    progress(
        f"needs, plans, meetings, reviews, referrals, advice, police added and analysed in "
        f"{time.perf_counter() - started:.1f} s"
    )


def counts(la_id):
    from django.db import connection

    with connection.cursor() as cursor:
        out = {}
        for table in TABLES:
            cursor.execute(
                f"SELECT count(*) FROM {table} WHERE local_authority_id = %s",  # noqa: S608
                [la_id],
            )
            out[table] = cursor.fetchone()[0]
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=generator.DEFAULT_URL)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    generator.setup(args.database_url)

    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts.models import LocalAuthority
    from reporting import exports
    from reporting.definitions import Period
    from reporting.report import build

    council = LocalAuthority.objects.exclude(episodes=None).order_by("pk").first()
    fill(council.pk)
    for table, n in counts(council.pk).items():
        print(f"{table}: {n:,}")
    today = timezone.localdate()
    period = Period(today - timedelta(days=365), today - timedelta(days=1))
    timings = []
    for _ in range(args.repeat + 1):  # the first warms the caches
        reset_queries()
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            report = build(council, period)
        timings.append(time.perf_counter() - started)
    timings = timings[1:]
    started = time.perf_counter()
    exports.to_xlsx(report)
    xlsx = time.perf_counter() - started
    started = time.perf_counter()
    exports.to_csv(report)
    csv_seconds = time.perf_counter() - started
    requests = next(s for s in report.sections if s.figure.id == "requests")
    print(
        f"period {period.start} to {period.end}; requests in it: "
        f"{requests.tables[0].rows[-1].total.shown}"
    )
    print(f"queries per report: {len(queries.captured_queries)}")
    print(
        f"report built: median {statistics.median(timings):.2f} s, "
        f"max {max(timings):.2f} s over {args.repeat}; XLSX {xlsx:.2f} s, CSV {csv_seconds:.2f} s"
    )
    slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:5]
    for query in slowest:
        print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:110]}")


if __name__ == "__main__":
    main()
