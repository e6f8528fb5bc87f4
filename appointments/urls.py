from django.urls import path

from appointments import views

app_name = "appointments"

urlpatterns = [
    path("", views.index, name="index"),
    path("lien-perdu/", views.lost_link, name="lost_link"),
    path("mes-rendez-vous/<int:pk>/", views.mine, name="mine"),
    path("gerer/<str:token>/", views.manage, name="manage"),
    path("gerer/<str:token>/confirmation/", views.done, name="done"),
    path("gerer/<str:token>/deplacer/", views.move, name="move"),
    path("gerer/<str:token>/rendez-vous.ics", views.ics, name="ics"),
    path("<slug:slug>/", views.agenda_days, name="agenda"),
    path("<slug:slug>/reserver/", views.book, name="book"),
]
