"""How fast the pages an Early Help Officer lives in answer at realistic size.

Seeds one council with DISTRICTS districts of CASES_PER_DISTRICT open cases
each (a district's EHO sees ~300; one in six stepped up to children's social
care, whose decision the EHO owes), families of three, then times, through
Django's test client (the whole request: middleware, policy, queries,
templates), the case list, the home page with the work owed and "My cases",
a case page and the people search. Run it on each database:

    .venv/bin/python bench/case_lists.py                      # SQLite file in /tmp
    .venv/bin/python bench/case_lists.py --database-url postgres://postgres@127.0.0.1:5432/earlyhelp_bench

Figures: bench/README.md.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def parse():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="sqlite:////tmp/earlyhelp-bench.sqlite3")
    parser.add_argument("--districts", type=int, default=10)
    parser.add_argument("--cases-per-district", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=40)
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
    return ehos[0], practitioner, episodes[0], people[1]


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
    eho, practitioner, episode, person = seed(args.districts, args.cases_per_district)
    seeded = time.perf_counter() - started
    results = []
    for label, user in (("EHO", eho), ("practitioner", practitioner)):
        client = signed_in_client(user)
        results.append((f"case list, {label}", *timed(client, "/cases/", args.repeat)))
        results.append((f"home with My cases, {label}", *timed(client, "/", args.repeat)))
    client = signed_in_client(eho)
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
    print(
        f"database: {connection.vendor}; {cases} open cases, {cases * 3} people; "
        f"seeded in {seeded:.1f} s; {args.repeat} requests each"
    )
    print(f"{'page':34} {'median ms':>10} {'p95 ms':>8}")
    for label, median, p95 in results:
        print(f"{label:34} {median:10.1f} {p95:8.1f}")


if __name__ == "__main__":
    main()
