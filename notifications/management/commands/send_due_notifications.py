"""Send what is due now: for the embedded default (no beat), or from cron."""

from django.core.management.base import BaseCommand

from notifications import services


class Command(BaseCommand):
    help = (
        "Envoie les messages dus (rappels arrivés à échéance, messages non partis). "
        "Sans Celery beat, à lancer par cron, par exemple toutes les minutes."
    )

    def handle(self, *args, **options):
        count = services.messages_requeue()
        self.stdout.write(self.style.SUCCESS(f"{count} message(s) dû(s) remis à l'envoi."))
