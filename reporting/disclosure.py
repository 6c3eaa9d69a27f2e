"""Disclosure control for the partnership report: no published figure, and no
sum or difference of published figures, gives a count of 1 to 4 families.

A report is a set of cells (counts) and lines: a line says that one cell (its
total) is the sum of others (its parts), as a row of a table adds up to its
total, a column to the council's figure, and a district breakdown and an
organisation type breakdown of one figure add up to the same total (the one
cell both share). `protect` marks cells suppressed:

1. Primary: every count from 1 to `THRESHOLD` (4).
2. Secondary, until nothing changes:
   - no line may have exactly one suppressed member (it would be the total
     less the visible parts, or the sum of the parts);
   - where a line's total is shown, its suppressed parts must add up to at
     least `THRESHOLD + 1` and to more than their number (else their sum is
     itself a small count, or each must be 1);
   - no suppressed cell may be worked out from all the lines together
     (`determined`: exact linear algebra over the suppressed cells, which
     finds what chains of rows and columns across both breakdowns give).
   Each time, the smallest non-zero visible part of the line is suppressed
   as well (or, when there is none, its total). Zero is never suppressed:
   it is no family.

This protects one report on its own. Two reports for overlapping periods
differenced against each other are protected by the noise that
reporting/cellkey.py then adds to every shown count (what remains
unprotected is in docs/REPORTING.md).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from fractions import Fraction

THRESHOLD = 4  # counts 1..THRESHOLD are never shown
SUPPRESSED = "[c]"


@dataclass(eq=False)
class Cell:
    key: Hashable
    value: int  # the true count: what disclosure control works on
    suppressed: bool = False
    primary: bool = False
    record_keys: int = 0  # the sum of the counted records' keys (reporting/cellkey.py)
    noise: int = 0  # set by reporting/cellkey.py once the cell is known to be shown

    @property
    def published(self) -> int:
        return self.value + self.noise

    @property
    def shown(self) -> int | str:
        return SUPPRESSED if self.suppressed else self.published


@dataclass(eq=False)
class Line:
    total: Cell
    parts: list[Cell] = field(default_factory=list)

    @property
    def members(self) -> list[Cell]:
        return [self.total, *self.parts]


def _line_needs_more(line: Line) -> bool:
    hidden = [m for m in line.members if m.suppressed]
    if not hidden:
        return False
    if len(hidden) == 1:
        return True
    if not line.total.suppressed:
        total = sum(p.value for p in hidden)
        return total <= THRESHOLD or total <= len(hidden)
    return False


def _suppress_one_more(line: Line) -> bool:
    """Suppress the line's smallest non-zero visible part, else its total.
    False when there is nothing left to suppress."""
    visible = sorted(
        (p for p in line.parts if not p.suppressed and p.value > 0), key=lambda p: p.value
    )
    if visible:
        visible[0].suppressed = True
        return True
    if not line.total.suppressed and line.total.value > 0:
        line.total.suppressed = True
        return True
    return False


def determined(cells: Iterable[Cell], lines: Iterable[Line]) -> list[Cell]:
    """The suppressed cells whose value follows from the visible cells and
    the lines (the unit vector of the cell lies in the row space of the lines'
    equations over the suppressed cells): Gaussian elimination in exact
    fractions, to reduced row echelon form."""
    lines = list(lines)
    hidden = [c for c in cells if c.suppressed]
    index = {id(c): i for i, c in enumerate(hidden)}
    rows: list[list[Fraction]] = []
    for line in lines:
        row = [Fraction(0)] * len(hidden)
        touched = False
        for cell, sign in [(line.total, -1), *((p, 1) for p in line.parts)]:
            if cell.suppressed:
                row[index[id(cell)]] += sign
                touched = True
        if touched:
            rows.append(row)
    pivots: list[int] = []
    r = 0
    for col in range(len(hidden)):
        pivot = next((i for i in range(r, len(rows)) if rows[i][col] != 0), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        lead = rows[r][col]
        rows[r] = [v / lead for v in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][col] != 0:
                factor = rows[i][col]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[r], strict=True)]
        pivots.append(col)
        r += 1
        if r == len(rows):
            break
    pivot_set = set(pivots)
    found = []
    for row_number, col in enumerate(pivots):
        row = rows[row_number]
        if all(row[j] == 0 for j in range(len(hidden)) if j not in pivot_set):
            found.append(hidden[col])
    return found


def protect(cells: Iterable[Cell], lines: Iterable[Line]) -> None:
    """Mark the cells to suppress (in place): primary, then secondary."""
    cells = list(cells)
    lines = list(lines)
    for cell in cells:
        if 1 <= cell.value <= THRESHOLD:
            cell.suppressed = cell.primary = True
    lines_of: dict[int, list[Line]] = {}
    for line in lines:
        for member in line.members:
            lines_of.setdefault(id(member), []).append(line)
    while True:
        changed = True
        while changed:
            changed = False
            for line in lines:
                if _line_needs_more(line) and _suppress_one_more(line):
                    changed = True
        leaks = determined(cells, lines)
        if not leaks:
            return
        progressed = False
        for leak in leaks:
            for line in lines_of.get(id(leak), []):
                if _suppress_one_more(line):
                    progressed = True
                    break
        if not progressed:
            # Nothing visible is left beside the leaking cells: hide them all.
            for line in lines:
                for member in line.members:
                    if member.value > 0:
                        member.suppressed = True
            return
