"""Every figure of the partnership report on the fixed synthetic council of
tests/reporting/world.py, worked out by hand (the reasoning is beside each
table), suppressed cells included. These are the true counts: what is
published adds the cell key method's noise (tests/reporting/test_cellkey.py)."""

import pytest

from reporting.definitions import FIGURES, Period
from reporting.disclosure import SUPPRESSED, determined
from reporting.report import build, flat_rows
from tests.reporting.world import END, START, World

C = "[c]"
N = "North"
M = "Smaller districts combined (East, South)"
ALL = "All of the council"
S = "School"
OTHER = (
    "Other organisation types combined (GP practice, Housing, Children's social care, Not recorded)"
)

# figure -> breakdown -> rows: (group, cells..., [row total]): true counts, [c] if hidden.
EXPECTED = {
    # North: 12 professional (school) + 3 parent (GP); South 6 professional
    # (school) + 2 young person (housing); East 1 step-down (social care).
    # South (8) and East (1) have fewer than 10 requests: merged. GP, housing
    # and social care (and "not recorded", from an advice call) likewise.
    # Primary: the 3, 2 and 1s. North's row then had one hidden cell (the 3):
    # its 12 went too, then the professional column had one (the 12): the 6.
    "requests": {
        "district": [
            (N, C, C, "0", "0", "15"),
            (M, C, "0", C, C, "9"),
            (ALL, "18", C, C, C, "24"),
        ],
        "organisation_type": [
            (S, "18", "0", "0", "0", "18"),
            (OTHER, "0", C, C, C, "6"),
            (ALL, "18", C, C, C, "24"),
        ],
    },
    "step_downs": {
        "district": [(N, "0"), (M, C), (ALL, C)],
        "organisation_type": [(S, "0"), (OTHER, C), (ALL, C)],
    },
    # The F1 family's case closed on 1 Feb 2025; asked again on 1 May 2025.
    "re_requests": {
        "district": [(N, C), (M, "0"), (ALL, C)],
        "organisation_type": [(S, C), (OTHER, "0"), (ALL, C)],
    },
    "assessments_started": {
        "district": [(N, "12"), (M, "6"), (ALL, "18")],
        "organisation_type": [(S, "18"), (OTHER, "0"), (ALL, "18")],
    },
    "assessments_completed": {
        "district": [(N, "10"), (M, "0"), (ALL, "10")],
        "organisation_type": [(S, "10"), (OTHER, "0"), (ALL, "10")],
    },
    # 8 held; the cancelled one is left out.
    "meetings_held": {
        "district": [(N, "8"), (M, "0"), (ALL, "8")],
        "organisation_type": [(S, "8"), (OTHER, "0"), (ALL, "8")],
    },
    "plans_agreed": {
        "district": [(N, "8"), (M, "0"), (ALL, "8")],
        "organisation_type": [(S, "8"), (OTHER, "0"), (ALL, "8")],
    },
    # First reviews 50 days after the plan (6, on time) or 60 (2, late);
    # 3 second reviews 70 days after the first (late): 6 of 11 on time.
    "reviews": {
        "district": [(N, "6", "5", "11"), (M, "0", "0", "0"), (ALL, "6", "5", "11")],
        "organisation_type": [(S, "6", "5", "11"), (OTHER, "0", "0", "0"), (ALL, "6", "5", "11")],
    },
    # At 31 March 2026. North: GP 3 requested; school 2 assessment, 2
    # meeting, 5 plan (3 closed). South: school 5 assessment (1 closed);
    # housing 1 requested (1 closed). East: 1 requested.
    # Primary: North's 3, 2, 2, the merged 2, the council's and the school's
    # meeting 2. Then, line by line: the merged 5 (assessment column); the
    # council's 5 requested (its row); the other types' 5 requested (that
    # column); the school's 5 plans (its row); the other types' total; the
    # council's plans and so North's (the plan columns); the school's total.
    "open_at_end": {
        "district": [
            (N, C, C, C, C, "0", "12"),
            (M, C, C, "0", "0", "0", "7"),
            (ALL, C, "7", C, C, "0", "19"),
        ],
        "organisation_type": [
            (S, "0", "7", C, C, "0", C),
            (OTHER, C, "0", "0", "0", "0", C),
            (ALL, C, "7", C, C, "0", "19"),
        ],
    },
    # 3 needs met (North, school), 1 disengaged (South, school), 1 stepped up
    # (South, housing): only the council's total of 5 is shown.
    "closures": {
        "district": [
            (N, C, "0", "0", "0", "0", "0", "0", C),
            (M, "0", C, "0", "0", C, "0", "0", C),
            (ALL, C, C, "0", "0", C, "0", "0", "5"),
        ],
        "organisation_type": [
            (S, C, "0", "0", "0", C, "0", "0", C),
            (OTHER, "0", C, "0", "0", "0", "0", "0", C),
            (ALL, C, C, "0", "0", C, "0", "0", "5"),
        ],
    },
    "step_ups": {
        "district": [(N, "0", "0", "0", "0"), (M, C, "0", "0", C), (ALL, C, "0", "0", C)],
        "organisation_type": [
            (S, "0", "0", "0", "0"),
            (OTHER, C, "0", "0", C),
            (ALL, C, "0", "0", C),
        ],
    },
    # North's 12 school cases: attendance (education); its 3 GP cases: housing.
    "needs_by_outcome": {
        "district": [
            (N, "12", "0", "0", "0", "0", "0", "0", "0", C, "0"),
            (M, "0", "0", "0", "0", "0", "0", "0", "0", "0", "0"),
            (ALL, "12", "0", "0", "0", "0", "0", "0", "0", C, "0"),
        ],
        "organisation_type": [
            (S, "12", "0", "0", "0", "0", "0", "0", "0", "0", "0"),
            (OTHER, "0", "0", "0", "0", "0", "0", "0", "0", C, "0"),
            (ALL, "12", "0", "0", "0", "0", "0", "0", "0", C, "0"),
        ],
    },
    "outcomes_achieved": {
        "district": [
            (N, C, *["0"] * 9),
            (M, *["0"] * 10),
            (ALL, C, *["0"] * 9),
        ],
        "organisation_type": [
            (S, C, *["0"] * 9),
            (OTHER, *["0"] * 10),
            (ALL, C, *["0"] * 9),
        ],
    },
    # 6 in North and 1 in South: the 1 is hidden, so the 6 is too (7 - 6).
    "advice_calls": {
        "district": [(N, C), (M, C), (ALL, "7")],
        "organisation_type": [(S, C), (OTHER, C), (ALL, "7")],
    },
    "police_notifications": {"district": [(N, C), (M, "0"), (ALL, C)]},
    # 15 answers in North (school): 10 agreed, 5 did not; the unanswered one
    # and the one before the period are left out.
    "family_feedback": {
        "district": [(N, "10", "5", "15"), (M, "0", "0", "0"), (ALL, "10", "5", "15")],
        "organisation_type": [
            (S, "10", "5", "15"),
            (OTHER, "0", "0", "0"),
            (ALL, "10", "5", "15"),
        ],
    },
}

# Days from request to completion: 10, 20, ... 100 (median 55; 90th
# percentile 90 + 0.1 x 10 = 91). Assessment to plan: 14 days for all 8.
DURATIONS = {
    "assessments_completed": {N: ("55", "91"), ALL: ("55", "91"), S: ("55", "91")},
    "plans_agreed": {N: ("14", "14"), ALL: ("14", "14"), S: ("14", "14")},
}
RATES = {
    "reviews": {N: "55%", S: "55%", ALL: "55%"},
    "family_feedback": {N: "67%", S: "67%", ALL: "67%"},
}


@pytest.fixture
def report(db):
    world = World()
    return build(world.la, Period(START, END))


def _true(cell):
    return str(SUPPRESSED if cell.suppressed else cell.value)


def _shown(table):
    rows = []
    for row in table.rows:
        cells = [_true(cell) for cell in row.cells]
        if row.total is not None:
            cells.append(_true(row.total))
        rows.append((row.label, *cells))
    return rows


def test_every_figure_is_as_worked_out_by_hand(report):
    shown = {
        section.figure.id: {table.dim: _shown(table) for table in section.tables}
        for section in report.sections
        if section.figure.shown
    }
    assert shown == EXPECTED


def test_durations_and_rates_as_worked_out_by_hand(report):
    for section in report.sections:
        for table in section.tables:
            for row in table.rows:
                if section.figure.id in DURATIONS:
                    expected = DURATIONS[section.figure.id].get(row.label)
                    if expected:
                        assert (f"{row.median:g}", f"{row.p90:g}") == expected
                    else:
                        assert row.median is None and row.durations_note == "no cases"
                rates = RATES.get(section.figure.id, {})
                if section.figure.rate_of and row.label in rates:
                    on_time, total = row.cells[0], row.total
                    assert f"{round(100 * on_time.value / total.value)}%" == rates[row.label]
                    # What is shown is the share of the published figures.
                    share = min(on_time.published / total.published, 1)
                    assert row.rate == f"{round(100 * share)}%"
                elif section.figure.rate_of:
                    assert row.rate is None


def test_every_figure_says_what_it_counts_from_when_and_what_it_leaves_out():
    assert all(str(f.counts) and str(f.dates) and str(f.excludes) for f in FIGURES)
    assert all(f.shown for f in FIGURES)


def test_feedback_is_counted_without_names_or_words(report):
    feedback = next(s for s in report.sections if s.figure.id == "family_feedback")
    assert [table.dim for table in feedback.tables] == ["district", "organisation_type"]
    text = repr(flat_rows(report))
    assert "Synthetic feedback words" not in text


def test_no_hidden_cell_follows_from_the_shown_ones(report):
    assert any(cell.suppressed for cell in report.all_cells)
    assert not [c for c in report.all_cells if not c.suppressed and 1 <= c.value <= 4]
    assert determined(report.all_cells, report.lines) == []
    for line in report.lines:
        assert sum(member.suppressed for member in line.members) != 1


def test_flat_rows_carry_no_names_or_free_text(report):
    text = repr(flat_rows(report))
    for private in ("Synthetic concern", "Synthetic worry", "A synthetic caller", "SYN-0"):
        assert private not in text
