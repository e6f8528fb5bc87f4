from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Messages aux citoyens"

    def ready(self):
        from notifications import receivers  # noqa: F401
