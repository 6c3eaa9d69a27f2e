"""The postcode areas a council serves, kept by its administrator: which
outward codes send a family's own request to which district's Early Help
Officer, and which to the council's general queue (families/routing.py reads
them).

An outward code is listed once in a council. One that another council on the
same service lists too is refused: the family's request could go to neither
(routing tells them to contact their own council), so the administrator is
told now, not the family later."""

import re
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from accounts.directory import check_admin
from accounts.models import District, LocalAuthority, User
from audit.models import Action
from audit.services import record
from core.validators import OUTWARD_CODE_PATTERN

from .models import PostcodeDistrict

# The general queue's key among the districts' (`district_key`).
GENERAL = "general"
# Codes are separated by spaces, commas, semicolons or new lines.
_SEPARATORS = re.compile(r"[\s,;]+")
MAX_CODES = 500  # a county lists a few hundred at most


def district_key(district_id: int) -> str:
    return f"district-{district_id}"


def areas_of(la: LocalAuthority) -> dict[str, list[str]]:
    """Each district's outward codes (by `district_key`) and the general
    queue's (GENERAL), in order."""
    areas: dict[str, list[str]] = {}
    for row in PostcodeDistrict.objects.filter(local_authority=la).order_by("outward_code"):
        key = district_key(row.district_id) if row.district_id else GENERAL
        areas.setdefault(key, []).append(row.outward_code)
    return areas


def _codes(text: str) -> tuple[list[str], list[str]]:
    """The outward codes typed (capitals, in the order typed, each once) and
    what is not an outward code."""
    codes, wrong = [], []
    for word in _SEPARATORS.split(text.strip().upper()):
        if not word:
            continue
        if len(word) > 8 or not OUTWARD_CODE_PATTERN.match(word):
            wrong.append(word[:12])
        elif word not in codes:
            codes.append(word)
    return codes, wrong


@transaction.atomic
def save_areas(
    actor: User,
    la: LocalAuthority,
    typed: Mapping[str, str],
    request: HttpRequest | None = None,
) -> int:
    """Replace the council's postcode areas with those typed for each district
    (by `district_key`) and the general queue (GENERAL). Every problem is told
    against the box it is in, and nothing is saved until there are none.
    Returns how many outward codes the council now lists."""
    check_admin(actor, la)
    districts = {district_key(d.pk): d for d in District.objects.filter(local_authority=la)}
    errors: dict[str, str] = {}
    wanted: dict[str, str] = {}  # code -> key of the box it is in
    for key, text in typed.items():
        if key != GENERAL and key not in districts:
            continue
        codes, wrong = _codes(text or "")
        if wrong:
            errors[key] = _(
                "%(codes)s is not the first part of a postcode. Enter outward codes "
                "like NM1 or NM12, separated by spaces or commas"
            ) % {"codes": ", ".join(wrong[:5])}
            continue
        for code in codes:
            if code in wanted:
                other = wanted[code]
                where = districts[other].name if other != GENERAL else _("the general queue")
                errors[key] = _(
                    "%(code)s is also listed for %(where)s. List each outward code once"
                ) % {"code": code, "where": where}
                break
            wanted[code] = key
    if len(wanted) > MAX_CODES:
        errors[GENERAL] = _("List %(max)s outward codes or fewer") % {"max": MAX_CODES}
    claimed = set(
        PostcodeDistrict.objects.exclude(local_authority=la)
        .filter(outward_code__in=list(wanted))
        .values_list("outward_code", flat=True)
    )
    for code in sorted(claimed):
        errors.setdefault(
            wanted[code],
            _(
                "%(code)s is listed by another council on this service, so a family's "
                "request from there could go to neither council. Agree with them which "
                "council lists it"
            )
            % {"code": code},
        )
    if errors:
        raise ValidationError(errors)
    before = {(code, key) for key, codes in areas_of(la).items() for code in codes}
    after = set(wanted.items())
    if before == after:
        return len(after)
    PostcodeDistrict.objects.filter(local_authority=la).delete()
    PostcodeDistrict.objects.bulk_create(
        PostcodeDistrict(
            local_authority=la,
            district=districts[key] if key != GENERAL else None,
            outward_code=code,
        )
        for code, key in sorted(after)
    )
    codes_before = {code: key for code, key in before}
    record(
        Action.UPDATE,
        actor=actor,
        local_authority=la,
        request=request,
        reason="postcode areas",
        changes={
            "added": sorted(set(wanted) - set(codes_before)),
            "removed": sorted(set(codes_before) - set(wanted)),
            "moved": sorted(c for c, key in wanted.items() if codes_before.get(c, key) != key),
        },
    )
    return len(after)
