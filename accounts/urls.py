from django.urls import path

from accounts.views import auth, email, password, registration

app_name = "accounts"

urlpatterns = [
    path("connexion/", auth.LoginView.as_view(), name="login"),
    path("deconnexion/", auth.LogoutView.as_view(), name="logout"),
    path("creer/", registration.register, name="register"),
    path("creer/merci/", registration.register_done, name="register_done"),
    path("mot-de-passe-oublie/", password.password_forgotten, name="password_forgotten"),
    path(
        "mot-de-passe-oublie/envoye/",
        password.password_forgotten_done,
        name="password_forgotten_done",
    ),
    path("mot-de-passe/", password.password_change, name="password_change"),
    path(
        "adresse/confirmer/<str:token>/",
        email.email_link,
        {"kind": "confirm"},
        name="email_confirm",
    ),
    path("adresse/annuler/<str:token>/", email.email_link, {"kind": "cancel"}, name="email_cancel"),
]
