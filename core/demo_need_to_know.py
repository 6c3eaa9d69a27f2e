"""Demo examples of the need-to-know rules, made through the real domain
functions: a restricted address, information shared without consent (waiting
for the Early Help Officer's review) and a withdrawn consent to share."""

from accounts.models import Role
from consent.models import Purpose
from consent.services import withdraw_consent
from episodes.models import Episode, Status
from meetings.services import add_organisation
from people.models import Relationship
from people.restrictions import restrict

POLICE, ACADEMY = 6, 1


def _open_case(la, requester, statuses):
    return (
        Episode.objects.filter(local_authority=la, requested_by=requester, status__in=statuses)
        .order_by("pk")
        .first()
    )


def add_examples(la, staff, organisations):
    practitioner = staff["practitioner"]
    planned = _open_case(la, practitioner, [Status.PLAN])
    if planned is not None:
        parent = planned.family.memberships.filter(relationship=Relationship.PARENT).first()
        restrict(
            planned.lead_professional or practitioner,
            parent.person,
            field="address",
            reason="Parent fleeing domestic abuse: the other parent must not learn the address.",
            visible_to_roles=[Role.EARLY_HELP_MANAGER],
        )
    assessing = _open_case(la, practitioner, [Status.ASSESSMENT, Status.MEETING])
    if assessing is not None:
        add_organisation(
            practitioner,
            assessing,
            organisations[POLICE],
            override_reason=(
                "Child disclosed that an adult visiting the home hit them; the family "
                "could not be reached and the police need to know today."
            ),
        )
        academy_consent = assessing.consents.filter(
            purpose=Purpose.SHARING, organisation=organisations[ACADEMY]
        ).first()
        if academy_consent is not None:
            withdraw_consent(
                practitioner,
                academy_consent,
                note="Mum phoned: she no longer wants the academy told about the family.",
            )
