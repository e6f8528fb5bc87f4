from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("mes-donnees/", views.data_page, name="data"),
    path("mes-donnees/preparer/", views.data_export_request, name="data_export"),
    path("mes-donnees/<int:pk>/archive.zip", views.data_export_download, name="data_download"),
    path("fermer/", views.account_close, name="close"),
    path("ferme/", views.account_closed, name="closed"),
]
