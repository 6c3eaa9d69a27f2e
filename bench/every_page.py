"""Every page of the service, timed at council scale: the slowest first.

`pages.py` measures the key pages closely; this looks for the page nobody
thought of. It fills every route of the URL configuration whose arguments
it can name from the long-history case (its records, its family, a child
of it and that child's own pages, its district and school, an alert, an
open pair of possible duplicates), asks each as the EHO, the manager and the busy practitioner
through Django's test client, and prints the slowest HTML pages with their
ratio to the accessibility statement (the layout alone). A page a persona
may not open (403, 404) or that is a download is left out.

    .venv/bin/python -m bench.every_page --database-url postgres://.../h_pagespeed_300k --top 30
"""

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import council, pages  # noqa: E402
from bench.page_cpu import set_up_in_process, signed_in_client  # noqa: E402

LAYOUT = "/accessibility/"
# Routes under these are the admin site, the partner API and files.
LEFT_OUT = ("admin/", "api/", "static/", "media/")
ARGUMENT = re.compile(r"([\w-]+)/<(?:\w+:)?(\w+)>")


def fill(route, ids, person_id):
    """`route` as a path, each argument named by the segment before it (or a
    person's), or None when one cannot be named."""
    path = route
    for match in ARGUMENT.finditer(route):
        segment, argument = match.groups()
        if argument == "person_pk":
            value = person_id
        elif segment in ids:
            value = ids[segment]
        else:
            return None
        path = path.replace(match.group(0), f"{segment}/{value}", 1)
    if "<" in path or "(?P" in path:
        return None
    return "/" + path


def known_ids(case):
    """What each path segment's argument is, from the long-history case."""
    from matching.models import PossibleDuplicate
    from oversight.models import Alert
    from plans.models import Action

    plan = case.plans.order_by("number").first()
    first = {
        "meetings": case.meetings.first(),
        "reviews": case.reviews.first(),
        "notes": case.case_notes.first(),
        "consent": case.consents.first(),
        "actions": Action.objects.filter(goal__plan=plan).first(),
        "worklist": Alert.objects.filter(episode__district=case.district).first(),
        "duplicates": PossibleDuplicate.objects.filter(status="open").first(),
    }
    ids = {segment: record.pk for segment, record in first.items() if record is not None}
    ids.update(
        cases=case.pk,
        families=case.family_id,
        districts=case.district_id,
        schools=case.requesting_organisation_id,
        assessment="family-story",
    )
    if plan is not None:
        ids.update(plans=plan.pk, versions=plan.number)
    return ids


def paths(case, person_id):
    from tests.authorization_table import url_patterns

    ids = {**known_ids(case), "people": person_id}
    found = {
        fill(pattern.route, ids, person_id)
        for pattern in url_patterns()
        if not pattern.route.startswith(LEFT_OUT)
    }
    return sorted(path for path in found if path)


def timed(client, path, repeat):
    """The median ms of `repeat` asks, or None if it is not an HTML page."""
    response = client.get(path)
    if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
        return None
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=council.DEFAULT_URL)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    set_up_in_process(args.database_url)
    from episodes.models import Episode

    signing_in, (case_id, person) = pages.personas()
    pages.scheduled_work()
    every = paths(Episode.objects.get(pk=case_id), person.pk)
    results = []
    for persona, email in signing_in:
        client = signed_in_client(email)
        layout = timed(client, LAYOUT, args.repeat)
        for path in every:
            ms = timed(client, path, args.repeat)
            if ms is not None:
                results.append((ms, ms / layout, persona, path))
    results.sort(reverse=True)
    print(f"{len(every)} paths; {len(results)} pages a persona may open\n")
    print("| ms | × layout | persona | page |\n| ---: | ---: | --- | --- |")
    for ms, ratio, persona, path in results[: args.top]:
        print(f"| {ms:.1f} | {ratio:.1f} | {persona} | `{path}` |")


if __name__ == "__main__":
    main()
