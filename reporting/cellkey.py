"""The cell key method (as in the ONS's outputs of Census 2021 and Statistics
Canada's table builders): a small, fixed noise on every shown count, so that
two reports for overlapping periods cannot be differenced to one family.

Every record counted (a case, a meeting, a review, a referral, an advice
call, a police notification) has a record key, 0 to 255, fixed for ever and
unpredictable without the council's secret salt (reporting/sql.py,
`record_key`). A cell's key is the sum of its records' keys modulo 256; the
noise added to the cell is `PTABLE[min(count, CAP)][cell key]`. So:

- the same records always get the same noise: asking again, or for another
  period that counts the same records, gives the same figure, and nothing
  can be averaged away;
- one family more or less changes the cell key to one that looks random, so
  two reports whose true counts differ by one family show that difference
  of 1 only about a quarter to a third of the time, and their figures fit a
  difference of none or of two families as well (tests/reporting/
  test_cellkey.py).

Disclosure control (reporting/disclosure.py) decides what is hidden on the
true counts first; only the shown cells are perturbed. Totals get noise of
their own (their records are the sum of their parts'), so a row may not add
up exactly to its total.
"""

from __future__ import annotations

from collections.abc import Iterable

from .disclosure import THRESHOLD, Cell

KEYS = 256
CAP = THRESHOLD + 3  # counts of 7 or more share one row of the table
NOISE = 2  # the largest noise either way

# For each true count: (noise, how many of the 256 cell keys get it). Each
# row has mean 0, never makes a count of 5 or more into one of 1 to 4 (so 5
# is never changed and 6 never goes down by 2), and leaves 0 at 0. Counts
# 1 to 4 are never shown: their row is all 0.
_SPREAD: dict[int, tuple[tuple[int, int], ...]] = {
    **{count: ((0, KEYS),) for count in range(THRESHOLD + 2)},
    THRESHOLD + 2: ((-1, 96), (0, 96), (1, 32), (2, 32)),
    CAP: ((-2, 26), (-1, 51), (0, 102), (1, 51), (2, 26)),
}
PTABLE: dict[int, tuple[int, ...]] = {
    count: tuple(noise for noise, keys in spread for _ in range(keys))
    for count, spread in _SPREAD.items()
}


def noise(count: int, cell_key: int) -> int:
    return PTABLE[min(count, CAP)][cell_key % KEYS]


def perturb(cells: Iterable[Cell]) -> None:
    """Give every shown cell its noise (in place); hidden cells keep 0."""
    for cell in cells:
        cell.noise = 0 if cell.suppressed else noise(cell.value, cell.record_keys)
