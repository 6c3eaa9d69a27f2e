"""How long Ofsted's Annex A List 2 takes for a large council.

Generates a council with bench/council.py (its database is dropped and
recreated), gives every case that got past consent its early help
assessment (started at consent, completed when the case's assessment was,
for the requesting organisation, by the requester), then times
`returns.annex_a.export` (the rows, the workbook and the audit event, as the
page and `earlyhelp export_annex_a` run it) REPEAT times, as of the newest
case's day.

    .venv/bin/python -m bench.annex_a --people 300000 \\
        --database-url postgres://postgres@127.0.0.1:5432/h_annexa_bench

Figures: bench/README.md.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import council  # noqa: E402


def add_assessments():
    """One assessment per case past consent, written in bulk with its council."""
    from django.db.models import Max

    from assessments.models import Assessment
    from episodes.models import Episode

    cases = Episode.objects.filter(consent_given_at__isnull=False).values_list(
        "pk",
        "local_authority_id",
        "consent_given_at",
        "assessment_completed_at",
        "requested_by_id",
        "requesting_organisation_id",
    )
    batch = []
    for pk, la_id, consented, completed, requester, organisation in cases.iterator():
        batch.append(
            Assessment(
                episode_id=pk,
                local_authority_id=la_id,
                started_at=consented,
                started_by_id=requester,
                updated_by_id=requester,
                completed_at=completed,
                completed_by_id=requester if completed else None,
                completed_by_organisation_id=organisation if completed else None,
            )
        )
    Assessment.objects.bulk_create(batch, batch_size=5000)
    return len(batch), Episode.objects.aggregate(Max("requested_at"))["requested_at__max"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", required=True, help="A database of its own: it is dropped first"
    )
    parser.add_argument("--people", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    made = council.generate(args.database_url, people=args.people, progress=lambda _m: None)

    from django.db import connection
    from django.utils import timezone

    from accounts.models import LocalAuthority
    from core.councils import scope
    from returns import annex_a

    assessments, newest = add_assessments()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    la = LocalAuthority.objects.get(pk=made.local_authority_id)
    as_of = timezone.localdate(newest)
    seconds = []
    with scope(la.pk):
        for _ in range(args.repeat):
            started = time.perf_counter()
            data = annex_a.export(la, as_of, actor_label="bench: annex_a")
            seconds.append(time.perf_counter() - started)
        rows = len(annex_a.rows(la, as_of))
    print(
        f"{made.people:,} people, {made.cases:,} cases ({made.open_cases:,} open), "
        f"{assessments:,} assessments; List 2 as of {as_of}: {rows:,} rows, "
        f"{len(data) / 1024:.0f} KiB; export median {statistics.median(seconds):.2f} s, "
        f"max {max(seconds):.2f} s over {args.repeat} runs"
    )


if __name__ == "__main__":
    main()
