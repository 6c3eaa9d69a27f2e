"""Restricted parts of a person's record (seed 003): who sees them is decided
by core.policy; this module hands templates a copy of the person with what the
viewer may not see blanked out, and audits every view of what they may.

This is the only way a person's values reach a page, form, document, export,
email or match result: `shown_to` (a signed-in viewer), `for_document` (a copy
addressed to a family member, made by a viewer), `for_search` (matches) and
`for_return` and `for_return_all` (a statutory return, which leaves the
service).
Templates never need to know about restrictions beyond `person.withheld` (the
labels of what was left out).

Anything worked out from a restricted value is restricted with it: the masked
copy has no date of birth, so its `age()` is None and nothing can print an
age, an age band or "under 5" from it. An address restricted on one person's
record is restricted on everyone recorded at that address (same council, same
first line and postcode), with the same roles: a parent fleeing abuse usually
lives with her children. Free text (a meeting's location, a note, a plan
action, an email) is checked against the family's restricted values before it
is saved (`refuse_restricted_text`); text written before a restriction is
shown with the value replaced (`scrub_text`).

people.guard makes this the only way: a template that reads a restrictable
value from a person that did not come through here is refused. The functions
here read real values even while a page renders (`reads_values`).
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from audit.models import Action
from audit.services import record
from core import policy
from core.validators import MONTH_NAMES

from .guard import unguarded
from .models import Person, RestrictableField, Restriction

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django_stubs_ext import StrOrPromise

    from accounts.models import User
    from api.models import ApiClient

    from .models import Family

    class ShownPerson(Person):
        """What `_masked` hands out: a display-only copy of a person with what
        the viewer may not see blanked, and these marks for templates."""

        is_masked_copy: bool
        withheld: list[StrOrPromise]
        withheld_keys: set[str]
        restricted_shown: set[str]


_P = ParamSpec("_P")
_R = TypeVar("_R")

# Roles that may be named on a restriction besides the lead professional.
NAMEABLE_ROLES = (Role.EARLY_HELP_OFFICER, Role.EARLY_HELP_MANAGER, Role.PANEL_COORDINATOR)


def reads_values(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """This module is the one place that reads a person's real values, even
    while a page renders (people.guard)."""

    @functools.wraps(function)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with unguarded():
            return function(*args, **kwargs)

    return wrapper


BLANK: dict[str, object] = {
    "date_of_birth": None,
    "expected_date_of_birth": None,
    "disabilities": [],
    "has_send": False,
    "interpreter_needed": False,
}


@reads_values
def active_restrictions(person: Person) -> list[Restriction]:
    """The person's own restrictions in force, and an address restriction of
    anyone recorded at the same address."""
    own = [r for r in person.restrictions.all() if r.lifted_at is None]
    if any(r.field == RestrictableField.ADDRESS for r in own):
        return own
    return own + _household_address_restrictions(person)


def _same_address(person: Person) -> dict[str, Any] | None:
    """A filter for people recorded at `person`'s address, or None when there
    is no address to share."""
    postcode = (person.postcode or "").replace(" ", "").upper()
    if not postcode:
        return None
    spaced = f"{postcode[:-3]} {postcode[-3:]}"
    return {
        "local_authority_id": person.local_authority_id,
        "postcode__in": [postcode, spaced],
        "address_line_1__iexact": (person.address_line_1 or "").strip(),
    }


def _remember_household(person: Person, found: list[Restriction]) -> None:
    # Cached on the instance: a page asks once per person, however often it
    # renders them.
    vars(person)["_household_restrictions"] = found


def _household_address_restrictions(person: Person) -> list[Restriction]:
    cached: list[Restriction] | None = getattr(person, "_household_restrictions", None)
    if cached is not None:
        return cached
    same = _same_address(person)
    found: list[Restriction] = []
    if same is not None and not getattr(person, "is_masked_copy", False):
        housemates = Person.objects.filter(**same).exclude(pk=person.pk)
        found = list(
            Restriction.objects.filter(
                field=RestrictableField.ADDRESS,
                lifted_at__isnull=True,
                person__in=housemates,
            )
            .select_related("person")
            .order_by("created_at")[:1]
        )
    _remember_household(person, found)
    return found


@reads_values
def rule_age(person: Person, on: date | None = None) -> int | None:
    """The age a rule may act on (who is asked for their wishes and feelings,
    who gives a score): None when the date of birth is restricted, for
    everyone, so what a page asks for never tells the age."""
    return None if age_is_restricted(person) else person.age(on)


def age_is_restricted(person: Person) -> bool:
    # A date of birth is restricted on the person's own record only.
    return any(
        r.field == RestrictableField.DATE_OF_BIRTH and r.lifted_at is None
        for r in person.restrictions.all()
    )


@reads_values
def hidden_restrictions(user: User, person: Person) -> list[Restriction]:
    """The restrictions in force on `person` that `user` may not see."""
    return [r for r in active_restrictions(person) if not policy.can_see_restriction(user, r)]


@reads_values
def hidden_fields(user: User, person: Person) -> set[str]:
    """The model fields of `person` that `user` may not see."""
    return {name for r in hidden_restrictions(user, person) for name in r.model_fields}


@reads_values
def hidden_fields_for_client(client: ApiClient, person: Person) -> set[str]:
    """The model fields of `person` that a partner system (the API) may not see."""
    return {
        name
        for r in active_restrictions(person)
        if not policy.client_may_see_restriction(client, r)
        for name in r.model_fields
    }


def _masked(person: Person, hidden: Iterable[Restriction]) -> ShownPerson:
    """A display-only copy of `person` with the hidden restrictions blanked."""
    shown = cast("ShownPerson", copy.copy(person))
    shown.is_masked_copy = True
    for restriction in hidden:
        for name in restriction.model_fields:
            setattr(shown, name, BLANK.get(name, ""))
    keys: list[str] = []
    for restriction in hidden:
        if restriction.field not in keys:
            keys.append(restriction.field)
    shown.withheld = [RestrictableField(key).label for key in keys]
    shown.withheld_keys = set(keys)
    return shown


@reads_values
def shown_to(user: User, person: Person, request: HttpRequest | None = None) -> ShownPerson:
    """`person` as `user` may see them. Showing a restricted part is audited."""
    restrictions = active_restrictions(person)
    hidden = [r for r in restrictions if not policy.can_see_restriction(user, r)]
    visible = [r for r in restrictions if r not in hidden]
    shown = _masked(person, hidden)
    shown.restricted_shown = {r.field for r in visible}
    if visible:
        record(
            Action.VIEW,
            actor=user,
            obj=person,
            request=request,
            changes={"restricted": sorted(r.field for r in visible)},
        )
    return shown


@reads_values
def for_document(person: Person, recipient: Person | None, maker: User) -> ShownPerson:
    """`person` as printed in a document given to `recipient` (a plan copy, a
    letter) and produced by `maker`: other people's restricted parts never
    appear in it, and the recipient's own appear only when `maker` may see
    them (otherwise the lead professional or a named role makes her copy)."""
    if recipient is not None and person.pk == recipient.pk:
        shown = _masked(person, hidden_restrictions(maker, person))
    else:
        shown = _masked(person, active_restrictions(person))
    shown.restricted_shown = set()
    return shown


@reads_values
def for_search(person: Person) -> ShownPerson:
    """`person` in search results and matches: restricted parts never appear."""
    shown = _masked(person, active_restrictions(person))
    shown.restricted_shown = set()
    return shown


@reads_values
def for_return(person: Person) -> ShownPerson:
    """`person` in a statutory return (Ofsted's Annex A list): the file leaves
    the service for inspectors, so restricted parts never appear in it,
    whoever makes it (a manager named on the restriction too) and whether
    from a page or the command line."""
    shown = _masked(person, active_restrictions(person))
    shown.restricted_shown = set()
    return shown


@reads_values
def for_return_all(people: Sequence[Person]) -> dict[int, ShownPerson]:
    """`for_return` for many people at once ({person id: copy}): their own
    restrictions in a query per 10,000 people and those of their households
    in one, instead of queries per person."""
    own: dict[int, list[Restriction]] = {}
    ids = [person.pk for person in people]
    for start in range(0, len(ids), 10_000):
        found = Restriction.objects.filter(
            person_id__in=ids[start : start + 10_000], lifted_at__isnull=True
        ).order_by("created_at", "pk")
        for restriction in found:
            own.setdefault(restriction.person_id, []).append(restriction)
    prefetch_household(people)
    shown: dict[int, ShownPerson] = {}
    for person in people:
        mine = own.get(person.pk, [])
        # As active_restrictions: a household's address restriction unless
        # the person's own address is restricted.
        if not any(r.field == RestrictableField.ADDRESS for r in mine):
            mine = mine + _household_address_restrictions(person)
        copy_ = _masked(person, mine)
        copy_.restricted_shown = set()
        shown[person.pk] = copy_
    return shown


@transaction.atomic
def restrict(
    actor: User,
    person: Person,
    *,
    field: str,
    reason: str,
    visible_to_roles: Iterable[str] = (),
    request: HttpRequest | None = None,
) -> Restriction:
    if not policy.can_restrict(actor, person):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if field not in RestrictableField.values:
        errors["field"] = _("Choose what to restrict")
    if not (reason or "").strip():
        errors["reason"] = _("Say why this is restricted, for example 'fleeing domestic abuse'")
    unknown = set(visible_to_roles) - {role.value for role in NAMEABLE_ROLES}
    if unknown:
        errors["visible_to_roles"] = _("Choose roles from the list")
    if not errors and person.restrictions.filter(field=field, lifted_at__isnull=True).exists():
        errors["field"] = _("%(field)s is already restricted") % {
            "field": RestrictableField(field).label
        }
    if errors:
        raise ValidationError(errors)
    restriction = Restriction.objects.create(
        person=person,
        field=field,
        reason=reason.strip(),
        visible_to_roles=sorted(visible_to_roles),
        created_by=actor,
    )
    record(
        Action.CREATE,
        actor=actor,
        obj=restriction,
        request=request,
        changes={"fields": ["field", "visible_to_roles"], "person": person.pk},
    )
    return restriction


@transaction.atomic
def lift(
    actor: User, restriction: Restriction, *, request: HttpRequest | None = None
) -> Restriction:
    if not policy.can_restrict(actor, restriction.person):
        raise PermissionDenied
    if restriction.lifted_at is not None:
        raise ValidationError(_("This restriction was already lifted"))
    restriction.lifted_at = timezone.now()
    restriction.lifted_by = actor
    restriction.save(update_fields=["lifted_at", "lifted_by"])
    record(
        Action.UPDATE,
        actor=actor,
        obj=restriction,
        request=request,
        changes={"fields": ["lifted_at"], "person": restriction.person_id},
    )
    return restriction


@reads_values
def editable_fields_for(user: User, person: Person, fields: Iterable[str]) -> list[str]:
    """The fields of `fields` that `user` may see and so may change."""
    hidden = hidden_fields(user, person)
    return [name for name in fields if name not in hidden]


# Free text -------------------------------------------------------------------


def _date_forms(day: date) -> set[str]:
    """The ways a date is commonly typed: 17/03/1979, 17/3/1979, 1979-03-17,
    17 March 1979, 17 Mar 1979."""
    month = MONTH_NAMES[day.month - 1]
    return {
        f"{day.day:02d}/{day.month:02d}/{day.year}",
        f"{day.day}/{day.month}/{day.year}",
        day.isoformat(),
        f"{day.day} {month} {day.year}",
        f"{day.day} {month[:3]} {day.year}",
    }


def _fold(text: object) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip().casefold()


def _restricted_values(
    person: Person, restrictions: Iterable[Restriction] | None = None
) -> list[tuple[StrOrPromise, list[str]]]:
    """(kind label, [forms]) of `person`'s restricted values specific enough to
    look for in text (a language or an ethnicity code is not): of all their
    restrictions, or of `restrictions` only."""
    found: list[tuple[StrOrPromise, list[str]]] = []
    for restriction in active_restrictions(person) if restrictions is None else restrictions:
        field = restriction.field
        forms: list[str] = []
        if field == RestrictableField.ADDRESS:
            # The town too: where a family fled to is itself the secret.
            forms = [person.address_line_1, person.address_line_2, person.town]
            compact = (person.postcode or "").replace(" ", "")
            if compact:
                forms += [person.postcode, compact]
        elif field == RestrictableField.DATE_OF_BIRTH:
            for day in (person.date_of_birth, person.expected_date_of_birth):
                if day:
                    forms += sorted(_date_forms(day))
        elif field == RestrictableField.NHS_NUMBER and person.nhs_number:
            digits = person.nhs_number
            forms = [digits, f"{digits[:3]} {digits[3:6]} {digits[6:]}"]
        elif field == RestrictableField.UPN:
            forms = [person.upn]
        elif field == RestrictableField.KNOWN_AS:
            forms = [person.known_as]
        forms = [_fold(f) for f in forms if len(_fold(f)) >= 4]
        if forms:
            found.append((RestrictableField(field).label, forms))
    return found


def _contains(text: str, value: str) -> bool:
    # Whole words only: "Ash" is not in "Ashford".
    return re.search(rf"(?<!\w){re.escape(value)}(?!\w)", text) is not None


@reads_values
def refuse_restricted_text(
    people: Iterable[Person], fields: Mapping[str, tuple[StrOrPromise, str | None]]
) -> None:
    """Raise a ValidationError naming the field and the restricted part when
    any text in `fields` ({field name: (label, text)}) contains a restricted
    value of one of `people` (the family's members). Restricted details must
    never reach a page, calendar file or email through free text."""
    if errors := restricted_text_errors(people, fields):
        raise ValidationError(errors)


@reads_values
def restricted_text_errors(
    people: Iterable[Person], fields: Mapping[str, tuple[StrOrPromise, str | None]]
) -> dict[str, str]:
    """refuse_restricted_text's messages, {field name: message}, for a service
    that gathers all its errors before raising."""
    errors: dict[str, str] = {}
    values = [
        (person, kind, forms) for person in people for kind, forms in _restricted_values(person)
    ]
    for name, (label, text) in fields.items():
        folded = _fold(text)
        if not folded:
            continue
        for person, kind, forms in values:
            if any(_contains(folded, value) for value in forms):
                errors[name] = _(
                    "%(label)s contains a restricted part of %(name)s's record "
                    "(%(part)s). Remove it: restricted details are never written in "
                    "free text."
                ) % {"label": label, "name": person.full_name, "part": str(kind).lower()}
                break
    return errors


@reads_values
def family_people(family: Family) -> list[Person]:
    """Everyone in `family`, with their restrictions and those of anyone at
    their addresses, for refuse_restricted_text and scrub_text."""
    people = list(
        Person.objects.filter(family_memberships__family=family).prefetch_related("restrictions")
    )
    prefetch_household(people)
    return people


def family_people_for_page(family: Family) -> list[Person]:
    """family_people, read once for the page being rendered: a case page
    scrubs many texts (each case section, each row of the chronology) against
    the same people. Kept on the family instance, which every included
    template shares; only for rendering, never for a check before a write."""
    cached: list[Person] | None = getattr(family, "_page_family_people", None)
    if cached is None:
        cached = family_people(family)
        remember_family_people(family, cached)
    return cached


def page_scrubber(family: Family, viewer: User | None) -> Callable[[str], str]:
    """scrubber for `viewer` against family_people_for_page: worked out once
    for the page being rendered and kept with those people on the family
    instance (a case page scrubs each note, meeting place and chronology
    row); like them, only for rendering."""
    kept = vars(family).setdefault("_page_scrubbers", {})
    # No viewer (every value replaced) is not the same as a signed-out one.
    key = (viewer is None, getattr(viewer, "pk", None))
    if key not in kept:
        kept[key] = scrubber(family_people_for_page(family), viewer)
    return kept[key]


def remember_family_people(family: Family, people: list[Person]) -> None:
    """`people` (everyone in `family`, restrictions and households prefetched)
    are what family_people would read: a view that has them already saves
    family_people_for_page the queries."""
    vars(family)["_page_family_people"] = people


def _address_key(person: Person) -> tuple[int, str, str]:
    postcode = (person.postcode or "").replace(" ", "").upper()
    return (person.local_authority_id, postcode, (person.address_line_1 or "").strip().casefold())


@reads_values
def prefetch_household(people: Iterable[Person]) -> None:
    """Look up, in one query, the address restrictions of anyone living at the
    addresses of `people`, so a list of people costs no query per person."""
    keyed: dict[tuple[int, str, str], list[Person]] = {}
    for person in people:
        if _same_address(person) is not None:
            keyed.setdefault(_address_key(person), []).append(person)
        else:
            _remember_household(person, [])
    if not keyed:
        return
    postcodes: set[str] = set()
    for _la, postcode, _line in keyed:
        postcodes |= {postcode, f"{postcode[:-3]} {postcode[-3:]}"}
    found = (
        Restriction.objects.filter(
            field=RestrictableField.ADDRESS,
            lifted_at__isnull=True,
            person__local_authority_id__in={la for la, _p, _l in keyed},
            person__postcode__in=postcodes,
        )
        .select_related("person")
        .order_by("created_at")
    )
    by_address: dict[tuple[int, str, str], list[Restriction]] = {}
    for restriction in found:
        by_address.setdefault(_address_key(restriction.person), []).append(restriction)
    for key, residents in keyed.items():
        for person in residents:
            _remember_household(
                person, [r for r in by_address.get(key, []) if r.person_id != person.pk][:1]
            )


RESTRICTED_MARK = "[restricted]"


def _any_spacing(value: str) -> str:
    """A pattern for `value` (folded) however its words are spaced."""
    return r"\s+".join(re.escape(word) for word in value.split(" "))


@reads_values
def scrub_text(text: str, people: Iterable[Person], viewer: User | None = None) -> str:
    """`text` with the restricted values of `people` written into it replaced
    by RESTRICTED_MARK: those `viewer` may not see, or every one when there is
    no viewer (an email or a calendar file leaves the service and may be
    forwarded). Text typed before a restriction was made still holds the
    value; refuse_restricted_text keeps new text clean."""
    if not text:
        return text
    return scrubber(people, viewer)(text)


def scrubber(people: Iterable[Person], viewer: User | None = None) -> Callable[[str], str]:
    """scrub_text for many texts against the same people and viewer (each row
    of a case's chronology): which values to replace is worked out once."""
    forms: set[str] = set()
    for person in people:
        hidden = (
            active_restrictions(person) if viewer is None else hidden_restrictions(viewer, person)
        )
        for _kind, values in _restricted_values(person, hidden):
            forms.update(values)
    if not forms:
        return lambda text: text
    pattern = re.compile(
        "|".join(
            rf"(?<!\w){_any_spacing(value)}(?!\w)" for value in sorted(forms, key=len, reverse=True)
        ),
        flags=re.IGNORECASE,
    )
    return lambda text: pattern.sub(RESTRICTED_MARK, str(text)) if text else text
