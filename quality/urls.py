from django.urls import path

from . import views

app_name = "quality"
urlpatterns = [
    # An audit hangs off its case.
    path("cases/<int:episode_pk>/quality/new/", views.audit_new, name="new"),
    path("cases/<int:episode_pk>/quality/<int:pk>/", views.audit_detail, name="detail"),
    path(
        "cases/<int:episode_pk>/quality/<int:pk>/acknowledge/",
        views.acknowledge,
        name="acknowledge",
    ),
    path("cases/<int:episode_pk>/quality/<int:pk>/reply/", views.reply, name="reply"),
    # The Early Help Officer's and manager's pages.
    path("quality/", views.index, name="index"),
    path("quality/samples/", views.samples, name="samples"),
    path("quality/samples/<int:pk>/", views.sample_detail, name="sample"),
    path("quality/summary/", views.summary, name="summary"),
    # The council's criteria: its administrator and managers.
    path("quality/criteria/", views.criteria, name="criteria"),
    path("quality/criteria/<int:pk>/", views.criterion_rename, name="criterion"),
    path("quality/criteria/<int:pk>/retire/", views.criterion_retire, name="criterion_retire"),
]
