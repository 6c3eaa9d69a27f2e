"""Person matching, measured: our engine beside Splink on one synthetic
register and one set of queries, then speed against the database.

Parts (--parts, all by default):
- accuracy: register of --people, --queries queries, both engines; top
  match precision, recall, F1 and the twins/siblings/cousins matched, by
  kind of query, with examples of our engine's mistakes;
- single: one check (find_matches) against a register of --single-people,
  median and p95 over --single-samples queries, and Splink linking one
  record at a time on the same register (--splink-samples of them);
- batch: import_people of the --people register, then match_people of the
  --queries queries, both the real commands in a process of their own.

    .venv/bin/python -m bench.matching.run                 # SQLite file in the temp dir
    .venv/bin/python -m bench.matching.run --parts single,batch --splink-samples 0 \\
        --database-url postgres://postgres@127.0.0.1:5432/earlyhelp_bench
    .venv/bin/python -m bench.matching.run --quick         # small sizes, a minute or two

Figures: bench/README.md.
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from bench.matching import database, diagnosis, ours, report  # noqa: E402
from bench.matching.generator import write_files  # noqa: E402
from bench.matching.queries import generate_queries  # noqa: E402
from bench.matching.register import generate_register  # noqa: E402
from bench.matching.score import Top, score  # noqa: E402

TEMP = Path(tempfile.gettempdir())
SPLINK_THRESHOLDS = (0.5, 0.8, 0.9, 0.95, 0.99, 0.999)


def parse():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default=f"sqlite:///{TEMP / 'earlyhelp-matching.sqlite3'}"
    )
    parser.add_argument("--parts", default="accuracy,single,batch")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=5_000)
    parser.add_argument("--single-people", type=int, default=1_000_000)
    parser.add_argument("--single-samples", type=int, default=500)
    parser.add_argument("--splink-samples", type=int, default=5)
    parser.add_argument("--examples", type=int, default=8, help="failures shown per kind")
    parser.add_argument("--quick", action="store_true", help="small sizes, to try it out")
    parser.add_argument("--files", default=str(TEMP / "earlyhelp-matching-bench"))
    parser.add_argument("--results", help="also write the figures as JSON here")
    args = parser.parse_args()
    if args.quick:
        args.people, args.queries = 10_000, 1_000
        args.single_people, args.single_samples = 50_000, 100
        args.splink_samples = min(args.splink_samples, 3)
    args.parts = set(args.parts.split(","))
    return args


def say(text=""):
    print(text, flush=True)


def register_id(external_id):
    """R0000042 -> 42: the benchmark's register ids are the people's ids."""
    return int(external_id[1:])


# --- accuracy -----------------------------------------------------------------
def accuracy(args):
    from bench.matching import splink_anchor

    started = time.perf_counter()
    register = generate_register(args.seed, args.people)
    queries = generate_queries(register, args.seed, args.queries)
    say(f"## Accuracy: {args.queries:,} queries against {args.people:,} people (seed {args.seed})")
    generated = time.perf_counter() - started
    say(f"\nGenerated in {generated:.1f} s: {report.register_summary(register)}.")
    say("\n" + report.generator_table(register, queries))
    twins = frozenset(p.id for p in register.people if p.twin)

    ours_run = ours.run(register, queries)
    ours_scores = score(queries, ours_run.tops, twins)
    splink_run, *_ = splink_anchor.link_all(
        [(p.external_id, register.record(p)) for p in register.people],
        [(q.query_id, q.record()) for q in queries],
        seed=args.seed,
    )
    by_threshold = {
        t: score(queries, splink_run.tops(t, register_id), twins) for t in SPLINK_THRESHOLDS
    }
    best = max(by_threshold, key=lambda t: by_threshold[t].f1)
    ours_seconds = sum(ours_run.seconds.values())
    say(
        "\n"
        + report.accuracy_table(
            [
                ("ours (threshold 0.9)", ours_scores, ours_seconds),
                ("Splink (match probability ≥ 0.5)", by_threshold[0.5], splink_run.total_seconds),
                (f"Splink, best threshold in hindsight ({best})", by_threshold[best], None),
            ]
        )
    )
    say(
        f"\nOurs: index {ours_run.seconds['index']:.1f} s, match {ours_run.seconds['match']:.1f} s"
        f" (in memory). Splink: "
        + ", ".join(f"{k} {v:.1f} s" for k, v in splink_run.seconds.items())
        + ". Splink at each threshold (precision / recall / F1): "
        + "; ".join(
            f"{t}: {s.precision:.3f} / {s.recall:.3f} / {s.f1:.3f}" for t, s in by_threshold.items()
        )
    )
    say("\n" + report.breakdown_table({"ours": ours_scores, "Splink": by_threshold[0.5]}))
    say("\n### Registered people found when a field is written wrong\n")
    say(
        report.bad_field_table(
            {"ours": ours_scores, "Splink": by_threshold[0.5]},
            queries,
            {"ours": len(ours_run.refused), "Splink": 0},
        )
    )
    bad_count, bad_found = report.bad_field_recall(ours_scores, queries)
    _count, splink_bad_found = report.bad_field_recall(by_threshold[0.5], queries)
    say("\n### Registered people found, by the number of mistakes in the query\n")
    say(report.mistakes_table({"ours": ours_scores, "Splink": by_threshold[0.5]}, queries))
    harsh_results = harsh(args, register, twins)
    say("\n### Our engine's misses: never a candidate, or scored too low\n")
    say(diagnosis.miss_causes(ours_run, ours_scores))
    say(f"\n### Our engine's wrong answers ({len(ours_scores.failures)} queries), by kind")
    say(diagnosis.examples(register, ours_run, ours_scores, args.examples))
    return {
        "register": report.register_summary(register),
        "ours": summary(ours_scores, ours_seconds),
        "splink": summary(by_threshold[0.5], splink_run.total_seconds),
        "splink_seconds": splink_run.seconds,
        "splink_best": {"threshold": best, **summary(by_threshold[best])},
        "ours_seconds": ours_run.seconds,
        "harsh": harsh_results,
        "bad_fields": {
            "queries": bad_count,
            "ours_recall": round(bad_found / bad_count, 4) if bad_count else None,
            "splink_recall": round(splink_bad_found / bad_count, 4) if bad_count else None,
            "ours_refused": len(ours_run.refused),
        },
    }


def harsh(args, register, twins):
    """The same register, queries with twice the share of two and three
    mistakes: how both engines fall off when records are worse."""
    from bench.matching import splink_anchor
    from bench.matching.queries import HARSH_ERRORS_PER_TRUE_QUERY

    queries = generate_queries(register, args.seed, args.queries, HARSH_ERRORS_PER_TRUE_QUERY)
    mix = ", ".join(f"{n}: {share:.0%}" for n, share in HARSH_ERRORS_PER_TRUE_QUERY.items())
    say(f"\n### Harsher records (mistakes per registered person's query {mix})\n")
    ours_scores = score(queries, ours.run(register, queries).tops, twins)
    splink_run, *_ = splink_anchor.link_all(
        [(p.external_id, register.record(p)) for p in register.people],
        [(q.query_id, q.record()) for q in queries],
        seed=args.seed,
    )
    splink_scores = score(queries, splink_run.tops(0.5, register_id), twins)
    say(
        report.accuracy_table(
            [("ours (threshold 0.9)", ours_scores, None), ("Splink (≥ 0.5)", splink_scores, None)]
        )
    )
    say("\n" + report.mistakes_table({"ours": ours_scores, "Splink": splink_scores}, queries))
    return {"ours": summary(ours_scores), "splink": summary(splink_scores)}


def summary(scores, seconds=None):
    return {
        "precision": round(scores.precision, 4),
        "recall": round(scores.recall, 4),
        "f1": round(scores.f1, 4),
        "relatives_matched": round(scores.relatives_rate, 4),
        "seconds": round(seconds, 2) if seconds is not None else None,
    }


# --- single checks ---------------------------------------------------------
def single(args):
    from bench.matching import splink_anchor

    size = args.single_people
    council = database.recreate(args.database_url)
    from django.db import connection

    say(f"\n## One check against {size:,} people ({connection.vendor})")
    started = time.perf_counter()
    register = generate_register(args.seed, size)
    generated = time.perf_counter()
    database.load_register(register, council)
    loaded = time.perf_counter()
    queries = generate_queries(register, args.seed + 1, args.single_samples)
    seconds, tops = database.time_single_checks(council, queries, ours.query_details_from)
    median, p95 = database.percentiles(seconds)
    scores = score(queries, tops)
    say(
        f"Generated in {generated - started:.0f} s, loaded with match keys in "
        f"{loaded - generated:.0f} s. find_matches over {len(queries)} queries of every kind: "
        f"median {median:.1f} ms, p95 {p95:.1f} ms, max {max(seconds) * 1000:.1f} ms. "
        f"Accuracy on them: precision {scores.precision:.4f}, recall {scores.recall:.4f}, "
        f"relatives matched {report.percent(scores.relatives_rate)}."
    )
    result = {
        "database": connection.vendor,
        "people": size,
        "median_ms": round(median, 1),
        "p95_ms": round(p95, 1),
        "load_seconds": round(loaded - generated, 1),
        **summary(scores),
    }
    if args.splink_samples:
        run, linker, db, register_table = splink_anchor.link_all(
            [(p.external_id, register.record(p)) for p in register.people],
            [(q.query_id, q.record()) for q in queries],
            seed=args.seed,
        )
        one = splink_anchor.time_one_at_a_time(
            linker,
            db,
            register_table,
            [(q.query_id, q.record()) for q in queries[: args.splink_samples]],
        )
        splink_median, splink_p95 = database.percentiles(one)
        say(
            f"Splink, one record at a time (predict_between, model trained on this register "
            f"in {run.total_seconds:.0f} s): {len(one)} samples, median {splink_median:.0f} ms, "
            f"slowest {max(one) * 1000:.0f} ms."
        )
        result["splink_one_ms"] = [round(s * 1000) for s in one]
    return result


# --- batch -------------------------------------------------------------------
def command(env, *arguments):
    """Run an earlyhelp command in a process of its own; seconds it took."""
    earlyhelp = Path(sys.executable).parent / "earlyhelp"
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603  (our own command, arguments we made)
        [str(earlyhelp), *arguments], env=env, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"earlyhelp {arguments[0]} failed:\n{done.stdout}\n{done.stderr}")
    return elapsed, done.stdout.strip()


def read_tops(path):
    """match_people's output: the first row of each query is its best match
    (a row with no external_id is a query's warnings, with no match)."""
    tops = {}
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["query_id"] not in tops and row["external_id"]:
                tops[row["query_id"]] = Top(register_id(row["external_id"]), float(row["score"]))
    return tops


def batch(args, splink_seconds=None):
    council = database.recreate(args.database_url)
    from django.db import connection, connections

    vendor = connection.vendor
    connections.close_all()  # the commands below have the database to themselves
    say(f"\n## Import and match_people ({vendor}, {os.cpu_count()} cores)")
    register = generate_register(args.seed, args.people)
    queries = generate_queries(register, args.seed, args.queries)
    files = write_files(register, queries, args.files)
    env = dict(os.environ)  # setup_django put the benchmark's settings there
    imported, said = command(
        env, "import_people", str(files / "register.csv"), "--la", council.slug
    )
    say(f"import_people of {args.people:,} rows: {imported:.1f} s ({said})")
    out = files / "matches.csv"
    matched, said = command(
        env, "match_people", str(files / "queries.csv"), "--la", council.slug, "--out", str(out)
    )
    scores = score(queries, read_tops(out))
    say(
        f"match_people of {args.queries:,} queries against {args.people:,} people: {matched:.1f} s "
        f"({said}); precision {scores.precision:.4f}, recall {scores.recall:.4f}, "
        f"relatives matched {report.percent(scores.relatives_rate)}"
    )
    if splink_seconds is None:
        from bench.matching import splink_anchor

        run, *_ = splink_anchor.link_all(
            [(p.external_id, register.record(p)) for p in register.people],
            [(q.query_id, q.record()) for q in queries],
            seed=args.seed,
        )
        splink_seconds = run.total_seconds
    say(f"Splink end to end (load, estimate, link) on the same data: {splink_seconds:.1f} s")
    return {
        "database": vendor,
        "import_seconds": round(imported, 1),
        "match_people_seconds": round(matched, 1),
        "splink_seconds": round(splink_seconds, 1),
        **summary(scores),
    }


def main():
    args = parse()
    database.setup_django(args.database_url)
    results = {"seed": args.seed, "cores": os.cpu_count()}
    if "accuracy" in args.parts:
        results["accuracy"] = accuracy(args)
    if "single" in args.parts:
        results["single"] = single(args)
    if "batch" in args.parts:
        splink_seconds = results.get("accuracy", {}).get("splink", {}).get("seconds")
        results["batch"] = batch(args, splink_seconds)
    if args.results:
        Path(args.results).write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
