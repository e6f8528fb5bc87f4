from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "procedures"
    verbose_name = "Démarches"

    def ready(self):
        from procedures import receivers  # noqa: F401
        from procedures.catalogue import cache

        cache.connect_signals()

        from procedures import statistics

        statistics.register()

        from notifications.attachments import attachment_builder_register
        from procedures.decisions import files

        attachment_builder_register(files.DECISION_ATTACHMENT, files.decision_attachment)
