from django.urls import path

from . import views

app_name = "panels"
urlpatterns = [
    path("", views.panel_list, name="list"),
    path("new/", views.arrange, name="arrange"),
    path("<int:pk>/", views.panel_detail, name="detail"),
    path("<int:pk>/members/", views.add_member, name="add_member"),
    path("<int:pk>/members/<int:user_pk>/remove/", views.remove_member, name="remove_member"),
    path("<int:pk>/agenda/", views.add_case, name="add_case"),
    path("<int:pk>/agenda/<int:item_pk>/", views.outcome, name="outcome"),
    path("<int:pk>/close/", views.close, name="close"),
]
