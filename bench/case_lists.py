"""How fast the pages an Early Help Officer lives in answer at realistic size.

Seeds one council with DISTRICTS districts of CASES_PER_DISTRICT open cases
each (a district's EHO sees ~300; one in six stepped up to children's social
care, whose decision the EHO owes), families of three, then times, through
Django's test client (the whole request: middleware, policy, queries,
templates), the case list, the home page with the work owed and "My cases",
a case page and the people search; with --closed-cases, --extra-people and
--duplicates it adds a council's history (closed cases of other workers, people
on no case, open possible duplicates) and times the closed and "My cases"
lists, the possible duplicates and "who viewed". Run it on each database:

    .venv/bin/python bench/case_lists.py                      # SQLite file in /tmp
    .venv/bin/python bench/case_lists.py --database-url postgres://postgres@127.0.0.1:5432/earlyhelp_bench
    .venv/bin/python bench/case_lists.py --closed-cases 12000 --extra-people 40000 --duplicates 400

Figures: bench/README.md.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def parse():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="sqlite:////tmp/earlyhelp-bench.sqlite3")
    parser.add_argument("--districts", type=int, default=10)
    parser.add_argument("--cases-per-district", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument(
        "--closed-cases", type=int, default=0, help="closed cases of other workers (history)"
    )
    parser.add_argument("--extra-people", type=int, default=0, help="people on no case")
    parser.add_argument("--duplicates", type=int, default=0, help="open possible duplicates")
    parser.add_argument("--views", type=int, default=0, help="audited views of the first case")
    return parser.parse_args()


def prepare_database(url):
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    else:
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


def seed(districts, per_district):
    from django.utils import timezone

    from accounts.models import (
        District,
        LocalAuthority,
        Membership,
        Organisation,
        OrganisationType,
        Role,
        RoleGrant,
        User,
    )
    from core.demo import synthetic_nhs_number
    from episodes.models import Episode, EpisodeChild, Status
    from people.models import Family, FamilyMember, Person

    rng = random.Random(7)
    la = LocalAuthority.objects.create(slug="benchshire", name="Benchshire Council")
    school = Organisation.objects.create(
        local_authority=la, name="Bench School", type=OrganisationType.SCHOOL
    )
    practitioner = User.objects.create_user(
        "practitioner@bench.example", "x" * 16, full_name="Bench Practitioner", local_authority=la
    )
    RoleGrant.objects.create(user=practitioner, role=Role.PRACTITIONER)
    Membership.objects.create(user=practitioner, organisation=school)
    ehos = []
    for n in range(districts):
        eho = User.objects.create_user(
            f"eho{n}@bench.example", "x" * 16, full_name=f"Officer {n}", local_authority=la
        )
        RoleGrant.objects.create(user=eho, role=Role.EARLY_HELP_OFFICER)
        District.objects.create(local_authority=la, name=f"District {n}", early_help_officer=eho)
        ehos.append(eho)
    district_list = list(District.objects.filter(local_authority=la))
    total = districts * per_district
    families = Family.objects.bulk_create(
        Family(local_authority=la, name=f"Family {i}") for i in range(total)
    )
    people = Person.objects.bulk_create(
        Person(
            local_authority=la,
            first_name=f"Name{i % 997}",
            last_name=f"Surname{i % 1499}",
            date_of_birth=date(2010, 1, 1) + timedelta(days=rng.randint(0, 5000)),
            nhs_number=synthetic_nhs_number(rng),
        )
        for i in range(total * 3)
    )
    FamilyMember.objects.bulk_create(
        FamilyMember(
            family=families[i // 3],
            person=people[i],
            relationship="parent" if i % 3 == 0 else "child",
        )
        for i in range(total * 3)
    )
    # One case in six waits for children's social care's decision: still open,
    # and work the district's EHO owes (their home page lists it).
    statuses = [
        Status.REQUESTED,
        Status.ASSESSMENT,
        Status.MEETING,
        Status.PLAN,
        Status.PLAN,
        Status.STEPPED_UP,
    ]
    now = timezone.now()
    episodes = Episode.objects.bulk_create(
        Episode(
            local_authority=la,
            district=district_list[i % districts],
            family=families[i],
            status=statuses[i % len(statuses)],
            stepped_up_at=now if statuses[i % len(statuses)] == Status.STEPPED_UP else None,
            status_before_step_up=(
                Status.PLAN if statuses[i % len(statuses)] == Status.STEPPED_UP else ""
            ),
            requested_by=practitioner,
            requesting_organisation=school,
            lead_professional=practitioner if i % 4 == 0 else None,
        )
        for i in range(total)
    )
    EpisodeChild.objects.bulk_create(
        EpisodeChild(episode=episodes[i], person=people[i * 3 + 1]) for i in range(total)
    )
    return la, district_list, school, ehos[0], practitioner, episodes[0], people[1]


def seed_history(la, districts, school, closed, extra_people, duplicates):
    """A council's past: `closed` closed cases of three-person families asked for
    by 50 other workers of 50 other organisations (one in twenty through the
    bench school's team), `extra_people` people on no case (an imported list),
    and `duplicates` open pairs, half among people on cases."""
    from datetime import datetime

    from accounts.models import Membership, Organisation, OrganisationType, Role, RoleGrant, User
    from episodes.models import ClosureReason, Episode, EpisodeChild, Status
    from matching.models import PossibleDuplicate
    from people.models import Family, FamilyMember, Person

    rng = random.Random(11)
    organisations = Organisation.objects.bulk_create(
        Organisation(local_authority=la, name=f"Org {n}", type=OrganisationType.SCHOOL)
        for n in range(50)
    )
    workers = []
    for n, organisation in enumerate(organisations):
        worker = User.objects.create_user(
            f"worker{n}@bench.example", "x" * 16, full_name=f"Worker {n}", local_authority=la
        )
        RoleGrant.objects.create(user=worker, role=Role.PRACTITIONER)
        Membership.objects.create(user=worker, organisation=organisation)
        workers.append((worker, organisation))
    families = Family.objects.bulk_create(
        Family(local_authority=la, name=f"Past family {i}") for i in range(closed)
    )
    people = Person.objects.bulk_create(
        Person(
            local_authority=la,
            first_name=f"Past{i % 991}",
            last_name=f"Old{i % 1493}",
            date_of_birth=date(2000, 1, 1) + timedelta(days=rng.randint(0, 8000)),
        )
        for i in range(closed * 3 + extra_people)
    )
    FamilyMember.objects.bulk_create(
        FamilyMember(family=families[i // 3], person=people[i], relationship="child")
        for i in range(closed * 3)
    )
    start = datetime(2015, 1, 1, tzinfo=UTC)
    episodes = Episode.objects.bulk_create(
        Episode(
            local_authority=la,
            district=districts[i % len(districts)],
            family=families[i],
            status=Status.CLOSED,
            closure_reason=ClosureReason.choices[0][0],
            requested_by=workers[i % len(workers)][0],
            requesting_organisation=workers[i % len(workers)][1],
            lead_professional=workers[(i + 1) % len(workers)][0],
            requested_at=start + timedelta(hours=i),
            closed_at=start + timedelta(hours=i, days=200),
        )
        for i in range(closed)
    )
    EpisodeChild.objects.bulk_create(
        EpisodeChild(episode=episodes[i], person=people[i * 3]) for i in range(closed)
    )
    Team = Episode.organisations.through
    Team.objects.bulk_create(
        Team(episode=episode, organisation=school if i % 20 == 0 else organisations[i % 50])
        for i, episode in enumerate(episodes)
    )
    on_case, on_no_case = people[: closed * 3], people[closed * 3 :]
    pairs = set()
    for n in range(duplicates):
        pool = on_case if n % 2 == 0 and len(on_case) > 1 else on_no_case
        if len(pool) < 2:
            continue
        a, b = sorted(rng.sample(range(len(pool)), 2))
        pairs.add((pool[a].pk, pool[b].pk))
    PossibleDuplicate.objects.bulk_create(
        PossibleDuplicate(local_authority=la, first_id=a, second_id=b, score=rng.random())
        for a, b in sorted(pairs)
    )


def seed_views(episode, viewers, count):
    from audit.models import Action
    from audit.services import record

    for n in range(count):
        record(Action.VIEW, actor=viewers[n % len(viewers)], obj=episode)


def timed(client, url, repeat, method="get", data=None):
    call = getattr(client, method)
    call(url, data) if data else call(url)  # warm caches
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = call(url, data) if data else call(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def signed_in_client(user):
    """A test client signed in with both factors, as the sign-in pages do."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=user, defaults={"confirmed": True})
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def main():
    args = parse()
    prepare_database(args.database_url)
    from django.db import connection

    started = time.perf_counter()
    la, districts, school, eho, practitioner, episode, person = seed(
        args.districts, args.cases_per_district
    )
    seed_history(la, districts, school, args.closed_cases, args.extra_people, args.duplicates)
    seed_views(episode, [eho, practitioner], args.views)
    # A live database has statistics; freshly bulk-loaded tables have none until
    # autovacuum gets to them, and the planner then guesses one row per table.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    seeded = time.perf_counter() - started
    results = []
    for label, user in (("EHO", eho), ("practitioner", practitioner)):
        client = signed_in_client(user)
        results.append((f"case list, {label}", *timed(client, "/cases/", args.repeat)))
        results.append((f"home with My cases, {label}", *timed(client, "/", args.repeat)))
    for label, user in (("EHO", eho), ("practitioner", practitioner)):
        client = signed_in_client(user)
        results.append(
            (f"closed list, {label}", *timed(client, "/cases/?status=closed", args.repeat))
        )
        results.append(
            (f"My cases list, {label}", *timed(client, "/cases/?status=mine", args.repeat))
        )
    client = signed_in_client(eho)
    results.append(("possible duplicates, EHO", *timed(client, "/people/duplicates/", args.repeat)))
    results.append(
        ("who viewed, EHO", *timed(client, f"/cases/{episode.pk}/access-log/", args.repeat))
    )
    results.append(("case page, EHO", *timed(client, f"/cases/{episode.pk}/", args.repeat)))
    client = signed_in_client(practitioner)
    search = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "date_of_birth-day": person.date_of_birth.day,
        "date_of_birth-month": person.date_of_birth.month,
        "date_of_birth-year": person.date_of_birth.year,
    }
    results.append(
        ("people search, practitioner", *timed(client, "/cases/new/", args.repeat, "post", search))
    )
    cases = args.districts * args.cases_per_district
    people = cases * 3 + args.closed_cases * 3 + args.extra_people
    print(
        f"database: {connection.vendor}; {cases} open and {args.closed_cases} closed cases, "
        f"{people} people, {args.duplicates} possible duplicates; "
        f"seeded in {seeded:.1f} s; {args.repeat} requests each"
    )
    print(f"{'page':34} {'median ms':>10} {'p95 ms':>8}")
    for label, median, p95 in results:
        print(f"{label:34} {median:10.1f} {p95:8.1f}")


if __name__ == "__main__":
    main()
