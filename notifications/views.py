from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST


@require_POST
def mark_all_read(request):
    request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
    return redirect("core:home")
