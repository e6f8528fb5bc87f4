from django.apps import AppConfig
from django.core.cache import caches
from django.core.signals import setting_changed


def forget_page_chrome(*, setting, **kwargs):
    """The header and footer are cached once rendered (templates/base.html): a test that
    changes the town or the static files must see them rendered again."""
    if setting in {"TOWN", "STATIC_URL", "STORAGES", "ROOT_URLCONF"}:
        caches["fragments"].clear()


class CitizenPortalConfig(AppConfig):
    name = "citizen_portal"
    verbose_name = "Votre espace citoyen"

    def ready(self):
        setting_changed.connect(forget_page_chrome)
