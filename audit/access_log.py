""" "Who has looked at this record": the audit trail read back for one case or
one person, for the district's EHO, the managers and the lead professional."""

from collections.abc import Iterable
from typing import Any

from django.core.paginator import Page
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core.govuk import render_component
from core.once_a_page import Days
from core.paging import counted_page

from .models import Action, AuditEvent

# A busy case is looked at thousands of times: the log is read a page at a time.
PAGE_SIZE = 100


# What a row shows of an event and its actor (rows() reads no other field):
# not the hashes, the chain's place, the reason or the actor's whole account.
SHOWN = (
    "created_at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "changes",
    "actor__full_name",
    "actor__email",
)


def page_of(events: QuerySet[AuditEvent], number: str | None) -> Page:
    """One page of the log, newest first; a page number out of range or not a
    number gives the nearest page, never an error."""
    return counted_page(events, number, PAGE_SIZE)


def for_episode(episode):
    """Every event on the case and the records that belong to it (audit events
    carry their case), plus the views of its family's people."""
    people = list(episode.family.memberships.values_list("person_id", "person__created_at"))
    return (
        AuditEvent.objects.written_since(episode.requested_at, *(made for _pk, made in people))
        .filter(
            Q(episode_id=episode.pk)
            | Q(object_type="people.person", object_id__in=[str(pk) for pk, _made in people])
        )
        .select_related("actor")
        .only(*SHOWN)
        .order_by("-sequence")
    )


def for_person(person):
    return (
        AuditEvent.objects.written_since(person.created_at)
        .filter(
            Q(object_type="people.person", object_id=str(person.pk))
            | Q(object_type="people.restriction", changes__person=person.pk)
        )
        .select_related("actor")
        .only(*SHOWN)
        .order_by("-sequence")
    )


def _who(event: AuditEvent) -> SafeString:
    if event.actor is not None:
        return format_html(
            '{}<br><span class="govuk-hint govuk-!-margin-bottom-0">{}</span>',
            event.actor.full_name,
            event.actor.email,
        )
    return format_html("{}", event.actor_label or _("The system"))


def _what(event: AuditEvent, action: str, changes: dict[str, Any]) -> SafeString:
    if event.action == Action.PERMISSION_DENIED:
        html = render_component("tag", {"text": action, "classes": "govuk-tag--red"})
    else:
        html = format_html("{}", action)
    if changes.get("restricted"):
        tag = render_component(
            "tag", {"text": _("Restricted information"), "classes": "govuk-tag--orange"}
        )
        html = format_html("{}<br>{}", html, tag)
    return html


def _record(name: str, changes: dict[str, Any]) -> SafeString:
    html = format_html("{}", capfirst(name))
    if changes.get("page"):
        html = format_html("{} ({})", html, changes["page"])
    if changes.get("fields"):
        fields = format_html_join(", ", "{}", ((field,) for field in changes["fields"]))
        html = format_html(
            '{}<br><span class="govuk-hint govuk-!-margin-bottom-0">{}</span>', html, fields
        )
    return html


def rows(events: Iterable[AuditEvent]) -> list[list[dict[str, Any]]]:
    """The log's table rows (when, who, what, which record), built here: a
    page has a hundred, and the template engine took longer over their cells
    than everything else on the page. An audit event holds no person's
    values (people.restrictions), only who did what to which record.

    A page's hundred events are a few people doing a few things on the same
    few days: each day, person, action and record is written once a page
    and reused (formatting every cell again was most of the page)."""
    actions = dict(Action.choices)
    names: dict[str, str] = {}
    day = Days()
    who: dict[tuple[int | None, str], SafeString] = {}
    what: dict[tuple[str, bool], SafeString] = {}
    record: dict[tuple[str, str, str], SafeString] = {}
    table = []
    for event in events:
        changes = event.changes if isinstance(event.changes, dict) else {}
        at = timezone.localtime(event.created_at)
        by = (event.actor_id, event.actor_label)
        if by not in who:
            who[by] = _who(event)
        did = (event.action, bool(changes.get("restricted")))
        if did not in what:
            what[did] = _what(event, str(actions.get(event.action, event.action)), changes)
        if event.object_type not in names:
            names[event.object_type] = str(event.object_name)
        # What _record reads of the changes (JSON values: equal reprs, equal values).
        on = (event.object_type, repr(changes.get("page")), repr(changes.get("fields")))
        if on not in record:
            record[on] = _record(names[event.object_type], changes)
        table.append(
            [
                # As date_format(at, "j M Y, H:i") writes it.
                {"text": f"{day(at.date())}, {at:%H:%M}"},
                {"html": who[by]},
                {"html": what[did]},
                {"html": record[on]},
            ]
        )
    return table
