from django.urls import path

from staff_login import proconnect

app_name = "proconnect"

urlpatterns = [
    path("connexion/", proconnect.StartView.as_view(), name="start"),
    path("retour/", proconnect.callback, name="callback"),
    path("deconnecte/", proconnect.logged_out, name="logged_out"),
]
