"""Audited writes per second with several concurrent writers, each its own
process and database connection, spread over several councils.

Every writer appends VIEW events through audit.services.record (each its own
transaction, as a page view does) for a fixed time after all have started.
Before the audit chain was split per council every write, in any council,
queued on one chain-head row lock; now writers of different councils do not
wait for each other. Run it on PostgreSQL (SQLite serialises all writers):

    .venv/bin/python bench/audit_writes.py --database-url postgres://postgres@127.0.0.1:5432/h_auditscale_bench

The database is dropped and created again. Figures: bench/README.md.
"""

import argparse
import multiprocessing
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def parse():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/h_auditscale_bench"
    )
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--councils", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20)
    return parser.parse_args()


def prepare_database(url):
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "earlyhelp.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def writer(council_id, start_at, seconds, results):
    from django.db import connection

    from accounts.models import LocalAuthority
    from audit.models import Action
    from audit.services import record

    connection.close()  # never share the parent's connection
    council = LocalAuthority.objects.get(pk=council_id)
    while time.time() < start_at:
        time.sleep(0.001)
    writes, latencies, end = 0, [], start_at + seconds
    while (now := time.perf_counter(), time.time())[1] < end:
        record(Action.VIEW, obj=council, local_authority=council, changes={"page": "bench"})
        latencies.append(time.perf_counter() - now)
        writes += 1
    connection.close()
    results.put((council_id, writes, sorted(latencies)))


def main():
    args = parse()
    prepare_database(args.database_url)
    from django.db import connection

    from accounts.models import LocalAuthority
    from audit.services import verify_chain

    councils = [
        LocalAuthority.objects.create(slug=f"bench{n}", name=f"Bench Council {n}").pk
        for n in range(args.councils)
    ]
    connection.close()
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    start_at = time.time() + 2
    writers = [
        context.Process(
            target=writer, args=(councils[n % len(councils)], start_at, args.seconds, results)
        )
        for n in range(args.writers)
    ]
    for process in writers:
        process.start()
    outcomes = [results.get() for _ in writers]
    for process in writers:
        process.join()
    total = sum(writes for _council, writes, _latencies in outcomes)
    latencies = sorted(value for *_rest, values in outcomes for value in values)
    count, problem = verify_chain()
    print(
        f"{args.writers} writers over {args.councils} councils, {args.seconds:.0f} s: "
        f"{total} audited writes, {total / args.seconds:.0f} writes/s, "
        f"median {latencies[len(latencies) // 2] * 1000:.1f} ms, "
        f"p95 {latencies[int(len(latencies) * 0.95)] * 1000:.1f} ms per write; "
        f"chain check: {count} events, {problem or 'intact'}"
    )


if __name__ == "__main__":
    main()
