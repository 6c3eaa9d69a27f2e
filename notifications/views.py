from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from . import services


@require_POST
def mark_all_read(request):
    services.mark_all_read(request.user)
    return redirect("core:home")
