"""Who to call: a professional's district Early Help Officer, the council's
advice line and safeguarding (MASH) number, and the directory of districts with
their schools and officers; and the council administrator's changes to it
(districts, the schools in each, the named Early Help Officer).

Early Help Officers are the first point of contact for advice in their
district ("Team Around the School"), so a professional must find theirs from
any page without knowing how the council draws its districts.
"""

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import record
from core import policy

from .models import District, LocalAuthority, Organisation, OrganisationType, Role, User

# A school's Unique Reference Number (Get Information about Schools): six digits.
URN_PATTERN = re.compile(r"[0-9]{6}")


@dataclass
class DistrictEntry:
    """One district as the directory shows it."""

    district: District
    schools: list[Organisation] = field(default_factory=list)

    @property
    def officer(self) -> User | None:
        """The named Early Help Officer, unless they have left."""
        officer = self.district.early_help_officer
        return officer if officer is not None and officer.is_active else None


def my_districts(user: User) -> list[District]:
    """The districts of the user's organisations, and those they are the
    Early Help Officer of: whose officer they would call first."""
    ids = set(
        Organisation.objects.filter(memberships__user=user, district__isnull=False).values_list(
            "district_id", flat=True
        )
    )
    ids |= set(user.districts_as_eho.values_list("pk", flat=True))
    return list(
        District.objects.filter(pk__in=ids, local_authority_id=user.local_authority_id)
        .select_related("early_help_officer")
        .order_by("name")
    )


def early_help_officers(la: LocalAuthority) -> QuerySet[User]:
    """Who may be named as a district's Early Help Officer: the council's
    active users holding that role."""
    return (
        User.objects.filter(local_authority=la, is_active=True, roles__role=Role.EARLY_HELP_OFFICER)
        .distinct()
        .order_by("full_name")
    )


def key_adult_choices(school: Organisation | None) -> QuerySet[User]:
    """Who may be a school's key adult: its own active users."""
    if school is None:
        return User.objects.none()
    return User.objects.filter(memberships__organisation=school, is_active=True).order_by(
        "full_name"
    )


def schools(la: LocalAuthority) -> QuerySet[Organisation]:
    return Organisation.objects.filter(local_authority=la, type=OrganisationType.SCHOOL)


def council_directory(la: LocalAuthority, search: str = "") -> list[DistrictEntry]:
    """Every district with its officer and schools, in name order. A search
    (a school's name or URN, or a district's name) keeps the districts that
    match and the districts of the schools that match."""
    search = search.strip()
    entries = {
        district.pk: DistrictEntry(district)
        for district in District.objects.filter(local_authority=la)
        .select_related("early_help_officer")
        .order_by("name")
    }
    by_district: dict[int, list[Organisation]] = defaultdict(list)
    for school in schools(la).exclude(district__isnull=True).order_by("name"):
        if school.district_id is not None:
            by_district[school.district_id].append(school)
    for pk, entry in entries.items():
        entry.schools = by_district.get(pk, [])
    if not search:
        return list(entries.values())
    needle = search.casefold()
    shown = []
    for entry in entries.values():
        if needle in entry.district.name.casefold():
            shown.append(entry)
            continue
        matching = [
            school
            for school in entry.schools
            if needle in school.name.casefold() or needle == school.school_urn
        ]
        if matching:
            shown.append(DistrictEntry(entry.district, matching))
    return shown


# Changes, by the council's administrator -------------------------------------


def check_admin(actor: User, la: LocalAuthority) -> None:
    if not policy.can_manage_users(actor) or actor.local_authority_id != la.pk:
        raise PermissionDenied


@transaction.atomic
def save_district(
    actor: User,
    la: LocalAuthority,
    data: Mapping[str, object],
    *,
    district: District | None = None,
    request: HttpRequest | None = None,
) -> District:
    """Add a district, or rename it and name its Early Help Officer."""
    check_admin(actor, la)
    if district is not None and district.local_authority_id != la.pk:
        raise PermissionDenied
    name = str(data.get("name") or "").strip()
    officer = data.get("early_help_officer")
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Enter the district's name")
    elif (
        District.objects.filter(local_authority=la, name__iexact=name)
        .exclude(pk__in=[district.pk] if district is not None else [])
        .exists()
    ):
        errors["name"] = _("There is already a district called %(name)s") % {"name": name}
    if officer is not None and (
        not isinstance(officer, User) or not early_help_officers(la).filter(pk=officer.pk).exists()
    ):
        errors["early_help_officer"] = _(
            "Choose an Early Help Officer of this council, or no one. To name someone "
            "else, give them the Early Help Officer role on the Users page first"
        )
    if errors:
        raise ValidationError(errors)
    creating = district is None
    if district is None:
        district = District(local_authority=la)
    before = (district.name, district.early_help_officer_id)
    district.name = name
    district.early_help_officer = officer if isinstance(officer, User) else None
    changed = [
        label
        for label, old, new in (
            ("name", before[0], district.name),
            ("early_help_officer", before[1], district.early_help_officer_id),
        )
        if old != new
    ]
    if creating or changed:
        district.save()
        record(
            Action.CREATE if creating else Action.UPDATE,
            actor=actor,
            obj=district,
            request=request,
            changes={"fields": ["name", "early_help_officer"] if creating else changed},
        )
    return district


def why_district_cannot_go(district: District) -> str:
    """What stops removing a district, or "" when nothing does."""
    from episodes.models import Episode

    organisations = district.organisations.count()
    if organisations:
        return _(
            "%(name)s still has %(count)s school or organisation in it. Move each to "
            "another district first",
        ) % {"name": district.name, "count": organisations}
    if Episode.objects.filter(district=district).exists():
        return _("Cases are recorded in %(name)s, so it cannot be removed. Rename it instead") % {
            "name": district.name
        }
    return ""


@transaction.atomic
def remove_district(actor: User, district: District, request: HttpRequest | None = None) -> None:
    """Remove a district nothing refers to (one added by mistake)."""
    check_admin(actor, district.local_authority)
    reason = why_district_cannot_go(district)
    if reason:
        raise ValidationError(reason)
    record(
        Action.DELETE,
        actor=actor,
        obj=district,
        request=request,
        changes={"name": district.name},
    )
    district.delete()


@transaction.atomic
def save_school(
    actor: User,
    la: LocalAuthority,
    data: Mapping[str, object],
    *,
    school: Organisation | None = None,
    request: HttpRequest | None = None,
) -> Organisation:
    """Add a school, or change its name, URN or district."""
    check_admin(actor, la)
    if school is not None and (
        school.local_authority_id != la.pk or school.type != OrganisationType.SCHOOL
    ):
        raise PermissionDenied
    name = str(data.get("name") or "").strip()
    urn = re.sub(r"\s", "", str(data.get("school_urn") or ""))
    district = data.get("district")
    errors: dict[str, str] = {}
    others = Organisation.objects.filter(local_authority=la).exclude(
        pk__in=[school.pk] if school is not None else []
    )
    if not name:
        errors["name"] = _("Enter the school's name")
    elif others.filter(name__iexact=name).exists():
        errors["name"] = _(
            "There is already a school or organisation called %(name)s in this council"
        ) % {"name": name}
    if urn and not URN_PATTERN.fullmatch(urn):
        errors["school_urn"] = _(
            "A URN is 6 digits, like 123456. Leave it blank if you do not know it"
        )
    elif urn and others.filter(school_urn=urn).exists():
        errors["school_urn"] = _("Another school of this council has the URN %(urn)s") % {
            "urn": urn
        }
    if not isinstance(district, District) or district.local_authority_id != la.pk:
        errors["district"] = _("Choose the district the school is in")
    key_adult = data.get("key_adult")
    if key_adult is not None and (
        not isinstance(key_adult, User)
        or not key_adult_choices(school).filter(pk=key_adult.pk).exists()
    ):
        errors["key_adult"] = _("Choose one of the school's users, or no one")
    if errors:
        raise ValidationError(errors)
    assert isinstance(district, District)
    creating = school is None
    if school is None:
        school = Organisation(local_authority=la, type=OrganisationType.SCHOOL)
    before = (school.name, school.school_urn, school.district_id, school.key_adult_id)
    school.name, school.school_urn, school.district = name, urn, district
    school.key_adult = key_adult if isinstance(key_adult, User) else None
    after = (school.name, school.school_urn, school.district_id, school.key_adult_id)
    changed = [
        label
        for label, old, new in zip(
            ("name", "school_urn", "district", "key_adult"), before, after, strict=True
        )
        if old != new
    ]
    if creating or changed:
        school.save()
        record(
            Action.CREATE if creating else Action.UPDATE,
            actor=actor,
            obj=school,
            request=request,
            changes={"fields": ["name", "school_urn", "district"] if creating else changed},
        )
    return school
