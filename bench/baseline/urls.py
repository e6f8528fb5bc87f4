from django.urls import path

from bench.baseline import views

app_name = "bench_baseline"

urlpatterns = [
    path("connecte/", views.logged_in, name="logged_in"),
    path("texte/", views.bare, name="bare"),
]
