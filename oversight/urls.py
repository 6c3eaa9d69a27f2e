from django.urls import path

from . import views

app_name = "oversight"
urlpatterns = [
    path("", views.alert_list, name="worklist"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("timescales/", views.timescales, name="timescales"),
    path("<int:pk>/acknowledge/", views.alert_acknowledge, name="acknowledge"),
    path("<int:pk>/chase/", views.alert_chase, name="chase"),
]
