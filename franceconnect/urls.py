from django.urls import path

from franceconnect import views

app_name = "franceconnect"

urlpatterns = [
    path("connexion/", views.StartView.as_view(), name="start"),
    path("retour/", views.callback, name="callback"),
    path("premiere-connexion/", views.complete, name="complete"),
    path("lier/", views.link_pending, name="link_pending"),
    path("deconnecte/", views.logged_out, name="logged_out"),
]
