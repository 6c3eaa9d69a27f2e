"""How alike a query and a held record are: a score in [0, 1] and the reasons
a practitioner reads ("same date of birth, surname sounds alike").

Each piece of evidence adds or takes away weight (roughly, how many times
likelier the evidence is for the same person than for two different people,
in powers of two), and the total becomes a score. Two rules of this field
come on top, because weights alone get them wrong:

- Twins and siblings share a surname, an address, parents and (twins) a
  birthday; what tells them apart is the first name. A first name that is
  not the same name written another way (short form, spelling, typing slip)
  therefore keeps the score below any threshold unless an NHS number or UPN
  says it is the same child.
- A different NHS number means a different person, whatever else agrees.

And one that needs the other candidates (engine.rank passes them in): a
query whose own family is registered (a child of its surname born the same
day, at its address or of its parent, with another first name: is_family_of)
is that family's twin or sibling. A stranger with its first name and
birthday is then not the query with their surname changed, and a namesake
elsewhere born a digit apart not the query with its birth date mistyped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy

from . import names

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from .details import Prepared

    # A piece of evidence: its weight, and the reason shown for it (None: not
    # shown, or for a name, a different name).
    Weighed = tuple[float, StrOrPromise | None]


@cache
def _(text: str) -> StrOrPromise:
    """A reason, translated when shown; one lazy string per text, because a
    check scores hundreds of candidates."""
    return gettext_lazy(text)


# A total weight at this level is an even chance of the same person: about
# what a full name and a birthday, or a name and an address, come to.
EVEN_WEIGHT = 10.8
CAP_DIFFERENT_FIRST_NAME = 0.3
CAP_DIFFERENT_DATE_OF_BIRTH = 0.5
CAP_DIFFERENT_NHS_NUMBER = 0.05
# A different surname: surnames change (marriage, a parent's new partner,
# a child given a step-parent's), so it counts against without ruling the
# person out: with the same first name and birthday and nothing else to go
# on, just over the threshold.
DIFFERENT_SURNAME_WEIGHT = -2.0
# ... unless the query's own family is registered (is_family_of, _explains):
# a child of its surname with its birthday (a twin), or at its address or of
# its parent where that family lives elsewhere than the held person. The
# query is then that family's twin or sibling: a stranger with its first
# name and birthday is not the query with their surname changed, and ...
DIFFERENT_SURNAME_IN_A_REGISTERED_FAMILY = -6.0
# ... a namesake of another family born a digit apart is a cousin or a
# stranger, not the query with its date of birth mistyped.
DATE_SLIP_WEIGHT = 4.0
DATE_SLIP_IN_A_REGISTERED_FAMILY = 1.0
SURNAME_SLIP_WEIGHT = 3.0
# An NHS number or UPN typed with one slip (its check digit wrong) that is
# one slip from the held one.
MISTYPED_IDENTIFIER_WEIGHT = 8.0
# A first name weaker than this (sound-alike, slip, short form, initial) is
# not enough to set aside a different recorded sex: Ali and Alice.
_NAME_OUTWEIGHS_SEX = 5.0


@dataclass(frozen=True)
class Score:
    score: float
    evidence: tuple[Weighed, ...]  # (weight, reason or None), in the order found

    @property
    def reasons(self) -> tuple[str, ...]:
        """The reasons as text, strongest evidence first."""
        ranked = sorted(self.evidence, key=lambda item: -abs(item[0]))
        return tuple(str(reason) for _weight, reason in ranked if reason is not None)


class _Evidence:
    __slots__ = ("weight", "reasons", "cap")

    def __init__(self) -> None:
        self.weight = 0.0
        self.reasons: list[Weighed] = []
        self.cap = 1.0

    def add(self, weight: float, reason: StrOrPromise | None) -> None:
        self.weight += weight
        self.reasons.append((weight, reason))


def _given_name_evidence(query_first: str, held_given: tuple[str, ...]) -> Weighed | None:
    """(weight, reason) for a query's first name against every given name held;
    reason None means a different name."""
    if not query_first or not held_given:
        return None
    held_first = held_given[0]
    if query_first == held_first:
        return 6.0, _("same first name")
    if query_first in held_given[1:]:
        return 5.0, _("first name is their middle name or the name they are known by")
    best: Weighed | None = None
    for position, held in enumerate(held_given):
        found = _alike_given_names(query_first, held)
        if found and position:
            found = (found[0] - 0.5, found[1])
        if found and (best is None or found[0] > best[0]):
            best = found
    return best or (-6.0, None)


def _alike_given_names(query: str, held: str) -> Weighed | None:
    if names.variant_groups(query) & names.variant_groups(held):
        return 5.0, _("first names are forms of the same name")
    if len(query) == 1 or len(held) == 1:
        if query[0] == held[0]:
            return 1.0, _("same first initial")
        return None
    if names.is_feminine_form(query, held):
        # Amir and Amira: a brother and a sister, often twins.
        return None
    if names.is_short_form(query, held):
        return 4.5, _("one first name is a short form of the other")
    if names.both_common_and_different(query, held):
        # Twins are called Alfie and Albie, Ava and Eva, Lily and Lola.
        return None
    alike = names.skeleton(query) == names.skeleton(held) and names.skeleton(query)
    close = names.similarity(query, held) >= 0.8
    if alike and close and query[0] == held[0]:
        return 4.0, _("first name sounds alike")
    if names.looks_mistyped(query, held):
        return 3.5, _("first name spelt slightly differently")
    if alike and close:
        return 3.5, _("first name sounds alike")
    return None


def _surname_evidence(
    query_parts: tuple[str, ...],
    held_parts: tuple[str, ...],
    different: float = DIFFERENT_SURNAME_WEIGHT,
) -> Weighed | None:
    if not query_parts or not held_parts:
        return None
    query, held = "".join(query_parts), "".join(held_parts)
    if query == held:
        return 5.0, _("same surname")
    if set(query_parts) & set(held_parts):
        return 4.0, _("shares part of a double-barrelled surname")
    if names.skeleton(query) == names.skeleton(held):
        return 3.5, _("surname sounds alike")
    if names.looks_mistyped(query, held):
        return SURNAME_SLIP_WEIGHT, _("surname spelt slightly differently")
    return different, None


def _parent_surname(prepared: Prepared) -> str:
    """The surname of the parent named, if their full name was given."""
    return prepared.parents[-1] if len(prepared.parents) > 1 else ""


def _name_weights(
    query: Prepared, held: Prepared, different_surname: float
) -> tuple[Weighed | None, Weighed | None]:
    first = _given_name_evidence(query.first, held.given)
    last = _surname_evidence(query.last_parts, held.last_parts, different_surname)
    if (
        last
        and last[1] is None
        and different_surname > DIFFERENT_SURNAME_IN_A_REGISTERED_FAMILY
        and (
            (held.last and held.last == _parent_surname(query))
            or (query.last and query.last == _parent_surname(held))
        )
    ):
        # A child who has taken their other parent's surname (unless the
        # query's own surname is a registered family's: its twin or sibling).
        last = 2.0, _("surname is a parent's surname")
    return first, last


def _names_parent(first: str, held_parents: tuple[str, ...]) -> bool:
    """A parent's first name is one of the parents' names held, or a form of one."""
    return any(
        first == held or names.variant_groups(first) & names.variant_groups(held)
        for held in held_parents
    )


def _swapped_name_weights(
    query: Prepared, held: Prepared, different_surname: float
) -> tuple[Weighed | None, Weighed | None]:
    """Names typed the wrong way round: the query's surname is the held first name."""
    if not query.last_parts or not held.last_parts or not query.first:
        return None, None
    first = _given_name_evidence(query.last, held.given)
    last = _surname_evidence(
        names.surname_parts(query.details.first_name), held.last_parts, different_surname
    )
    return first, last


def _total(pair: tuple[Weighed | None, Weighed | None]) -> float:
    return sum(item[0] for item in pair if item)


def _add_names(
    evidence: _Evidence, query: Prepared, held: Prepared, different_surname: float
) -> float | None:
    """Adds the names' evidence; returns the first name's weight (None if
    either side has no first name)."""
    first, last = _name_weights(query, held, different_surname)
    swapped_first, swapped_last = _swapped_name_weights(query, held, different_surname)
    # Both names must agree the other way round, each as the same name, a
    # form of it, a sound-alike spelling or a slip: that a stranger's first
    # name is like the query's surname and their surname like its first name
    # is no likelier with slips than without.
    swapped = (
        swapped_first
        and swapped_last
        and swapped_first[0] >= 3.5
        and swapped_last[0] >= 3.0
        and _total((swapped_first, swapped_last)) - 1.0 > _total((first, last))
    ) or (
        # Swapped, and the surname changed too (Marlwood Mark for Mark
        # Jones): the first name, read from the surname box, must be their
        # name itself or a form of it, and read the right way round must
        # be no name of theirs at all. The birth date and address decide.
        swapped_first
        and swapped_first[0] >= 5.0
        and first
        and first[1] is None
        # ... and the surname, read the right way round, is not theirs nor
        # a spelling of it (Ayaan Ali is not Ali Ali with the names swapped:
        # the surname is the family's, and Ayaan the twin's own name).
        and last
        and last[0] < SURNAME_SLIP_WEIGHT
        and _total((swapped_first, swapped_last)) - 1.0 > _total((first, last))
    )
    if swapped:
        first, last = swapped_first, swapped_last
        evidence.add(-1.0, _("first and last names swapped"))
    if first:
        weight, reason = first
        if reason is not None:
            evidence.add(weight, reason)
        else:
            evidence.add(weight, _("different first name"))
            evidence.cap = min(evidence.cap, CAP_DIFFERENT_FIRST_NAME)
    if last:
        weight, reason = last
        evidence.add(weight, _("different surname") if reason is None else reason)
    return first[0] if first else None


def _digit_slip(a: str, b: str) -> bool:
    """Two strings of the same length (dates written YYYYMMDD, NHS numbers)
    that differ in one character, or in two neighbouring ones swapped."""
    if len(a) != len(b):
        return False
    different = [i for i in range(len(a)) if a[i] != b[i]]
    if len(different) == 1:
        return True
    return (
        len(different) == 2
        and different[1] == different[0] + 1
        and a[different[0]] == b[different[1]]
        and a[different[1]] == b[different[0]]
    )


def _add_date_of_birth(
    evidence: _Evidence, query: Prepared, held: Prepared, slip_weight: float
) -> None:
    if not query.dob or not held.dob:
        return
    if query.dob == held.dob:
        evidence.add(10.0, _("same date of birth"))
    elif (query.dob.day, query.dob.month, query.dob.year) == (
        held.dob.month,
        held.dob.day,
        held.dob.year,
    ):
        evidence.add(6.0, _("day and month of birth swapped"))
    elif _digit_slip(query.dob_digits, held.dob_digits):
        # Cousins are born days apart too: a slip needs more to back it up.
        evidence.add(slip_weight, _("date of birth differs by one digit"))
    else:
        evidence.add(-8.0, _("different date of birth"))
        evidence.cap = min(evidence.cap, CAP_DIFFERENT_DATE_OF_BIRTH)


def _add_identifiers(evidence: _Evidence, query: Prepared, held: Prepared) -> bool:
    same_identifier = False
    if query.nhs and held.nhs:
        if query.nhs == held.nhs:
            evidence.add(14.0, _("same NHS number"))
            same_identifier = True
        else:
            evidence.add(-14.0, _("different NHS number"))
            evidence.cap = min(evidence.cap, CAP_DIFFERENT_NHS_NUMBER)
    if query.upn and held.upn:
        if query.upn == held.upn:
            evidence.add(10.0, _("same unique pupil number"))
            same_identifier = True
        else:
            evidence.add(-6.0, _("different unique pupil number"))
    # A number whose check digit (or letter) is wrong is not theirs, but one
    # slip from theirs is the same number mistyped: a stranger's is that
    # close about once in ten million. It weighs as much as a birthday, and
    # never sets aside a different first name: twins' numbers can be
    # issued close together.
    if query.mistyped_nhs and held.nhs and _digit_slip(query.mistyped_nhs, held.nhs):
        evidence.add(MISTYPED_IDENTIFIER_WEIGHT, _("NHS number one slip from theirs"))
    if query.mistyped_upn and held.upn and _digit_slip(query.mistyped_upn, held.upn):
        evidence.add(MISTYPED_IDENTIFIER_WEIGHT, _("unique pupil number one slip from theirs"))
    return same_identifier


def _add_address_and_family(
    evidence: _Evidence, query: Prepared, held: Prepared, first_name_weight: float | None
) -> None:
    if query.postcode and held.postcode:
        if query.postcode == held.postcode:
            evidence.add(5.0, _("same postcode"))
        elif query.district and query.district == held.district:
            evidence.add(1.5, _("same postcode district"))
        else:
            # Families move, but most of the same-named people elsewhere in
            # the council are other people.
            evidence.add(-2.0, None)
    elif query.district and held.postcode and query.district == held.district:
        # Only the district could be read from the list's postcode.
        evidence.add(1.5, _("same postcode district"))
    if query.sex and held.sex:
        if query.sex == held.sex:
            evidence.add(0.5, None)
        else:
            evidence.add(-4.0, _("recorded as a different sex"))
            if first_name_weight is not None and first_name_weight < _NAME_OUTWEIGHS_SEX:
                evidence.cap = min(evidence.cap, CAP_DIFFERENT_FIRST_NAME)
    if query.parents and held.parents:
        _add_parent(evidence, query.parents, held.parents)


def _add_parent(
    evidence: _Evidence, query_parent: tuple[str, ...], held_parents: tuple[str, ...]
) -> None:
    """query_parent: the words of the one parent a query names; held_parents:
    the words of every parent's name held (either parent may be the one
    named). The first name counts most: the surname is the family's, which
    cousins share too; both together, the same parent."""
    first = query_parent[0]
    if not _names_parent(first, held_parents):
        evidence.add(-2.0, None)
    elif len(query_parent) > 1 and query_parent[-1] in held_parents[1:]:
        evidence.add(4.0, _("same parent's full name"))
    else:
        evidence.add(3.0, _("same parent's name"))


def is_family_of(query: Prepared, held: Prepared) -> bool:
    """held is another child of the family the query's surname names: the
    same surname, a first name that is not the query's (nor a form, spelling
    or slip of it), and the query's birthday (a twin), address or named
    parent. The query is then that family's child, and its surname is no
    mistake: someone of another surname with its first name and birthday is
    a stranger, not the query with their surname changed."""
    if not query.last or held.last != query.last or not query.first or not held.given:
        return False
    first = _given_name_evidence(query.first, held.given)
    if first is None or first[1] is not None:
        return False
    if query.dob and held.dob == query.dob:
        return True
    if query.postcode and held.postcode == query.postcode:
        return True
    return (
        len(query.parents) > 1
        and _names_parent(query.parents[0], held.parents)
        and query.parents[-1] in held.parents[1:]
    )


def _explains(relative: Prepared, query: Prepared, held: Prepared) -> bool:
    """Whether a relative of the query's family (is_family_of) explains its
    surname as against the held person's: a twin always; one found by the
    address or parent only if they live elsewhere than the held person (a
    surname taken from someone in the household is a changed surname)."""
    if query.dob and relative.dob == query.dob:
        return True
    return bool(held.postcode and relative.postcode and relative.postcode != held.postcode)


def score(query: Prepared, held: Prepared, *, family: Iterable[Prepared] = ()) -> Score:
    """Score a prepared query against a prepared held record.

    family: the other people held who are of the query's family
    (is_family_of). One living elsewhere than the held person explains the
    query's surname, so a different one is not taken for a changed one."""
    evidence = _Evidence()
    same_identifier = _add_identifiers(evidence, query, held)
    explained = any(_explains(relative, query, held) for relative in family)
    different_surname = (
        DIFFERENT_SURNAME_IN_A_REGISTERED_FAMILY if explained else DIFFERENT_SURNAME_WEIGHT
    )
    first_name_weight = _add_names(evidence, query, held, different_surname)
    _add_date_of_birth(
        evidence,
        query,
        held,
        DATE_SLIP_IN_A_REGISTERED_FAMILY if explained else DATE_SLIP_WEIGHT,
    )
    _add_address_and_family(evidence, query, held, first_name_weight)
    if (query.first or held.first) and first_name_weight is None and not (query.dob and held.dob):
        # An expected baby ("Baby Smith", no birth date yet) against a named
        # child, or the other way round: the surname, address and parents
        # are the family's, and nothing tells one child of it from another.
        evidence.cap = min(evidence.cap, CAP_DIFFERENT_FIRST_NAME)
    if same_identifier and evidence.cap > CAP_DIFFERENT_NHS_NUMBER:
        # An NHS number or UPN outranks a name or date typed differently.
        evidence.cap = 1.0
    probability = 1.0 / (1.0 + 2.0 ** (EVEN_WEIGHT - evidence.weight))
    return Score(score=round(min(probability, evidence.cap), 4), evidence=tuple(evidence.reasons))
