from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("", views.task_list, name="task_list"),
    path("start/", views.start, name="start"),
    path("check/", views.check, name="check"),
    path("summary/<int:person_pk>/", views.summary_document, name="document"),
    path("summary/<int:person_pk>.pdf", views.summary_document_pdf, name="document_pdf"),
    path("children/<int:person_pk>/", views.child, name="child"),
    path("children/<int:person_pk>/autosave/", views.child_autosave, name="child_autosave"),
    path("<slug:section>/", views.section, name="section"),
    path("<slug:section>/autosave/", views.section_autosave, name="section_autosave"),
]
