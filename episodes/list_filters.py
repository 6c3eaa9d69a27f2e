"""The case list's narrowing filters beside its status: a district, cases
with something overdue (an open drift alert), cases with no lead
professional. Read from the query string; anything not understood is
ignored, never an error."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, QuerySet

from core.validators import parse_whole_number

from .models import Episode


@dataclass(frozen=True)
class Narrowing:
    district: int | None = None
    overdue: bool = False
    no_lead: bool = False

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> Narrowing:
        return cls(
            district=parse_whole_number(query.get("district", "")),
            overdue=query.get("overdue") == "1",
            no_lead=query.get("no_lead") == "1",
        )

    def apply(self, episodes: QuerySet[Episode]) -> QuerySet[Episode]:
        from oversight.models import Alert

        if self.district is not None:
            episodes = episodes.filter(district_id=self.district)
        if self.overdue:
            episodes = episodes.filter(
                Exists(Alert.objects.filter(episode=OuterRef("pk"), resolved_on__isnull=True))
            )
        if self.no_lead:
            episodes = episodes.filter(lead_professional__isnull=True)
        return episodes

    def query(self, **more: str) -> str:
        """The filters as a query string, for the pages' links."""
        values: dict[str, str] = dict(more)
        if self.district is not None:
            values["district"] = str(self.district)
        if self.overdue:
            values["overdue"] = "1"
        if self.no_lead:
            values["no_lead"] = "1"
        return urlencode(values)
