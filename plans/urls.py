from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_page, name="current"),
    path("agree/", views.agree, name="agree"),
    path("change/", views.change, name="change"),
    path("versions/", views.version_list, name="versions"),
    path("versions/<int:number>/", views.version, name="version"),
    path("actions/<int:pk>/status/", views.action_status, name="action_status"),
    path("copies/", views.copies, name="copies"),
    path("copies/<int:person_pk>/", views.copy, name="copy"),
    path("copies/<int:person_pk>/document/", views.copy_document, name="copy_document"),
    path("copies/<int:person_pk>/document.pdf", views.copy_document_pdf, name="copy_document_pdf"),
]
