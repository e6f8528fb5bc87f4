from django.urls import path

from households import views
from households.models import Category

app_name = "households"

urlpatterns = [
    path("", views.account_tab, name="account"),
    path("modifier/", views.account_edit, name="account_edit"),
    path(
        "membres/ajouter-un-adulte/",
        views.member_add,
        {"category": Category.ADULT},
        name="member_add_adult",
    ),
    path(
        "membres/ajouter-un-enfant/",
        views.member_add,
        {"category": Category.CHILD},
        name="member_add_child",
    ),
    path("membres/<int:pk>/", views.member_detail, name="member_detail"),
    path("membres/<int:pk>/modifier/", views.member_edit, name="member_edit"),
    path("membres/<int:pk>/retirer/", views.member_remove, name="member_remove"),
]
