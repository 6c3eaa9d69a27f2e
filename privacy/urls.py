from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("people/<int:pk>/subject-access/", views.subject_access, name="subject_access"),
    path(
        "people/<int:pk>/subject-access/copy.<str:fmt>",
        views.subject_access_download,
        name="subject_access_download",
    ),
    path("retention/", views.retention_settings, name="retention"),
]
