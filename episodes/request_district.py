"""Which district a request belongs to: asked, or worked out where that is
certain, never quietly assumed.

A district is a Team Around the School area, so a request from a school
belongs to that school's district. Nothing else decides it: a clinic or a
police team serves families from many districts, and the council holds no
postcode-to-district data, so in every other case the practitioner chooses.
"""

from typing import NamedTuple

from django.utils.translation import gettext as _

from accounts.models import District, OrganisationType, User


class WorkedOutDistrict(NamedTuple):
    district: District
    reason: str


def worked_out_district(user: User) -> WorkedOutDistrict | None:
    """The district of the school(s) `user` asks from, with why, when there is
    exactly one such district; otherwise None and the user is asked."""
    schools = [
        organisation
        for organisation in user.organisations.filter(
            type=OrganisationType.SCHOOL,
            district__isnull=False,
            district__local_authority=user.local_authority,
        ).select_related("district")
    ]
    if len({school.district_id for school in schools}) != 1:
        return None
    primary = user.primary_organisation
    school = next((s for s in schools if primary and s.pk == primary.pk), schools[0])
    return WorkedOutDistrict(
        school.district,
        _("Worked out from the school: %(school)s is in %(district)s.")
        % {"school": school.name, "district": school.district.name},
    )
