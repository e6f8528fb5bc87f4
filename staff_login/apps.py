from django.apps import AppConfig


class StaffLoginConfig(AppConfig):
    default = True
    name = "staff_login"
    verbose_name = "Connexion des agents"

    def ready(self):
        from staff_login import checks, signals  # noqa: F401 - registers them
