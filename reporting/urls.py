from django.urls import path

from . import views

app_name = "reporting"
urlpatterns = [
    path("reports/", views.index, name="index"),
    path("reports/partnership/", views.partnership, name="partnership"),
]
