from django.urls import path

from procedures import views

app_name = "procedures"

urlpatterns = [
    path("services-en-ligne/", views.catalogue, name="catalogue"),
    path("demandes/", views.request_list, name="request_list"),
]
