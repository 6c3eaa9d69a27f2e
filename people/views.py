from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Role
from audit.models import Action
from audit.services import record
from core import policy
from core.forms import posted, run_form_action

from . import restrictions, services
from .forms import PersonForm, RestrictionForm


def person_detail(request, pk):
    person = policy.get_person_for(request.user, pk, request)
    record(Action.VIEW, actor=request.user, obj=person, request=request)
    episodes = (
        policy.episodes_visible_to(request.user)
        .filter(family__memberships__person=person)
        .select_related("district")
    )
    restriction_rows = [
        {
            "restriction": restriction,
            "visible": policy.can_see_restriction(request.user, restriction),
            "roles": [Role(role).label for role in restriction.visible_to_roles],
        }
        for restriction in restrictions.active_restrictions(person)
    ]
    return render(
        request,
        "people/person_detail.html",
        {
            "person": restrictions.shown_to(request.user, person, request),
            "episodes": episodes,
            "restrictions": restriction_rows,
            "can_restrict": policy.can_restrict(request.user, person),
            "can_see_access_log": policy.can_see_person_access_log(request.user, person),
            "can_make_subject_access_copy": policy.can_make_subject_access_copy(
                request.user, person
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def person_edit(request, pk):
    person = policy.get_person_for(request.user, pk, request)
    if not policy.can_edit_person(request.user, person):
        raise PermissionDenied
    editable = restrictions.editable_fields_for(request.user, person, services.EDITABLE_FIELDS)
    hidden = [name for name in services.EDITABLE_FIELDS if name not in editable]
    initial = {name: getattr(person, name) for name in editable}
    form = PersonForm(posted(request), initial=initial, hidden_fields=hidden)
    done = run_form_action(
        request,
        form,
        lambda data: services.update_person(request.user, person, data, request),
        # Saving nothing new says nothing.
        success=lambda changed: changed and _("Details saved for %(name)s") % {"name": person},
        then=reverse("people:detail", kwargs={"pk": person.pk}),
    )
    if done:
        return done
    if request.method == "POST":
        # A refused change may have been half applied to `person`: show what is saved.
        person.refresh_from_db()
    else:
        record(Action.VIEW, actor=request.user, obj=person, request=request)
    return render(
        request,
        "people/person_edit.html",
        {"person": person, "form": form, "hidden": bool(hidden)},
    )


@require_http_methods(["GET", "POST"])
def restrict(request, pk):
    person = policy.get_person_for(request.user, pk, request)
    if not policy.can_restrict(request.user, person):
        raise PermissionDenied
    form = RestrictionForm(posted(request))
    done = run_form_action(
        request,
        form,
        lambda data: restrictions.restrict(request.user, person, request=request, **data),
        success=_("Restriction recorded"),
        then=reverse("people:detail", kwargs={"pk": person.pk}),
    )
    if done:
        return done
    return render(request, "people/restrict.html", {"person": person, "form": form})


@require_POST
def lift_restriction(request, pk, restriction_pk):
    person = policy.get_person_for(request.user, pk, request)
    restriction = get_object_or_404(person.restrictions, pk=restriction_pk, lifted_at__isnull=True)
    if not policy.can_see_restriction(request.user, restriction):
        raise PermissionDenied
    restrictions.lift(request.user, restriction, request=request)
    messages.success(request, _("Restriction lifted"))
    return redirect("people:detail", pk=person.pk)
