"""The documents a family keeps (seed 003, issue 14): the plan addressed to one
family member, a child-friendly plan for a child, and (assessments/document.py,
reviews/document.py) the assessment summary and each review's outcome. Each is
a printable page and an accessible PDF in the family member's language.

The language: the one chosen, else the recipient's preferred language when it
is one the service writes its documents in (settings.LANGUAGES) and the
council offers, else English. A preferred language the maker may not see
(restricted) is not used: the maker chooses. Everything the service writes
(headings, labels, dates, explanations, contacts) is translated; what
professionals typed (goals, actions, views) is printed as typed. Arabic and
Pashto documents are right to left (`dir="rtl"`, mirrored by
frontend/print.scss).

People appear in them only through people.restrictions.for_document, so another
family member's restricted details (a parent's address, say) never reach the
page or the PDF made from it; the recipient's own details do, but only in a
copy made by someone who may see them (the lead professional, a named role).
A copy made from the command line (maker None) shows nobody's restricted parts.
Other family members appear by name and relationship only.

The stylesheet is the one the subject access copy uses (frontend/print.scss,
see core/templatetags/print_stylesheet.py): linked on screen, written into the
page a PDF is made from, so the PDF fetches nothing. Its fonts are the
system's, installed from Debian packages (fonts-liberation for Latin and
Cyrillic, fonts-noto-core for Arabic script), so every script renders. The PDF
is tagged (PDF/UA-1: structure, a real text layer, the document's language
and title).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.models import FamilyLanguage
from people.models import Relationship
from people.restrictions import family_people, for_document, scrub_text

from .models import Action


@dataclass(frozen=True)
class Document:
    """A family document as made: its content (HTML text or PDF bytes), the
    language it is written in and the name to save it under (no extension)."""

    content: str | bytes
    language: str
    filename: str


# Children's plans by age: a version for each band (seed 003).
UNDER_8, AGE_8_TO_12, TEENAGER = "under_8", "8_to_12", "teenager"


def document_language_codes() -> list[str]:
    """The languages the service writes its family documents in."""
    return [code for code, _name in settings.LANGUAGES]


def document_languages(council) -> list[tuple[str, str]]:
    """(code, label) of the languages a council's documents can be in: those
    it offers families that the service has catalogues for, and English."""
    offered = set(council.family_languages or []) | {settings.FAMILY_DEFAULT_LANGUAGE}
    labels = dict(FamilyLanguage.choices)
    return [
        (code, labels[code])
        for code in document_language_codes()
        if code in offered and code in labels
    ]


def choose_language(council, recipient_shown, chosen: str = "") -> str:
    """The document's language: `chosen` (one of document_languages), else
    the recipient's preferred language as the maker may see it, else English."""
    codes = [code for code, _label in document_languages(council)]
    if chosen:
        if chosen not in codes:
            raise ValidationError(
                _("Choose a language the documents are written in: %(codes)s")
                % {"codes": ", ".join(codes)},
                code="language",
            )
        return chosen
    preferred = (
        "" if "language" in recipient_shown.withheld_keys else recipient_shown.preferred_language
    )
    return preferred if preferred in codes else settings.FAMILY_DEFAULT_LANGUAGE


def age_band(age: int | None) -> str:
    """The child-friendly plan's version for a child of `age` (unknown or
    withheld: the middle one)."""
    if age is None:
        return AGE_8_TO_12
    if age < 8:
        return UNDER_8
    return AGE_8_TO_12 if age <= 12 else TEENAGER


def shown_in_document(person, recipient, maker):
    """`person` as a document for `recipient` made by `maker` may show them."""
    if maker is None:
        return for_document(person, None, maker)
    return for_document(person, recipient, maker)


def scrubber(episode) -> Callable[[str], str]:
    """What professionals typed, as a family document prints it: as typed,
    but with any family member's restricted value (an address typed before it
    was restricted) replaced, whoever the document is for."""
    people = family_people(episode.family)
    return lambda text: scrub_text(text, people)


def _goals(plan):
    scrub = scrubber(plan.episode)
    goals = list(
        plan.goals.select_related("lead_organisation").prefetch_related(
            Prefetch(
                "actions",
                queryset=Action.objects.select_related("organisation", "worker").order_by(
                    "due_by", "id"
                ),
            )
        )
    )
    for goal in goals:
        goal.text = scrub(goal.text)
        for action in goal.actions.all():
            action.what = scrub(action.what)
            action.success_measure = scrub(action.success_measure)
    return goals


def address_lines(person):
    return [
        line
        for line in (person.address_line_1, person.address_line_2, person.town, person.postcode)
        if line
    ]


def family_context(episode, recipient, maker):
    """What every family document shows: the council and its contacts, the
    recipient (name and address as for_document allows), the family by name
    and relationship, the lead professional."""
    memberships = episode.family.memberships.select_related("person").order_by(
        "relationship", "person__date_of_birth", "id"
    )
    lead = episode.lead_professional
    shown = shown_in_document(recipient, recipient, maker)
    family = [
        {
            "name": shown_in_document(membership.person, recipient, maker).full_name,
            # The label itself (lazy), so it is written in the document's language.
            "relationship": Relationship(membership.relationship).label,
            "is_recipient": membership.person_id == recipient.pk,
        }
        for membership in memberships
    ]
    return {
        "episode": episode,
        "council": episode.local_authority,
        "recipient": shown,
        "recipient_address": address_lines(shown),
        "family": family,
        "lead": lead,
        "lead_organisation": lead.primary_organisation if lead else None,
        "printed_on": timezone.localdate(),
    }


def document_context(plan, recipient, maker):
    """The plan for `recipient`: the family's goals and actions, and of the
    other members only their names and relationships."""
    return {**family_context(plan.episode, recipient, maker), "plan": plan, "goals": _goals(plan)}


def child_context(plan, child, maker):
    """The child-friendly plan for `child`: its version chosen by the age the
    maker may see, and the people helping (the lead professional and each
    action's named worker or agency)."""
    context = document_context(plan, child, maker)
    helpers: list[str] = []
    for goal in context["goals"]:
        for action in goal.actions.all():
            name = (
                f"{action.worker.full_name}, {action.organisation.name}"
                if action.worker
                else action.organisation.name
            )
            if name not in helpers:
                helpers.append(name)
    context.update(
        band=age_band(context["recipient"].age()),
        helpers=helpers,
    )
    return context


def render_html(
    context,
    *,
    language=None,
    template="plans/document.html",
    for_pdf=False,
    back_url="",
):
    """The page in `language` (default: the active one)."""
    language = language or translation.get_language()
    extra = {"for_pdf": for_pdf, "back_url": back_url}
    with translation.override(language):
        return render_to_string(template, {**context, **extra})


def make(context, template, *, language, fmt, filename, back_url="") -> Document:
    """The page (fmt "html") or its PDF ("pdf") in `language`."""
    if fmt not in ("html", "pdf"):
        raise ValueError(f"unknown format {fmt!r}: use html or pdf")
    html = render_html(
        context, language=language, template=template, for_pdf=fmt == "pdf", back_url=back_url
    )
    return Document(render_pdf(html) if fmt == "pdf" else html, language, filename)


def render_pdf(html):
    """A tagged PDF (PDF/UA-1) of the page: its structure, text layer, title
    and language (from <html lang>) are what screen readers read."""
    # Imported here: WeasyPrint is slow to import and only the PDF needs it.
    import weasyprint
    from weasyprint.urls import URLFetcher

    # The page refers to nothing outside itself; any fetch is refused, so
    # rendering never touches the network or the file system.
    no_fetching = URLFetcher(allowed_protocols=(), fail_on_errors=True)
    return weasyprint.HTML(string=html, url_fetcher=no_fetching).write_pdf(
        pdf_variant="pdf/ua-1", pdf_tags=True
    )


def requested_language(request, council) -> str:
    """The `language` a page asks for (?language=pl), or "" for the family
    member's own; one the documents are not written in is no page (404)."""
    language = request.GET.get("language", "")
    if language and language not in {code for code, _label in document_languages(council)}:
        raise Http404("No such language for this council's documents.")
    return language


def response(made: Document, fmt: str):
    """The printable page, or the PDF to download; never cached."""
    if fmt == "pdf":
        answer = HttpResponse(made.content, content_type="application/pdf")
        answer["Content-Disposition"] = f'attachment; filename="{made.filename}.pdf"'
    else:
        answer = HttpResponse(made.content)
    answer["Content-Language"] = made.language
    answer["Cache-Control"] = "no-store"
    return answer


def document_links(episode, url_name, *args):
    """[{name, html, pdf}] a case page lists: a family document for each
    member of the family (`url_name` for the page, `url_name`_pdf for the PDF,
    with `args` and the person's id)."""
    from .services import copy_members

    return [
        {
            "name": member.person.full_name,
            "html": reverse(url_name, args=[*args, member.person_id]),
            "pdf": reverse(f"{url_name}_pdf", args=[*args, member.person_id]),
        }
        for member in copy_members(episode)
    ]


def family_member(episode, person_pk):
    """The member of the case's family a document may be addressed to
    (plans.services.copy_members), or None."""
    from .services import copy_members

    return next((m.person for m in copy_members(episode) if m.person_id == person_pk), None)
