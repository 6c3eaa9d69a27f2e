"""Disclosure control, on tables built to leak: after `protect`, no hidden
cell can be worked out. Checked by brute force: every assignment of the
hidden cells (each at least 1, a hidden count is never 0) that agrees with
what is shown and with every line; a cell leaks if all of them give it the
same value."""

import itertools

import pytest

from reporting.disclosure import SUPPRESSED, Cell, Line, determined, protect


def _table(rows):
    """A table with row totals and column totals: rows of parts."""
    cells = [[Cell((r, c), v) for c, v in enumerate(row)] for r, row in enumerate(rows)]
    row_totals = [Cell((r, "total"), sum(row)) for r, row in enumerate(rows)]
    col_totals = [Cell(("total", c), sum(col)) for c, col in enumerate(zip(*rows, strict=True))]
    grand = Cell(("total", "total"), sum(map(sum, rows)))
    lines = [Line(row_totals[r], cells[r]) for r in range(len(rows))]
    lines += [Line(col_totals[c], [row[c] for row in cells]) for c in range(len(rows[0]))]
    lines += [Line(grand, row_totals), Line(grand, col_totals)]
    everything = [*itertools.chain(*cells), *row_totals, *col_totals, grand]
    return everything, lines


def _leaks(cells, lines):
    """The hidden cells whose value every consistent assignment agrees on.
    The unknowns are the hidden cells that are no line's total (each total is
    the sum of its parts); each runs from 1 to the smallest shown total of a
    line it is in."""
    totals = {id(line.total) for line in lines}
    leaves = [c for c in cells if c.suppressed and id(c) not in totals]
    everything = sum(c.value for c in cells)
    ranges = []
    for cell in leaves:
        shown = [x.total.value for x in lines if cell in x.parts and not x.total.suppressed]
        ranges.append(range(1, min(shown, default=everything) + 1))
    hidden = [c for c in cells if c.suppressed]
    seen = {id(c): set() for c in hidden}
    for values in itertools.product(*ranges):
        guess = {id(c): v for c, v in zip(leaves, values, strict=True)}
        for _round in range(len(lines)):
            for line in lines:
                if line.total.suppressed and all(
                    not p.suppressed or id(p) in guess for p in line.parts
                ):
                    guess[id(line.total)] = sum(guess.get(id(p), p.value) for p in line.parts)

        def value(cell, guess=guess):
            return guess.get(id(cell), cell.value)

        if any(c.suppressed and value(c) < 1 for c in cells):
            continue
        if all(value(line.total) == sum(value(p) for p in line.parts) for line in lines):
            for cell in hidden:
                seen[id(cell)].add(value(cell))
    return [c for c in hidden if len(seen[id(c)]) <= 1]


def test_a_single_small_cell_in_a_row_with_a_total_takes_another_with_it():
    a, b, c = Cell("a", 3), Cell("b", 7), Cell("c", 9)
    total = Cell("total", 19)
    protect([a, b, c, total], [Line(total, [a, b, c])])
    assert a.shown == SUPPRESSED
    assert b.shown == SUPPRESSED  # the smallest other: 19 - 9 - b would give a
    assert c.shown == 9 and total.shown == 19


def test_hidden_cells_that_add_up_to_a_small_count_take_a_third():
    # 1 + 1 hidden in a row of 12: their sum, 2, would itself say "one each".
    a, b, c, d = Cell("a", 1), Cell("b", 1), Cell("c", 5), Cell("d", 5)
    total = Cell("total", 12)
    protect([a, b, c, d, total], [Line(total, [a, b, c, d])])
    hidden = [x for x in (a, b, c, d) if x.suppressed]
    assert sum(x.value for x in hidden) >= 5 and len(hidden) == 3


def test_two_breakdowns_of_one_total_cannot_be_differenced():
    # The same 10 cases by district (1 + 9) and by organisation type (2 + 8):
    # the shared total 10 is shown, so each breakdown protects itself.
    total = Cell("total", 10)
    d1, d2, t1, t2 = Cell("d1", 1), Cell("d2", 9), Cell("t1", 2), Cell("t2", 8)
    cells, lines = [total, d1, d2, t1, t2], [Line(total, [d1, d2]), Line(total, [t1, t2])]
    protect(cells, lines)
    assert [x.shown for x in (d1, d2, t1, t2)] == [SUPPRESSED] * 4
    assert _leaks(cells, lines) == []


def test_a_small_total_hides_both_breakdowns_and_their_shared_total():
    total = Cell("total", 3)
    d1, d2, t1, t2 = Cell("d1", 3), Cell("d2", 0), Cell("t1", 1), Cell("t2", 2)
    cells, lines = [total, d1, d2, t1, t2], [Line(total, [d1, d2]), Line(total, [t1, t2])]
    protect(cells, lines)
    assert total.shown == d1.shown == t1.shown == t2.shown == SUPPRESSED
    assert d2.shown == 0  # no family: nothing to hide
    assert _leaks(cells, lines) == []


@pytest.mark.parametrize(
    "rows",
    [
        [[1, 5, 6], [5, 6, 7]],  # one small cell: row, column and grand totals
        [[2, 5, 0], [5, 0, 3]],  # small cells in different rows and columns
        [[4, 5], [6, 1], [5, 5]],
        [[1, 5], [5, 5]],  # one 1 with row, column and grand totals
    ],
)
def test_tables_built_to_leak_do_not(rows):
    cells, lines = _table(rows)
    protect(cells, lines)
    assert all(c.suppressed for c in cells if 1 <= c.value <= 4)
    assert determined(cells, lines) == []
    assert _leaks(cells, lines) == []
    for line in lines:
        assert sum(m.suppressed for m in line.members) != 1


def test_determined_finds_a_chain_across_lines():
    # x + y = 5 (row one), y = 2 + ... the second line pins y, so x too.
    x, y = Cell("x", 3, suppressed=True), Cell("y", 2, suppressed=True)
    r1, r2 = Cell("r1", 5), Cell("r2", 2)
    lines = [Line(r1, [x, y]), Line(r2, [y])]
    assert {c.key for c in determined([x, y, r1, r2], lines)} == {"x", "y"}
