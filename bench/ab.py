"""Two states of the service compared in one process, page by page, alternately.

On a shared machine the same page can cost half as much again from one
minute to the next, so two runs of `page_cpu.py` an hour apart cannot show a
change of a tenth. This asks each key page N times in each state, switching
state before every request (A B, B A, A B...), and reports the fastest and
the median of each: the neighbours slow both alike.

A state is switched by a module with `on()` and `off()` (for example
`bench.variant_route_indexes`, which drops and builds the indexes of the
ways to a case). `--clock cpu` (default) times this process's CPU, as
page_cpu does; `--clock wall` the wall clock, so the database's time counts.

    .venv/bin/python -m bench.ab --variant bench.variant_route_indexes --clock wall \\
        --personas "busy practitioner" --database-url postgres://.../h_pagespeed_300k
"""

import argparse
import importlib
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import council, pages  # noqa: E402
from bench.page_cpu import ask, set_up_in_process, signed_in_client  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=council.DEFAULT_URL)
    parser.add_argument("--variant", required=True, help="a module with on() and off()")
    parser.add_argument("--repeat", type=int, default=15, help="requests a page in each state")
    parser.add_argument("--pages", default="")
    parser.add_argument("--personas", default="", help="comma-separated: EHO,manager,...")
    parser.add_argument("--clock", choices=("cpu", "wall"), default="cpu")
    args = parser.parse_args()
    set_up_in_process(args.database_url)
    variant = importlib.import_module(args.variant)
    clock = time.thread_time if args.clock == "cpu" else time.perf_counter
    signing_in, (case_id, person) = pages.personas()
    wanted = [p.strip() for p in args.personas.split(",") if p.strip()]
    print(f"{args.variant}, {args.clock} ms: off, then on")
    print("| persona | page | fastest | fastest | median | median | median on ÷ off |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    try:
        for persona, email in signing_in:
            if wanted and persona not in wanted:
                continue
            client = signed_in_client(email)
            for label, *page in pages.chosen(pages.key_pages(case_id, person), args.pages):
                taken = {"off": [], "on": []}
                for round_ in range(args.repeat):
                    for state in ("on", "off") if round_ % 2 else ("off", "on"):
                        getattr(variant, state)()
                        ask(client, *page)  # the first request after a switch is not timed
                        started = clock()
                        ask(client, *page)
                        taken[state].append((clock() - started) * 1000)
                off, on = taken["off"], taken["on"]
                print(
                    f"| {persona} | {label} | {min(off):.1f} | {min(on):.1f} "
                    f"| {statistics.median(off):.1f} | {statistics.median(on):.1f} "
                    f"| {statistics.median(on) / statistics.median(off):.2f} |",
                    flush=True,
                )
    finally:
        variant.on()  # leave the database as the migrations made it


if __name__ == "__main__":
    main()
