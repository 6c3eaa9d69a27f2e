"""Splink 5 (DuckDB) on the same register and queries: the anchor.

A standard unsupervised model, as Splink's own tutorials build one:
- link_only, register against queries;
- comparisons: first name and surname (NameComparison: exact with term
  frequencies, then Jaro-Winkler 0.92 / 0.88 / 0.7), date of birth
  (DateOfBirthComparison: exact, one character, within a month, a year, ten
  years), postcode (PostcodeComparison: full, sector, district, area), NHS
  number and sex (exact);
- blocking: same date of birth, or surname and first initial, or postcode,
  or NHS number;
- training: the chance two random records match from two deterministic
  rules (NHS number; first name, surname and date of birth) at an assumed
  recall of 0.7, u by random sampling (10 million pairs), m by expectation
  maximisation twice, blocked on first name and surname, then on date of
  birth;
- the answer for a query is its most probable candidate at a match
  probability of 0.5 or more (match weight above 0: more likely a match
  than not), Splink's natural threshold.

Names are lower-cased and trimmed first, as the tutorials do; nothing else is
cleaned. Middle names and parents' names are not used: the standard model
has no comparison for them.
"""

import logging
import time
from dataclasses import dataclass, field

import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

from .score import Top

THRESHOLD = 0.5
# Candidates below this are not kept: far below any threshold worth trying.
FLOOR = 0.01


def splink_record(unique_id, record):
    """A row as Splink reads it, from a register or query CSV row."""

    def text(column, lower=False):
        value = (record.get(column) or "").strip()
        return (value.lower() if lower else value) or None

    return {
        "unique_id": unique_id,
        "first_name": text("first_name", lower=True),
        "surname": text("last_name", lower=True),
        "dob": text("date_of_birth"),
        "postcode": text("postcode"),
        "nhs_number": text("nhs_number"),
        "sex": text("sex"),
    }


def settings():
    return SettingsCreator(
        link_type="link_only",
        comparisons=[
            cl.NameComparison("first_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.PostcodeComparison("postcode"),
            cl.ExactMatch("nhs_number"),
            cl.ExactMatch("sex"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("dob"),
            block_on("surname", "substr(first_name, 1, 1)"),
            block_on("postcode"),
            block_on("nhs_number"),
        ],
    )


def train(linker, seed):
    training = linker.training
    training.estimate_probability_two_random_records_match(
        [block_on("nhs_number"), block_on("first_name", "surname", "dob")], recall=0.7
    )
    training.estimate_u_using_random_sampling(max_pairs=1e7, seed=seed)
    training.estimate_parameters_using_expectation_maximisation(block_on("first_name", "surname"))
    training.estimate_parameters_using_expectation_maximisation(block_on("dob"))


@dataclass
class SplinkRun:
    # query id -> (register unique id, match probability) of its best candidate
    best: dict
    seconds: dict = field(default_factory=dict)  # load, estimate, link

    @property
    def total_seconds(self):
        return sum(self.seconds.values())

    def tops(self, threshold=THRESHOLD, person_id=int):
        """{query id: Top} for the queries whose best candidate is at the threshold."""
        return {
            query_id: Top(person_id(unique_id), probability)
            for query_id, (unique_id, probability) in self.best.items()
            if probability >= threshold
        }


def _best_per_query(predictions):
    """Each query's most probable register record. Splink may put either
    table on the left of a pair, so both orientations are read."""
    relation = predictions.as_duckdbpyrelation()
    rows = relation.project(
        "source_dataset_l, unique_id_l, unique_id_r, match_probability"
    ).fetchall()
    best = {}
    for source_left, left, right, probability in rows:
        query_id, register_id = (left, right) if source_left == "queries" else (right, left)
        if probability > best.get(query_id, (None, -1.0))[1]:
            best[query_id] = (register_id, probability)
    return best


def link_all(register_rows, query_rows, seed=1):
    """Load, estimate and link, timed. Rows: (unique id, CSV row dict)."""
    started = time.perf_counter()
    db = DuckDBAPI()
    register = db.register(
        [splink_record(uid, row) for uid, row in register_rows], dataset_display_name="register"
    )
    queries = db.register(
        [splink_record(uid, row) for uid, row in query_rows], dataset_display_name="queries"
    )
    linker = Linker([register, queries], settings(), log_level=logging.ERROR)
    loaded = time.perf_counter()
    train(linker, seed)
    estimated = time.perf_counter()
    best = _best_per_query(linker.inference.predict(threshold_match_probability=FLOOR))
    linked = time.perf_counter()
    run = SplinkRun(
        best,
        {"load": loaded - started, "estimate": estimated - loaded, "link": linked - estimated},
    )
    return run, linker, db, register


def time_one_at_a_time(linker, db, register, query_rows):
    """Seconds to link each query alone against the register with a trained
    model (predict_between, Splink's way to link new records), best found."""
    linker.table_management.compute_tf_table("first_name")
    linker.table_management.compute_tf_table("surname")
    seconds = []
    for n, (uid, row) in enumerate(query_rows):
        started = time.perf_counter()
        one = db.register([splink_record(uid, row)], table_name=f"one_query_{n}")
        predictions = linker.inference.predict_between(register, one, warning_mode="never")
        predictions.as_duckdbpyrelation().order("match_probability desc").limit(1).fetchall()
        seconds.append(time.perf_counter() - started)
        predictions.drop_table_from_database_and_remove_from_cache()
    return seconds
