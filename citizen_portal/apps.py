from django.apps import AppConfig


class CitizenPortalConfig(AppConfig):
    name = "citizen_portal"
    verbose_name = "Votre espace citoyen"
