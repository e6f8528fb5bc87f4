"""Ask the provider about the payments left pending (a webhook lost); beat runs it too."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from payments.models import PaymentState
from payments.services import payments_reconcile
from payments.services.payment import STALE_AFTER


class Command(BaseCommand):
    help = "Rapproche les paiements en attente depuis plus de 15 minutes avec le prestataire."

    def add_arguments(self, parser):
        parser.add_argument(
            "--minutes",
            type=int,
            default=int(STALE_AFTER.total_seconds() // 60),
            help="Ancienneté minimale d'un paiement en attente, en minutes (15 par défaut).",
        )

    def handle(self, *args, minutes, **options):
        counts = payments_reconcile(older_than=timedelta(minutes=minutes))
        if not counts:
            self.stdout.write("Aucun paiement en attente à rapprocher.")
            return
        labels = {
            PaymentState.PAID: "payés",
            PaymentState.FAILED: "refusés",
            PaymentState.EXPIRED: "expirés",
            PaymentState.CANCELLED: "abandonnés",
            PaymentState.PENDING: "toujours en attente",
            "errors": "sans réponse du prestataire",
        }
        summary = ", ".join(f"{labels.get(key, key)} : {value}" for key, value in counts.items())
        self.stdout.write(f"Paiements rapprochés — {summary}.")
