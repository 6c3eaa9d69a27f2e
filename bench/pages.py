"""How fast each key page answers at council scale, as a multiple of the floor.

Serves a council made by bench/council.py with gunicorn (2 workers) on
PostgreSQL, using the benchmark's settings (bench/settings.py: production's,
plus the floor page), signs in through the real sign-in pages as an Early
Help Officer, a manager and a busy practitioner (password, then the code the
authenticator would show, worked out from the device's key as the demo does),
then:

0. runs the day's drift evaluation (as the scheduled work does each
   morning), so the worklist has the council's alerts;
1. asks for every key page REPEAT times, in interleaved rounds (each round
   asks for every page once, so a noisy minute spreads over all of them), and
   reports each page's median and p95 in ms and as a multiple of the floor's;
2. runs a concurrent load: USERS threads, each signed in as one of the three,
   going round their pages for DURATION seconds; throughput, p95 and errors.

    .venv/bin/python -m bench.pages --generate --people 20000
    .venv/bin/python -m bench.pages                # the council already in the database

Figures: bench/README.md.
"""

import argparse
import http.client
import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import council  # noqa: E402

FLOOR = "/bench/floor/"
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Refused(Exception):
    pass


@dataclass
class Session:
    """A browser's worth of cookies against one server: plain http.client,
    a new connection per request (gunicorn's sync workers close each one)."""

    host: str
    port: int
    cookies: dict = field(default_factory=dict)

    def request(self, method, path, form=None):
        headers = {"Host": f"{self.host}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            form = {**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, response.headers, content
        finally:
            connection.close()

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, form):
        return self.request("POST", path, form)

    def sign_in(self, email, password, code_for):
        """Sign in as the sign-in pages ask: email and password, then the
        authenticator's code. `code_for(email)` gives the code."""
        self.get("/accounts/sign-in/")
        status, headers, _ = self.post(
            "/accounts/sign-in/", {"username": email, "password": password}
        )
        if status != 302 or "/sign-in/code/" not in headers.get("Location", ""):
            raise Refused(f"the password step refused {email} ({status})")
        status, headers, _ = self.post("/accounts/sign-in/code/", {"code": code_for(email)})
        if status != 302:
            raise Refused(f"the code step refused {email} ({status})")
        status, _, body = self.get(FLOOR)
        if status != 200:
            raise Refused(f"{email} is not signed in: the floor page answered {status}")
        return self


def authenticator_code(email):
    """The code the user's authenticator app would show now (as the demo's
    sign-in page does), waiting for the next 30-second step if this one's
    code was used already: a code is accepted once."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.security import current_code

    while True:
        device = TOTPDevice.objects.get(user__email=email, confirmed=True)
        now_t = (int(time.time()) - device.t0) // device.step + device.drift
        if device.last_t < now_t + device.tolerance:
            return current_code(device)
        time.sleep(1)


# --- what each persona asks for ------------------------------------------------


def key_pages(case_id, person):
    """(label, method, path, form) for every key page a persona may ask for."""
    from episodes.models import Status

    born = person.date_of_birth
    search = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "date_of_birth-day": born.day,
        "date_of_birth-month": born.month,
        "date_of_birth-year": born.year,
    }
    pages = [
        ("floor", "GET", FLOOR, None),
        # Nothing but the layout (base.html): what every page pays on top of the floor.
        ("layout (accessibility statement)", "GET", "/accessibility/", None),
        ("home", "GET", "/", None),
        ("cases: open", "GET", "/cases/?status=open", None),
        ("cases: mine", "GET", "/cases/?status=mine", None),
    ]
    pages += [(f"cases: {s}", "GET", f"/cases/?status={s}", None) for s in Status.values]
    pages += [
        ("case page (long history)", "GET", f"/cases/{case_id}/", None),
        ("who viewed", "GET", f"/cases/{case_id}/access-log/", None),
        ("possible duplicates", "GET", "/people/duplicates/", None),
        ("people search", "POST", "/cases/new/", search),
        ("match check", "GET", "/cases/new/matches/?" + urlencode(search), None),
        ("worklist", "GET", "/worklist/", None),
        # A manager's (the others are refused, and so left out).
        ("performance indicators", "GET", "/performance/", None),
    ]
    return pages


def chosen(pages, wanted):
    """The floor and the pages whose label contains one of `wanted` (comma-
    separated; empty: every page)."""
    words = [word.strip() for word in wanted.split(",") if word.strip()]
    if not words:
        return pages
    return [p for p in pages if p[0] == "floor" or any(word in p[0] for word in words)]


def pages_for(session, pages):
    """The pages this persona may open (a page their role does not offer,
    403, is left out); anything else but 200 stops the benchmark."""
    allowed = []
    for page in pages:
        status, _, _ = session.request(page[1], page[2], page[3])
        if status == 403:
            continue
        if status != 200:
            raise Refused(f"{page[2]} answered {status}")
        allowed.append(page)
    return allowed


def percentile(samples, share):
    ordered = sorted(samples)
    return ordered[max(0, int(round(len(ordered) * share)) - 1)]


def time_pages(session, pages, repeat):
    """{label: [ms, ...]}, in interleaved rounds."""
    samples = {label: [] for label, *_ in pages}
    for _ in range(repeat):
        for label, method, path, form in pages:
            started = time.perf_counter()
            status, _, _ = session.request(method, path, form)
            samples[label].append((time.perf_counter() - started) * 1000)
            if status != 200:
                raise Refused(f"{path} answered {status}")
    return samples


def _cpu_ms(pid):
    """utime + stime of a process in ms (Linux /proc; 0 when it has gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def _council_backends():
    """Pids of the PostgreSQL backends connected to the council's database
    (the workers keep theirs: CONN_MAX_AGE), not those of other work."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]


def _cpu_of(server, backends):
    """CPU ms so far of each of the server's processes (workers), of each of
    their PostgreSQL backends, and of this driver: what the load costs,
    whatever else the machine is doing."""
    workers = [server.pid, *(int(p) for p in _children(server.pid))]
    return {
        "gunicorn": {pid: _cpu_ms(pid) for pid in workers},
        "postgres": {pid: _cpu_ms(pid) for pid in backends},
        "driver": {0: sum(os.times()[:2]) * 1000},
    }


def _spent(before, after):
    """CPU ms spent between two readings of `_cpu_of`, by kind. A process that
    started in between counts from 0; one that ended in between (a worker's
    connection closed after CONN_MAX_AGE) is left out, as its last reading is gone."""
    return {
        kind: sum(ms - before[kind].get(pid, 0.0) for pid, ms in after[kind].items() if ms)
        for kind in after
    }


def _children(pid):
    try:
        return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []


def load(sessions, users, duration, server=None):
    """USERS threads for DURATION seconds; each uses one persona's session
    (sessions are shared, as tabs of one browser would share them). With the
    server, also the CPU each request cost (the workers, PostgreSQL, this
    driver), from which the throughput of 2 idle cores is worked out: on a
    shared machine the requests/s measure the neighbours too."""
    latencies, errors, lock = [], [0], threading.Lock()
    backends = _council_backends() if server else []
    cpu_before = _cpu_of(server, backends) if server else None
    stop = time.perf_counter() + duration

    def user(n):
        session, pages = sessions[n % len(sessions)]
        pages = [p for p in pages if p[1] == "GET"]
        k = n
        while time.perf_counter() < stop:
            _label, method, path, form = pages[k % len(pages)]
            k += 1
            started = time.perf_counter()
            try:
                status, _, _ = session.request(method, path, form)
                ok = status == 200
            except OSError:
                ok = False
            took = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(took)
                errors[0] += not ok

    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    cpu = {}
    if server and latencies:
        backends = sorted(set(backends) | set(_council_backends()))
        spent = _spent(cpu_before, _cpu_of(server, backends))
        cpu = {f"{k}_cpu_ms": ms / len(latencies) for k, ms in spent.items()}
        cpu["idle_2_core_requests_per_second"] = 2000 / sum(cpu.values())
    return {
        **cpu,
        "users": users,
        "requests": len(latencies),
        "requests_per_second": len(latencies) / elapsed,
        "median_ms": statistics.median(latencies) if latencies else None,
        "p95_ms": percentile(latencies, 0.95) if latencies else None,
        "errors": errors[0],
    }


# --- the server --------------------------------------------------------------------


def serve(database_url, port, workers=2):
    """gunicorn on the benchmark's settings; returns the process once it answers."""
    env = {
        **os.environ,
        **council_environment(database_url),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    process = subprocess.Popen(  # noqa: S603
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "earlyhelp.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            status, _, _ = Session("127.0.0.1", port).get("/accounts/sign-in/")
            if status == 200:
                return process
        except OSError:
            time.sleep(0.5)
    process.terminate()
    raise SystemExit("gunicorn did not answer within a minute")


def council_environment(database_url):
    from bench.matching.database import environment

    values = environment(database_url)
    values["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    values["SECRET_KEY"] = os.environ.get("BENCH_SECRET_KEY") or values["SECRET_KEY"]
    os.environ["BENCH_SECRET_KEY"] = values["SECRET_KEY"]
    return values


def personas():
    """The three people signed in, and the case and person they look at."""
    from accounts.models import User
    from episodes.models import Episode

    busy = User.objects.get(email=council.email("busy.practitioner"))
    case = Episode.objects.filter(lead_professional=busy).order_by("pk").first()
    eho = case.district.early_help_officer
    manager = User.objects.get(email=council.email("manager"))
    child = case.children.order_by("pk").first()
    return [("EHO", eho.email), ("manager", manager.email), ("busy practitioner", busy.email)], (
        case.pk,
        child,
    )


def scheduled_work():
    """What `earlyhelp run_scheduled` has done on a live council by the time
    its staff look: today's drift evaluation, the performance figures and
    the count of families due under the retention rule."""
    evaluate_drift()
    keep_hourly_counts()


def keep_hourly_counts():
    """The performance page's figures and the retention settings page's count,
    as the scheduled work keeps them every hour (performance/figures.py,
    privacy/due_counts.py), so the pages show them as they do live."""
    from performance.tasks import refresh_performance_figures
    from privacy.tasks import count_families_due

    refresh_performance_figures.call()
    count_families_due.call()


def evaluate_drift():
    """Today's drift evaluation, as the scheduled work runs it every morning
    (`earlyhelp run_scheduled`), so the worklist shows a live council's
    alerts; a second run on the same day changes nothing."""
    from django.db import connection

    from accounts.models import LocalAuthority
    from oversight.evaluation import evaluate

    for la in LocalAuthority.objects.all():
        evaluate(la)
    # A live council's alerts have statistics and a visibility map
    # (autovacuum vacuums and analyses a table after many inserts, and the
    # worklist's filters read the open alerts' index alone); these may have
    # just been written.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE oversight_alert")


def report(results, loads, heading):
    lines = [heading, ""]
    lines.append("| persona | page | median ms | p95 ms | median × floor | p95 × floor |")
    lines.append("| --- | --- | ---: | ---: | ---: | ---: |")
    for persona, samples in results.items():
        floor = statistics.median(samples["floor"])
        for label, values in samples.items():
            median, p95 = statistics.median(values), percentile(values, 0.95)
            lines.append(
                f"| {persona} | {label} | {median:.1f} | {p95:.1f} | "
                f"{median / floor:.1f} | {p95 / floor:.1f} |"
            )
    lines += [
        "",
        "| users | requests | requests/s | median ms | p95 ms | errors "
        "| CPU ms a request: workers, PostgreSQL, driver | requests/s on 2 idle cores |",
    ]
    lines.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in loads:
        split = ", ".join(
            f"{row.get(k + '_cpu_ms', 0):.1f}" for k in ("gunicorn", "postgres", "driver")
        )
        lines.append(
            f"| {row['users']} | {row['requests']} | {row['requests_per_second']:.1f} | "
            f"{row['median_ms']:.0f} | {row['p95_ms']:.0f} | {row['errors']} | {split} | "
            f"{row.get('idle_2_core_requests_per_second', 0):.1f} |"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=council.DEFAULT_URL)
    parser.add_argument("--generate", action="store_true", help="make the council first")
    parser.add_argument("--people", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument(
        "--users", default="20,50", help='concurrent loads, comma-separated ("" or 0: none)'
    )
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--results", type=Path, help="write the figures as JSON too")
    parser.add_argument(
        "--pages",
        "--only",
        dest="pages",
        default="",
        help="only the pages whose label contains one of these, comma-separated "
        '(the floor is always asked): "case page,who viewed"',
    )
    args = parser.parse_args()
    os.environ.setdefault("BENCH_SECRET_KEY", secrets.token_urlsafe(40))
    os.environ.update(council_environment(args.database_url))
    if args.generate:
        council.generate(args.database_url, people=args.people)
    else:
        council.setup(args.database_url)
    from people.models import Person

    people = Person.objects.count()
    signing_in, (case_id, person) = personas()
    scheduled_work()
    server = serve(args.database_url, args.port)
    try:
        sessions, results = [], {}
        for persona, email in signing_in:
            session = Session("127.0.0.1", args.port).sign_in(
                email, council.PASSWORD, authenticator_code
            )
            pages = pages_for(session, chosen(key_pages(case_id, person), args.pages))
            sessions.append((session, pages))
            print(f"{persona}: {len(pages)} pages, {args.repeat} rounds", flush=True)
            results[persona] = time_pages(session, pages, args.repeat)
        loads = []
        for users in (int(u) for u in args.users.split(",") if u.strip() and int(u) > 0):
            loads.append(load(sessions, users, args.duration, server))
            print(f"{users} users: {json.dumps(loads[-1])}", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    heading = (
        f"{people:,} people; gunicorn, 2 workers; {args.repeat} rounds; "
        f"load {args.duration:.0f} s; {time.strftime('%Y-%m-%d')}"
    )
    print(report(results, loads, heading))
    if args.results:
        args.results.write_text(json.dumps({"results": results, "loads": loads}, indent=1))


if __name__ == "__main__":
    main()
