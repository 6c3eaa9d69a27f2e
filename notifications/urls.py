from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("read/", views.mark_all_read, name="mark_all_read"),
    path("failed-emails/", views.failed_emails, name="failed_emails"),
    path("failed-emails/<int:pk>/send-again/", views.send_again, name="send_again"),
]
