"""The benchmark's URLs: the application's, and the floor page.

The floor is the least a signed-in page can cost: every middleware (sessions,
two-factor, the council scope, the idle timeout) and one tiny response, no
query of its own. Pages are reported as multiples of it.
"""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.cache import never_cache

from earlyhelp import urls as application


@never_cache
def floor(request):
    return HttpResponse(f"signed in as {request.user.pk}", content_type="text/plain")


# The application's patterns themselves, not include()d: Django refuses an
# included URLconf with language-prefixed patterns (the family pages').
urlpatterns = [
    path("bench/floor/", floor, name="bench_floor"),
    *application.urlpatterns,
]
handler403 = application.handler403
