from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("cases/<int:episode_pk>/access-log/", views.episode_access_log, name="episode_access_log"),
    path("people/<int:person_pk>/access-log/", views.person_access_log, name="person_access_log"),
]
