from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/change/", views.person_edit, name="edit"),
]
