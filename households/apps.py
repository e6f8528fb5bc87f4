from django.apps import AppConfig


class HouseholdsConfig(AppConfig):
    name = "households"
    verbose_name = "Foyers"

    def ready(self) -> None:
        from households import receivers  # noqa: F401 - connects the signal receivers
