"""Which council and district a family's request belongs to, from the
postcode they give (episodes/request_district.py does this for a
practitioner, from their school).

A council lists the outward codes it serves (`PostcodeDistrict`), each with
its district where it has one. Several councils may share the installation:
the postcode chooses the council. An outward code of no council, or of more
than one, is said honestly: the family is told to contact their own council.
"""

from dataclasses import dataclass

from accounts.models import District, LocalAuthority

from .models import PostcodeDistrict


@dataclass(frozen=True)
class Destination:
    council: LocalAuthority
    district: District | None  # None: the council's general queue


def outward_code(postcode: str) -> str:
    """ "NM1 1AA" -> "NM1" (the postcode is already normalised)."""
    return postcode.split(" ", 1)[0]


def destination_for(postcode: str) -> Destination | None:
    """The council (and district, if known) serving `postcode`; None when no
    council, or more than one, lists its outward code."""
    rows = list(
        PostcodeDistrict.objects.filter(outward_code=outward_code(postcode)).select_related(
            "local_authority", "district"
        )
    )
    if len({row.local_authority_id for row in rows}) != 1:
        return None
    return Destination(rows[0].local_authority, rows[0].district)
