"""The cell key method (reporting/cellkey.py): the noise on published counts
is a fixed function of the records counted, stays within the table's
bounds, never publishes 1 to 4, and stops two reports for overlapping
periods from being differenced to one family."""

from collections import Counter
from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from episodes.models import Episode, EpisodeNeed
from reporting.cellkey import CAP, KEYS, NOISE, PTABLE, noise, perturb
from reporting.definitions import Period
from reporting.disclosure import THRESHOLD, Cell, Line, protect
from reporting.report import build, flat_rows
from reporting.sql import RecordKey, record_key
from tests.reporting.world import END, START, World

SALTS = 30


def _possible(true):
    """Every figure the table can publish for a true count shown."""
    return {true + n for n in PTABLE[min(true, CAP)]}


def _differences_that_fit(a, b):
    """The true differences (0 to 2 * NOISE + 2 families) with which two
    published counts of 5 or more agree: some true count t gives b, and t
    plus the difference gives a."""
    ts = range(THRESHOLD + 1, max(a, b) + NOISE + 1)
    return {
        d
        for d in range(2 * NOISE + 3)
        if any(b in _possible(t) and a in _possible(t + d) for t in ts)
    }


def test_the_table_is_fair_small_and_never_publishes_a_small_count():
    for count in [0, *range(THRESHOLD + 1, CAP + 5)]:
        row = PTABLE[min(count, CAP)]
        assert len(row) == KEYS
        assert sum(row) == 0  # zero mean over the (uniform) cell keys
        assert all(abs(n) <= NOISE for n in row)
        published = {count + n for n in row}
        assert not published & set(range(1, THRESHOLD + 1))
    assert set(PTABLE[0]) == {0}  # no family: nothing to perturb
    assert set(PTABLE[CAP]) == set(range(-NOISE, NOISE + 1))


def test_one_family_more_shows_its_difference_in_a_minority_of_cell_keys():
    """Exactly, over every pair of cell keys: the key of the count with one
    family more is that of the other plus the family's key, so for each key
    of the smaller count every key of the larger one is as likely. How often
    is the published difference the true 1, and does the published pair also
    fit another difference?"""
    for true in range(THRESHOLD + 1, CAP + 4):
        larger, smaller = Counter(PTABLE[min(true + 1, CAP)]), Counter(PTABLE[min(true, CAP)])
        shown_as_one = fits_none = 0
        for n_a, keys_a in larger.items():
            for n_b, keys_b in smaller.items():
                a, b = true + 1 + n_a, true + n_b
                fits = _differences_that_fit(a, b)
                assert 1 in fits and len(fits) > 1  # never isolates one family
                shown_as_one += keys_a * keys_b * (a - b == 1)
                fits_none += keys_a * keys_b * (0 in fits)
        assert shown_as_one / KEYS**2 < 0.4
        assert fits_none / KEYS**2 > 0.98  # "no family" fits all but 1 in 100


def test_record_keys_in_sql_are_those_of_python(db):
    world = World()
    table = Episode._meta.db_table
    keyed = Episode.objects.filter(local_authority=world.la).annotate(
        k=RecordKey(world.la.report_key_salt, table)
    )
    keys = {pk: k for pk, k in keyed.values_list("pk", "k")}
    assert keys == {pk: record_key(world.la.report_key_salt, table, pk) for pk in keys}
    assert len(set(keys.values())) > len(keys) // 2  # not one key for all


def test_the_same_records_always_get_the_same_figures(db):
    world = World()
    report = build(world.la, Period(START, END))
    again = build(world.la, Period(START, END))
    assert flat_rows(report) == flat_rows(again)
    assert any(cell.noise for cell in report.all_cells)
    # From 15 April the step-down of 10 April is left out; every council
    # total of these figures counts the very same records, so it is
    # published the same.
    later = build(world.la, Period(START + timedelta(days=14), END))
    figures = {"assessments_started", "assessments_completed", "plans_agreed", "reviews"}
    totals = {c.key: c for c in later.all_cells if c.key[0] in figures and c.key[2] == "*"}
    assert totals
    for cell in report.all_cells:
        if cell.key in totals:
            assert (cell.value, cell.shown) == (totals[cell.key].value, totals[cell.key].shown)


def test_no_published_count_is_small_and_zero_stays_zero(db):
    report = build(World().la, Period(START, END))
    for cell in report.all_cells:
        if cell.suppressed:
            assert cell.noise == 0
        else:
            assert cell.published not in range(1, THRESHOLD + 1)
            assert abs(cell.noise) <= NOISE
            assert (cell.value == 0) == (cell.published == 0)


def test_two_reports_a_day_apart_do_not_isolate_the_family_of_that_day(db):
    """One more family asked for help (and consented) on 1 April: a year
    from 1 April and one from 2 April differ by that family alone in its
    requests, assessments started and needs. Over many councils' salts, the
    published difference of the cells shown in both is 1 in a minority of
    cases, and every published pair fits another difference too."""
    world = World()
    family_case = world.case(
        world.north,
        world.school,
        "professional",
        START,
        consent_given_at=START,
        status="assessment",
    )
    EpisodeNeed.objects.create(episode=family_case, need="attendance")
    outcomes: Counter[str] = Counter()
    for salt in range(SALTS):
        world.la.report_key_salt = f"synthetic salt {salt}"
        year = build(world.la, Period(START, END))
        shifted = {c.key: c for c in build(world.la, Period(START + timedelta(1), END)).all_cells}
        pairs = [
            (cell, shifted[cell.key])
            for cell in year.all_cells
            if cell.key in shifted
            and cell.value - shifted[cell.key].value == 1
            and not cell.suppressed
            and not shifted[cell.key].suppressed
        ]
        assert {cell.key[0] for cell, _ in pairs} >= {"requests", "assessments_started"}
        for cell, other in pairs:
            fits = _differences_that_fit(cell.published, other.published)
            assert 1 in fits and len(fits) > 1
            outcomes["pairs"] += 1
            outcomes["shown as 1"] += cell.published - other.published == 1
    assert outcomes["pairs"] >= SALTS * 4
    assert outcomes["shown as 1"] / outcomes["pairs"] < 0.5
    assert outcomes["shown as 1"] > 0  # the noise is not a fixed shift either


@given(
    rows=st.lists(
        st.lists(st.integers(0, 12), min_size=2, max_size=4), min_size=1, max_size=3
    ).filter(lambda rows: len({len(r) for r in rows}) == 1),
    keys=st.lists(st.integers(0, KEYS - 1), min_size=15, max_size=15),
)
def test_any_table_publishes_no_small_count_and_keeps_zero(rows, keys):
    cells = [Cell((r, c), v) for r, row in enumerate(rows) for c, v in enumerate(row)]
    totals = [Cell((r, "total"), sum(row)) for r, row in enumerate(rows)]
    for cell, key in zip(cells + totals, keys, strict=False):
        cell.record_keys = key
    everything = cells + totals
    protect(everything, [Line(t, [c for c in cells if c.key[0] == t.key[0]]) for t in totals])
    perturb(everything)
    for cell in everything:
        if cell.suppressed:
            assert cell.noise == 0
        else:
            assert cell.published == 0 or cell.published > THRESHOLD
            assert (cell.published == 0) == (cell.value == 0)
            assert abs(cell.noise) <= NOISE
            assert cell.noise == noise(cell.value, cell.record_keys)
