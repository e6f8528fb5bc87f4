"""Give failed messages another round of attempts."""

from django.core.management.base import BaseCommand

from notifications import selectors, services


class Command(BaseCommand):
    help = "Renvoie les messages en échec (tous, ou ceux dont on donne les numéros)."

    def add_arguments(self, parser):
        parser.add_argument(
            "ids", nargs="*", type=int, help="numéros des messages (par défaut : tous)"
        )

    def handle(self, *args, ids, **options):
        failed = selectors.failed_messages_count()
        count = services.messages_resend(pks=ids or None)
        self.stdout.write(
            self.style.SUCCESS(f"{count} message(s) remis à l'envoi sur {failed} en échec.")
        )
