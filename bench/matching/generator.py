"""A seeded generator of synthetic registers and of queries against them.

The register is built household by household (one or two parents or carers
and one to five children, twins and now and then triplets among them, some
unborn), in fictional postcodes (areas ZA, ZB... which do not exist) shared
by neighbours and clustered by community. Every NHS number is in the 999
range kept for testing, every UPN uses the non-existent council number 999.

The register is made in register.py, the queries in queries.py (their
rates are the constants at the top of each); this module writes them out
as CSV files in the columns import_people and match_people read, with the
truth beside them.

Queries are of two sorts, each knowing its truth:
- a person in the register, written with 0 to 3 of the mistakes in
  mistakes.py (queries.ERROR_KINDS; rates in bench/README.md);
- someone who is not in the register: the twin or a sibling of a registered
  child (same surname, address, parents, and for a twin birthday), a cousin
  (same surname, nearby, similar age, sometimes the same first name) or an
  unrelated person with common names.

Pure Python and deterministic for a seed: the same seed gives the same
register and queries on any machine.

    .venv/bin/python -m bench.matching.generator --seed 1 --people 100000 --queries 5000 --out DIR
"""

import argparse
import csv
import tempfile
from pathlib import Path

from .queries import generate_queries
from .register import generate_register

__all__ = ["generate_queries", "generate_register", "write_files"]

# --- files ----------------------------------------------------------------
REGISTER_COLUMNS = (
    "external_id",
    "first_name",
    "last_name",
    "date_of_birth",
    "sex",
    "postcode",
    "nhs_number",
    "upn",
    "parent_name",
)
QUERY_COLUMNS = ("query_id", *REGISTER_COLUMNS[1:])
TRUTH_COLUMNS = ("query_id", "kind", "truth", "related_to", "errors")


def write_csv(path, columns, rows):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def write_files(register, queries, directory):
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    write_csv(directory / "register.csv", REGISTER_COLUMNS, map(register.record, register.people))
    write_csv(directory / "queries.csv", QUERY_COLUMNS, (q.record() for q in queries))
    write_csv(
        directory / "truth.csv",
        TRUTH_COLUMNS,
        (
            {
                "query_id": q.query_id,
                "kind": q.kind,
                "truth": f"R{q.truth:07d}" if q.truth else "",
                "related_to": f"R{q.related_to:07d}" if q.related_to else "",
                "errors": " ".join(q.errors),
            }
            for q in queries
        ),
    )
    return directory


def main():
    parser = argparse.ArgumentParser(description="Write a synthetic register and queries as CSV.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=5_000)
    parser.add_argument(
        "--out", default=str(Path(tempfile.gettempdir()) / "earlyhelp-matching-bench")
    )
    args = parser.parse_args()
    register = generate_register(args.seed, args.people)
    queries = generate_queries(register, args.seed, args.queries)
    print(f"Written to {write_files(register, queries, args.out)}")


if __name__ == "__main__":
    main()
