from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from audit.models import Action
from audit.services import record
from core import policy
from core.forms import apply_validation_error, posted

from . import services
from .forms import PersonForm


def person_detail(request, pk):
    person = policy.get_person_for(request.user, pk, request)
    record(Action.VIEW, actor=request.user, obj=person, request=request)
    episodes = (
        policy.episodes_visible_to(request.user)
        .filter(family__memberships__person=person)
        .select_related("district")
    )
    return render(request, "people/person_detail.html", {"person": person, "episodes": episodes})


@require_http_methods(["GET", "POST"])
def person_edit(request, pk):
    person = policy.get_person_for(request.user, pk, request)
    initial = {name: getattr(person, name) for name in services.EDITABLE_FIELDS}
    form = PersonForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.update_person(request.user, person, form.cleaned_data, request)
        except ValidationError as error:
            apply_validation_error(form, error)
            person.refresh_from_db()
        else:
            if changed:
                messages.success(request, _("Details saved for %(name)s") % {"name": person})
            return redirect("people:detail", pk=person.pk)
    else:
        record(Action.VIEW, actor=request.user, obj=person, request=request)
    return render(request, "people/person_edit.html", {"person": person, "form": form})
