from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Installed only for its `seed_demo` command: it has no models and no URLs."""

    name = "demo"
    verbose_name = "Données de démonstration"
