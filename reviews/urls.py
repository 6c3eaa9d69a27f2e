from django.urls import path

from . import views

app_name = "reviews"
urlpatterns = [
    path("", views.review_list, name="list"),
    path("new/", views.record_review, name="record"),
    path("<int:pk>/", views.review_detail, name="detail"),
    path("<int:pk>/outcome/<int:person_pk>/", views.outcome_document, name="document"),
    path("<int:pk>/outcome/<int:person_pk>.pdf", views.outcome_document_pdf, name="document_pdf"),
]
