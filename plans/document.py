"""The printable copy of the plan given to one family member (seed 003): the
family, the goals and actions with who does what by when, the lead
professional and how to reach the council.

People appear in it only through people.restrictions.for_document, so another
family member's restricted details (a parent's address, say) never reach the
page or the PDF made from it; the recipient's own details do, but only in a
copy made by someone who may see them (the lead professional, a named role).

Other family members appear in it by name and relationship only: their
addresses, dates of birth and identifiers are not the recipient's to read.

Its stylesheet is the one the subject access copy uses (frontend/print.scss,
see core/templatetags/print_stylesheet.py): linked on screen (the Content
Security Policy allows no inline styles), written into the page the PDF is
made from, with the system's own fonts, so the PDF fetches nothing.
"""

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone

from people.restrictions import for_document

from .models import Action


def _goals(plan):
    return list(
        plan.goals.select_related("lead_organisation").prefetch_related(
            Prefetch(
                "actions",
                queryset=Action.objects.select_related("organisation", "worker").order_by(
                    "due_by", "id"
                ),
            )
        )
    )


def address_lines(person):
    return [
        line
        for line in (person.address_line_1, person.address_line_2, person.town, person.postcode)
        if line
    ]


def document_context(plan, recipient, maker):
    """What the document shows `recipient`: the family's goals and actions, and
    of the other members only their names and relationships (never an address,
    a date of birth or an identifier: those are not theirs to read). The
    recipient's own details appear as people.restrictions.for_document allows
    for a copy made by `maker`."""
    episode = plan.episode
    memberships = episode.family.memberships.select_related("person").order_by(
        "relationship", "person__date_of_birth", "id"
    )
    lead = episode.lead_professional
    shown = for_document(recipient, recipient, maker)
    family = [
        {
            "name": for_document(membership.person, recipient, maker).full_name,
            "relationship": membership.get_relationship_display(),
            "is_recipient": membership.person_id == recipient.pk,
        }
        for membership in memberships
    ]
    return {
        "plan": plan,
        "episode": episode,
        "council": episode.local_authority,
        "recipient": shown,
        "recipient_address": address_lines(shown),
        "family": family,
        "goals": _goals(plan),
        "lead": lead,
        "lead_organisation": lead.primary_organisation if lead else None,
        "printed_on": timezone.localdate(),
    }


def render_html(context, *, for_pdf=False, back_url=""):
    extra = {"for_pdf": for_pdf, "back_url": back_url}
    return render_to_string("plans/document.html", {**context, **extra})


def render_pdf(html):
    # Imported here: WeasyPrint is slow to import and only the PDF needs it.
    import weasyprint
    from weasyprint.urls import URLFetcher

    # The page refers to nothing outside itself; any fetch is refused, so
    # rendering never touches the network or the file system.
    no_fetching = URLFetcher(allowed_protocols=(), fail_on_errors=True)
    return weasyprint.HTML(string=html, url_fetcher=no_fetching).write_pdf()
