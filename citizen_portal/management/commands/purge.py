"""Retention: delete what the « Données personnelles » page says is not kept."""

from django.core.management.base import BaseCommand
from django.db import transaction

from backoffice import journal
from notifications.services import sent_messages_purge, sent_messages_to_purge
from procedures import services as requests


class Command(BaseCommand):
    help = (
        "Supprime ce qui a dépassé sa durée de conservation : brouillons de plus de 30 jours, "
        "demandes sans compte closes (et leurs documents) après ANONYMOUS_REQUEST_RETENTION_DAYS, "
        "messages envoyés après SENT_MESSAGE_RETENTION_DAYS, journal des consultations des agents "
        "après ACCESS_JOURNAL_RETENTION_DAYS."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="compte sans rien supprimer")

    def handle(self, *args, dry_run=False, **options):
        drafts = requests.stale_drafts()
        anonymous = requests.stale_anonymous_requests()
        messages = sent_messages_to_purge()
        accesses = journal.stale_entries()
        if dry_run:
            self.stdout.write(
                f"Simulation : {drafts.count()} brouillon(s), {anonymous.count()} demande(s) sans "
                f"compte, {messages.count()} message(s), {accesses.count()} consultation(s) du "
                "journal seraient supprimés."
            )
            return
        with transaction.atomic():
            counts = (
                requests.drafts_purge(),
                requests.anonymous_requests_purge(),
                sent_messages_purge(),
                journal.access_entries_purge(),
            )
        self.stdout.write(
            self.style.SUCCESS(
                "Supprimés : {} brouillon(s), {} demande(s) sans compte, {} message(s), "
                "{} consultation(s) du journal.".format(*counts)
            )
        )
