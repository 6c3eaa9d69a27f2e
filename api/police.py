"""Police notifications sent by a partner system: the same domain function
as the pages and the file loader (police.services.record_notification), and
a note of which client sent each, so it may later ask whether it was
acknowledged (policy.police_notifications_visible_to_client)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from accounts.models import Organisation
from police.models import PoliceNotification
from police.services import ChildNamed, record_notification

from .models import ApiClient, SentPoliceNotification

NO_SUCH_SCHOOL = "No school of this council has this URN: check it or leave it out"


@transaction.atomic
def send(client: ApiClient, data: dict[str, Any], request: HttpRequest) -> PoliceNotification:
    """Record the notification (audited by the domain function, under the
    client's name) and who sent it, both or neither."""
    school = None
    if data.get("school_urn"):
        school = Organisation.objects.filter(
            local_authority_id=client.local_authority_id, school_urn=data["school_urn"]
        ).first()
        if school is None:
            raise ValidationError({"school_urn": NO_SUCH_SCHOOL})
    notification = record_notification(
        None,
        client.local_authority,
        police_reference=data["police_reference"],
        incident_at=data["incident_at"],
        kind=data["kind"],
        circumstances=data["circumstances"],
        school=school,
        children=[
            ChildNamed(
                first_name=child["first_name"],
                last_name=child["last_name"],
                date_of_birth=child.get("date_of_birth"),
                postcode=child.get("postcode", ""),
                present=child.get("present", False),
                nhs_number=child.get("nhs_number", ""),
                upn=child.get("upn", ""),
            )
            for child in data["children"]
        ],
        via=client.name,
        request=request,
    )
    SentPoliceNotification.objects.create(client=client, notification=notification)
    return notification
