"""Loading police notifications from a CSV file (earlyhelp
load_police_notifications): the `match_people` columns for each child, plus
the incident's. One row per child; the rows of one incident share its police
reference. A reference already recorded is skipped, so loading the same file
again adds nothing. A row that cannot be used goes to the error file with its
line and what to fix; the other incidents are still recorded."""

from __future__ import annotations

import datetime
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Organisation
from matching.rows import (
    PERSON_COLUMNS,
    ErrorFile,
    Row,
    RowError,
    parse_date,
    query_details,
    read_rows,
)

from . import services
from .models import IncidentKind, PoliceNotification

if TYPE_CHECKING:
    from _typeshed import StrPath

    from accounts.models import LocalAuthority

INCIDENT_COLUMNS = (
    "police_reference",
    "incident_date",
    "incident_time",
    "incident_type",
    "circumstances",
    "school_urn",
    "present",
)
REQUIRED = ("police_reference", "incident_date", "incident_time", "incident_type", "present")
COLUMNS = (*INCIDENT_COLUMNS, *(c for c in PERSON_COLUMNS if c != "external_id"))
TIME = re.compile(r"([01]?[0-9]|2[0-3])[:.]([0-5][0-9])(:[0-5][0-9])?")
KINDS = {
    **{kind.value: kind.value for kind in IncidentKind},
    **{kind.label.lower(): kind.value for kind in IncidentKind},
    "da": IncidentKind.DOMESTIC_ABUSE.value,
    "missing": IncidentKind.MISSING_CHILD.value,
}
YES, NO = {"y", "yes", "true", "1"}, {"n", "no", "false", "0"}


@dataclass
class LoadSummary:
    recorded: int = 0  # notifications recorded
    children: int = 0
    already: int = 0  # references recorded before: skipped
    refused_rows: int = 0
    first_refused: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.recorded} notifications recorded ({self.children} children), "
            f"{self.already} already recorded, {self.refused_rows} rows refused"
        )


@dataclass(frozen=True)
class Incident:
    incident_at: datetime.datetime
    kind: str
    circumstances: str
    school_urn: str


def _incident(row: Row) -> Incident:
    day = parse_date(row.get("incident_date"))
    if day is None:
        raise RowError(
            f"column incident_date '{row.get('incident_date')}' is not a date: write it as "
            "YYYY-MM-DD or DD/MM/YYYY",
            "incident_date",
        )
    time = TIME.fullmatch(row.get("incident_time"))
    if time is None:
        raise RowError(
            f"column incident_time '{row.get('incident_time')}' is not a time: write it on "
            "the 24-hour clock, like 21:30",
            "incident_time",
        )
    kind = KINDS.get(row.get("incident_type").lower())
    if kind is None:
        raise RowError(
            f"column incident_type '{row.get('incident_type')}' is not known: write "
            "domestic_abuse, missing_child or other",
            "incident_type",
        )
    moment = timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(int(time.group(1)), int(time.group(2))))
    )
    return Incident(moment, kind, row.get("circumstances")[:1000], row.get("school_urn"))


def _child(row: Row) -> services.ChildNamed:
    present = row.get("present").lower()
    if present not in YES | NO:
        raise RowError(
            f"column present '{row.get('present')}': write Y if the child was present, N if not",
            "present",
        )
    details = query_details(row).details
    if not (details.first_name and details.last_name):
        raise RowError("the child's first_name and last_name are both needed", "first_name")
    return services.ChildNamed(
        first_name=details.first_name,
        last_name=details.last_name,
        date_of_birth=details.date_of_birth,
        postcode=details.postcode,
        present=present in YES,
        nhs_number=details.nhs_number,
        upn=details.upn,
    )


def load_file(la: LocalAuthority, path: StrPath, *, errors_path: StrPath) -> LoadSummary:
    """Record each incident in the file once; see the module's docstring."""
    summary = LoadSummary()
    errors = ErrorFile(errors_path, COLUMNS)
    groups: OrderedDict[str, list[Row]] = OrderedDict()
    for row in read_rows(path, REQUIRED):
        reference = row.get("police_reference")
        if not reference:
            errors.add(row, "column police_reference is missing: every row needs one")
            continue
        groups.setdefault(reference.upper(), []).append(row)
    recorded = {
        ref.upper()
        for ref in PoliceNotification.objects.filter(local_authority=la).values_list(
            "police_reference", flat=True
        )
    }
    for key, rows in groups.items():
        if key in recorded:
            summary.already += 1
            continue
        try:
            incidents = {_incident(row) for row in rows}
            if len(incidents) > 1:
                raise RowError(
                    "the rows with this police reference give different incident dates, "
                    "times, types, circumstances or schools: make them the same"
                )
            incident = incidents.pop()
            school = None
            if incident.school_urn:
                school = Organisation.objects.filter(
                    local_authority=la, school_urn=incident.school_urn
                ).first()
                if school is None:
                    raise RowError(
                        f"column school_urn '{incident.school_urn}': no school of {la.name} "
                        "has this URN. Check it, or leave it blank",
                        "school_urn",
                    )
            children = [_child(row) for row in rows]
            services.record_notification(
                None,
                la,
                police_reference=rows[0].get("police_reference"),
                incident_at=incident.incident_at,
                kind=incident.kind,
                circumstances=incident.circumstances,
                school=school,
                children=children,
                via=f"police file {getattr(path, 'name', path)}",
            )
        except (RowError, ValidationError) as error:
            reason = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            for row in rows:
                errors.add(row, reason)
            continue
        recorded.add(key)
        summary.recorded += 1
        summary.children += len(children)
    errors.close()
    summary.refused_rows = errors.count
    summary.first_refused = errors.first
    return summary
