"""Possible duplicates: the list, the side-by-side comparison with the
decision, the merge history and undoing a merge. Each page fetches its
record through core.policy; the decisions are matching.duplicates and
matching.merging functions."""

from collections import Counter

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from audit.models import Action
from audit.services import record
from core import policy
from core.forms import posted, run_form_action
from core.paging import counted_page
from people import restrictions
from people.models import Person

from . import duplicates, merging
from .duplicate_table import duplicate_rows
from .forms import DIFFERENT, KEEP_FIRST, DecisionForm, UndoForm
from .models import PossibleDuplicate

PAGE_SIZE = 50


def _require_reviewer(request):
    if not policy.can_review_duplicates(request.user):
        raise PermissionDenied


def duplicate_list(request):
    _require_reviewer(request)
    # Of each record, only the name the list shows.
    pairs = duplicates.open_duplicates_for(request.user).only(
        "score",
        "reasons",
        "first",
        "second",
        *(
            f"{which}__{name}"
            for which in ("first", "second")
            for name in ("first_name", "last_name")
        ),
    )
    page = counted_page(pairs, request.GET.get("page"), PAGE_SIZE)
    record(
        Action.VIEW,
        actor=request.user,
        request=request,
        changes={"list": "possible duplicates", "results": len(page.object_list)},
    )
    return render(
        request,
        "matching/duplicate_list.html",
        {"page": page, "table_rows": duplicate_rows(page.object_list)},
    )


def _decide(request, duplicate, data):
    """Carry out the reviewer's decision: the merge, or None when they are
    different people."""
    if data["decision"] == DIFFERENT:
        duplicates.mark_not_duplicate(
            request.user, duplicate, reason=data["reason"], request=request
        )
        return None
    keep = duplicate.first if data["decision"] == KEEP_FIRST else duplicate.second
    return merging.merge(request.user, duplicate, keep=keep, reason=data["reason"], request=request)


def _decided(duplicate, merge):
    if merge is None:
        return _("Recorded: %(first)s and %(second)s are different people") % {
            "first": duplicate.first,
            "second": duplicate.second,
        }
    return _("Records merged: %(name)s's record was kept. You can undo the merge below.") % {
        "name": merge.kept
    }


@require_http_methods(["GET", "POST"])
def compare(request, pk):
    duplicate = policy.get_duplicate_for(request.user, pk, request)
    first, second = duplicate.first, duplicate.second
    is_open = duplicate.status == PossibleDuplicate.Status.OPEN
    problem = merging.merge_problem(first, second)
    form = DecisionForm(posted(request), first=first, second=second, can_merge=problem is None)
    if request.method == "POST" and not is_open:
        return redirect("matching:compare", pk=duplicate.pk)
    done = run_form_action(
        request,
        form,
        lambda data: _decide(request, duplicate, data),
        success=lambda merge: _decided(duplicate, merge),
        then=lambda merge: reverse("matching:duplicates" if merge is None else "matching:merges"),
    )
    if done:
        return done
    for person in (first, second):
        record(
            Action.VIEW,
            actor=request.user,
            obj=person,
            request=request,
            changes={"duplicate": duplicate.pk},
        )
    shown = [restrictions.shown_to(request.user, person, request) for person in (first, second)]
    return render(
        request,
        "matching/compare.html",
        {
            "duplicate": duplicate,
            "records": list(zip(("A", "B"), shown, strict=True)),
            "rows": duplicates.comparison(*shown),
            "involvement": [duplicates.involvement(person) for person in (first, second)],
            "problem": problem,
            "is_open": is_open,
            "form": form,
        },
    )


def merge_list(request):
    _require_reviewer(request)
    merges = (
        policy.merges_visible_to(request.user)
        .select_related("kept", "merged", "merged_by", "undone_by")
        .order_by("-merged_at", "-pk")
    )
    page = counted_page(merges, request.GET.get("page"), PAGE_SIZE)
    record(
        Action.VIEW,
        actor=request.user,
        request=request,
        changes={"list": "merges", "results": len(page.object_list)},
    )
    return render(request, "matching/merge_list.html", {"page": page})


def _counted(entries):
    """["2 family members", "1 consent"] for a merge's moved or removed rows."""
    counts = Counter(entry["model"] for entry in entries)
    described = []
    for label, n in sorted(counts.items()):
        meta = apps.get_model(label)._meta
        described.append(f"{n} {meta.verbose_name if n == 1 else meta.verbose_name_plural}")
    return described


def _what_changed(merge):
    return {
        "moved": _counted(merge.moved),
        "removed": _counted(merge.removed),
        "filled": [Person._meta.get_field(name).verbose_name for name in merge.filled],
    }


@require_http_methods(["GET", "POST"])
def undo(request, pk):
    merge = policy.get_merge_for(request.user, pk, request)
    form = UndoForm(posted(request))
    done = run_form_action(
        request,
        form,
        lambda data: merging.undo_merge(
            request.user, merge, reason=data["reason"], request=request
        ),
        success=lambda _result: (
            _("Merge undone: the records of %(kept)s and %(merged)s are separate again")
            % {"kept": merge.kept, "merged": merge.merged}
        ),
        then=lambda _result: (
            reverse("matching:merges")
            if merge.duplicate_id is None
            else reverse("matching:compare", kwargs={"pk": merge.duplicate_id})
        ),
    )
    if done:
        return done
    record(Action.VIEW, actor=request.user, obj=merge, request=request)
    return render(
        request,
        "matching/undo.html",
        {
            "merge": merge,
            "changed": _what_changed(merge),
            "problems": []
            if merge.is_undone
            else merging.undo_problems(merge, merge.kept, merge.merged),
            "form": form,
        },
    )
