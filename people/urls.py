from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/change/", views.person_edit, name="edit"),
    path("<int:pk>/restrict/", views.restrict, name="restrict"),
    path(
        "<int:pk>/restrictions/<int:restriction_pk>/lift/",
        views.lift_restriction,
        name="lift_restriction",
    ),
]
