"""Who to call and the directory, for every signed-in professional; districts
and schools, for the council's administrator."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core import policy
from core.forms import ConfirmForm, posted, run_form_action, searched

from . import directory
from .directory_forms import DistrictForm, SchoolForm
from .models import District, Organisation, OrganisationType


def _council(request):
    la = request.user.local_authority
    if la is None:
        raise Http404
    return la


@require_GET
def who_to_call(request):
    la = _council(request)
    districts = [directory.DistrictEntry(d) for d in directory.my_districts(request.user)]
    return render(request, "accounts/who_to_call.html", {"la": la, "districts": districts})


@require_GET
def council_directory(request):
    la = _council(request)
    search = searched(request)
    entries = directory.council_directory(la, search)
    return render(
        request, "accounts/directory.html", {"la": la, "entries": entries, "search": search}
    )


# The administrator's pages -----------------------------------------------------


def _admin_council(request):
    if not policy.can_manage_users(request.user) or request.user.local_authority is None:
        raise PermissionDenied
    return request.user.local_authority


def _district_or_404(la, pk):
    try:
        return District.objects.select_related("early_help_officer").get(pk=pk, local_authority=la)
    except District.DoesNotExist:
        raise Http404 from None


@require_GET
def districts(request):
    la = _admin_council(request)
    return render(
        request,
        "accounts/districts.html",
        {
            "la": la,
            "entries": directory.council_directory(la),
            "unplaced": directory.schools(la).filter(district__isnull=True).order_by("name"),
        },
    )


@require_http_methods(["GET", "POST"])
def district_form(request, pk=None):
    la = _admin_council(request)
    district = _district_or_404(la, pk) if pk is not None else None
    initial = (
        {"name": district.name, "early_help_officer": district.early_help_officer_id}
        if district
        else {}
    )
    form = DistrictForm(posted(request), la=la, initial=initial)
    done = run_form_action(
        request,
        form,
        lambda data: directory.save_district(
            request.user, la, data, district=district, request=request
        ),
        success=lambda saved: _("%(name)s saved") % {"name": saved.name},
        then=lambda saved: reverse("accounts:district", args=[saved.pk]),
    )
    if done:
        return done
    schools = directory.schools(la).filter(district=district).order_by("name") if district else []
    return render(
        request,
        "accounts/district_form.html",
        {"form": form, "district": district, "schools": schools},
    )


@require_http_methods(["GET", "POST"])
def district_remove(request, pk):
    la = _admin_council(request)
    district = _district_or_404(la, pk)
    form = ConfirmForm(posted(request))
    done = run_form_action(
        request,
        form,
        lambda _data: directory.remove_district(request.user, district, request=request),
        success=_("%(name)s removed") % {"name": district.name},
        then=reverse("accounts:districts"),
    )
    if done:
        return done
    return render(
        request,
        "accounts/district_remove.html",
        {
            "form": form,
            "district": district,
            "reason": directory.why_district_cannot_go(district),
        },
    )


@require_http_methods(["GET", "POST"])
def school_form(request, pk=None):
    la = _admin_council(request)
    school = None
    if pk is not None:
        try:
            school = Organisation.objects.get(
                pk=pk, local_authority=la, type=OrganisationType.SCHOOL
            )
        except Organisation.DoesNotExist:
            raise Http404 from None
    if school is not None:
        initial = {
            "name": school.name,
            "school_urn": school.school_urn,
            "district": school.district_id,
            "key_adult": school.key_adult_id,
        }
    else:
        # "Add a school" from a district's page starts in that district.
        initial = {"district": request.GET.get("district", "")[:20]}
    form = SchoolForm(posted(request), la=la, school=school, initial=initial)
    done = run_form_action(
        request,
        form,
        lambda data: directory.save_school(request.user, la, data, school=school, request=request),
        success=lambda saved: _("%(name)s saved") % {"name": saved.name},
        then=lambda saved: reverse("accounts:district", args=[saved.district_id]),
    )
    if done:
        return done
    return render(request, "accounts/school_form.html", {"form": form, "school": school})
