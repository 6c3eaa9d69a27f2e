from django.urls import path

from . import views

app_name = "matching"
urlpatterns = [
    path("", views.duplicate_list, name="duplicates"),
    path("<int:pk>/", views.compare, name="compare"),
    path("merges/", views.merge_list, name="merges"),
    path("merges/<int:pk>/undo/", views.undo, name="undo"),
]
