from django.urls import path

from households import views

app_name = "households"

urlpatterns = [
    path("", views.account_tab, name="account"),
]
