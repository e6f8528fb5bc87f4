from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "procedures"
    verbose_name = "Démarches"

    def ready(self):
        from procedures import catalogue, receivers  # noqa: F401

        catalogue.connect_signals()
