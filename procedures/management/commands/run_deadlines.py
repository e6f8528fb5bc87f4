"""Run the procedures' deadlines now (what the beat does every hour in the day), for cron.

Safe to run twice, and beside the beat: one run at a time, and a decision already taken
is not taken again (procedures.deadlines).
"""

from django.core.management.base import BaseCommand, CommandError

from common.locks import Busy, exclusive
from procedures import deadlines


class Command(BaseCommand):
    help = (
        "Applique les délais des démarches : relances, classements sans suite, courriel "
        "quotidien aux agents, décisions implicites (règle du silence)."
    )

    def handle(self, *args, **options):
        try:
            with exclusive(deadlines.LOCK_NAME):
                report = deadlines.deadlines_run()
        except Busy:
            raise CommandError("Une autre exécution des délais est en cours.") from None
        self.stdout.write(report.summary())
