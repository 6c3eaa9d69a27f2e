from django.urls import path

from . import staff_views

app_name = "family_requests"

urlpatterns = [
    path("", staff_views.queue, name="queue"),
    path("<int:pk>/start-case/", staff_views.start_case, name="start_case"),
    path("<int:pk>/close/", staff_views.close_request, name="close"),
]
