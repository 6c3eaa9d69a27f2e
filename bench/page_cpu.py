"""What each key page costs in CPU, in one process, whatever the neighbours do.

The page benchmark (bench/pages.py) times pages over HTTP, which on a shared
machine measures the neighbours too. This asks the same pages through
Django's test client, signed in as the same three personas, on the same
council and settings (bench/settings.py), and reports for each page its
queries, the median CPU time of this Python process, and the mean CPU time
of its PostgreSQL connection (read from /proc: Linux, a local server).
`--profile LABEL` prints a cProfile of one page instead, `--queries LABEL`
each of its queries with the wall time it took (fastest of the repeats). Python's collector is
set as the web servers set it (earlyhelp/server_process.py) unless
`--python-gc-defaults`.

    .venv/bin/python -m bench.page_cpu --database-url postgres://.../h_scalebench
    .venv/bin/python -m bench.page_cpu --pages "cases: open" --profile "cases: open"
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import council, pages  # noqa: E402

TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def backend_cpu_ms(pid):
    """utime + stime of a PostgreSQL backend, in ms (10 ms ticks)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * TICK_MS


def set_up_in_process(database_url, *, settle=True):
    """Django on the benchmark's council and settings, for the test client
    (this script, ab.py, first_requests.py); `settle`: as earlyhelp/wsgi.py
    does in each server process."""
    os.environ.setdefault("BENCH_SECRET_KEY", "page-cpu-" + "x" * 40)
    council.setup(database_url)
    if settle:
        from earlyhelp.server_process import settle_loaded_application

        settle_loaded_application()
    import logging

    logging.disable(logging.WARNING)
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]


def signed_in_client(email):
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import User

    user = User.objects.get(email=email)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def ask(client, method, path, form):
    if method == "POST":
        return client.post(path, form)
    return client.get(path)


def measure(client, page, repeat):
    from django.db import connection

    label, method, path, form = page
    response = ask(client, method, path, form)
    if response.status_code != 200:
        return None
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        ask(client, method, path, form)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    python, database = [], []
    for _ in range(repeat):
        db_before = backend_cpu_ms(backend)
        started = time.process_time()
        ask(client, method, path, form)
        python.append((time.process_time() - started) * 1000)
        database.append(backend_cpu_ms(backend) - db_before)
    return len(queries), statistics.median(python), statistics.mean(database)


def print_queries(client, page, repeat, width=160, plans=False):
    """Each query of the page, in order, with its fastest wall time over the
    repeats (ms) and the first `width` characters of its SQL; with `plans`,
    also PostgreSQL's own planning and execution times of each SELECT (the
    fastest of `repeat` EXPLAIN ANALYZE runs with the page's parameters)."""
    from django.db import connection

    label, method, path, form = page
    ask(client, method, path, form)
    runs = []
    sent = []
    for _ in range(repeat):
        timed = []

        def timer(execute, sql, params, many, context, timed=timed):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                timed.append(((time.perf_counter() - started) * 1000, sql))
                if not runs:
                    sent.append((sql, params))

        with connection.execute_wrapper(timer):
            ask(client, method, path, form)
        runs.append(timed)
    for place, (_ms, sql) in enumerate(runs[0]):
        fastest = min(run[place][0] for run in runs if place < len(run))
        planned = planning(*sent[place], repeat) if plans else ""
        print(f"{fastest:8.2f} ms {planned} {' '.join(sql.split())[:width]}")


def planning(sql, params, repeat):
    """'planning ms / execution ms' of a SELECT as PostgreSQL reports them.
    EXPLAIN ANALYZE runs the statement: one that locks rows or takes a number
    from a sequence (the audit chain's head) is left out, so that measuring
    changes nothing in the database."""
    from django.db import connection

    text = sql.lstrip().upper()
    if not text.startswith("SELECT") or "FOR UPDATE" in text or "NEXTVAL(" in text:
        return " " * 19
    best = None
    for _ in range(repeat):
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
            report = cursor.fetchone()[0]
        report = report[0] if isinstance(report, list) else report
        times = (report["Planning Time"], report["Execution Time"])
        best = times if best is None else min(best, times)
    return f"{best[0]:6.2f} / {best[1]:6.2f} ms"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=council.DEFAULT_URL)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--pages", "--only", dest="pages", default="")
    parser.add_argument("--personas", default="", help="comma-separated: EHO,manager,...")
    parser.add_argument("--profile", help="print a cProfile of the page with this label")
    parser.add_argument("--queries", help="print each query of the page with this label, timed")
    parser.add_argument("--sql-width", type=int, default=160, help="with --queries")
    parser.add_argument(
        "--plans",
        action="store_true",
        help="with --queries: PostgreSQL's planning / execution time of each SELECT",
    )
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--lines", type=int, default=45)
    parser.add_argument(
        "--python-gc-defaults",
        action="store_true",
        help="leave Python's collector as it starts, not as the web servers set it",
    )
    args = parser.parse_args()
    set_up_in_process(args.database_url, settle=not args.python_gc_defaults)
    signing_in, (case_id, person) = pages.personas()
    pages.scheduled_work()
    wanted = [p.strip() for p in args.personas.split(",") if p.strip()]
    print("| persona | page | queries | Python ms | database ms |")
    print("| --- | --- | ---: | ---: | ---: |")
    for persona, email in signing_in:
        if wanted and persona not in wanted:
            continue
        client = signed_in_client(email)
        for page in pages.chosen(pages.key_pages(case_id, person), args.pages):
            if args.profile:
                if page[0] != args.profile:
                    continue
                ask(client, *page[1:])
                profiler = cProfile.Profile(time.process_time)
                profiler.enable()
                for _ in range(args.repeat):
                    ask(client, *page[1:])
                profiler.disable()
                print(f"## {persona}: {page[0]}")
                pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.lines)
                if os.environ.get("PROFILE_DUMP"):
                    profiler.dump_stats(os.environ["PROFILE_DUMP"])
                continue
            if args.queries:
                if page[0] == args.queries:
                    print(f"## {persona}: {page[0]}")
                    print_queries(client, page, args.repeat, args.sql_width, args.plans)
                continue
            figures = measure(client, page, args.repeat)
            if figures is None:
                continue
            queries, python, database = figures
            print(f"| {persona} | {page[0]} | {queries} | {python:.1f} | {database:.0f} |")


if __name__ == "__main__":
    main()
