"""The council administrator's page of postcode areas (families/postcodes.py)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import District
from core import policy
from core.forms import posted, run_form_action

from . import postcodes
from .postcode_forms import PostcodeAreasForm


@require_http_methods(["GET", "POST"])
def postcode_areas(request):
    if not policy.can_manage_users(request.user) or request.user.local_authority is None:
        raise PermissionDenied
    la = request.user.local_authority
    districts = list(District.objects.filter(local_authority=la).order_by("name"))
    initial = {key: " ".join(codes) for key, codes in postcodes.areas_of(la).items()}
    form = PostcodeAreasForm(posted(request), districts=districts, initial=initial)
    done = run_form_action(
        request,
        form,
        lambda data: postcodes.save_areas(request.user, la, data, request=request),
        success=lambda count: _("Postcode areas saved: %(count)s outward codes") % {"count": count},
        then=reverse("accounts:postcodes"),
    )
    if done:
        return done
    return render(request, "families/postcode_areas.html", {"form": form, "la": la})
