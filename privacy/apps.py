from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """« Données personnelles »: retention, the citizen's archive, account closure."""

    name = "privacy"
    verbose_name = "Données personnelles"

    def ready(self):
        from privacy import receivers  # noqa: F401
