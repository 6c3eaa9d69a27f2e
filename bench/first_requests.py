"""What a new server process's first requests cost, against its later ones.

Starts as a web server process does (earlyhelp/server_process.py settles the
loaded application: `--as-before` skips what it loads up front, the
templates, translations and URL names, to see what that saves), signs in as
one persona and asks each key page three times, printing each time in ms.
The first request of the first page also pays for what the test client sets
up once (its middleware), which gunicorn does when it starts.

    .venv/bin/python -m bench.first_requests --database-url postgres://.../h_pagespeed_300k
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import council, pages  # noqa: E402
from bench.page_cpu import ask, set_up_in_process, signed_in_client  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=council.DEFAULT_URL)
    parser.add_argument("--persona", default="EHO")
    parser.add_argument(
        "--as-before",
        action="store_true",
        help="do not load templates, translations and URL names before the first request",
    )
    args = parser.parse_args()
    set_up_in_process(args.database_url, settle=False)
    from earlyhelp import server_process

    if args.as_before:
        from django.urls import get_resolver

        # Only the URL configuration (every view module), as it was.
        server_process.load_what_first_requests_load = lambda: get_resolver().url_patterns
    signing_in, (case_id, person) = pages.personas()
    client = signed_in_client(dict(signing_in)[args.persona])
    server_process.settle_loaded_application()
    print(f"{args.persona}{' (as before)' if args.as_before else ''}: ms, first to third")
    for label, *page in pages.key_pages(case_id, person):
        taken = []
        for _ in range(3):
            started = time.perf_counter()
            ask(client, *page)
            taken.append((time.perf_counter() - started) * 1000)
        print(f"{label:34} " + " ".join(f"{ms:6.1f}" for ms in taken), flush=True)


if __name__ == "__main__":
    main()
