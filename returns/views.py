"""Statutory returns for the council's early help managers: the page asks the
date to report as of and answers with the workbook (returns.annex_a.export,
which checks the policy and audits the export)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from core import policy
from core.forms import posted

from . import annex_a
from .forms import AnnexAForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def annex_a_page(request):
    if not policy.can_export_statutory_returns(request.user):
        raise PermissionDenied
    council = request.user.local_authority
    form = AnnexAForm(posted(request), initial={"as_of": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        as_of = form.cleaned_data["as_of"]
        data = annex_a.export(council, as_of, actor=request.user, request=request)
        response = HttpResponse(data, content_type=XLSX)
        response["Content-Disposition"] = (
            f'attachment; filename="{annex_a.filename(council, as_of)}"'
        )
        response["Cache-Control"] = "no-store"
        return response
    first, last = annex_a.window(timezone.localdate())
    return render(
        request,
        "returns/annex_a.html",
        {"form": form, "council": council, "window_start": first, "window_end": last},
    )
