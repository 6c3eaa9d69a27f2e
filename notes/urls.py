from django.urls import path

from . import views

app_name = "notes"
urlpatterns = [
    path("", views.case_notes, name="list"),
    path("new/", views.add_note, name="add_note"),
    path("attachments/new/", views.add_attachment, name="add_attachment"),
    path("attachments/<int:pk>/", views.download, name="download"),
]
