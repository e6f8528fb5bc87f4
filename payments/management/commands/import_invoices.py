"""Load the billing software's invoices: ``manage.py import_invoices FILE.csv [--dry-run]``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from payments.services.invoice_import import HEADER, BadFile, invoices_import


class Command(BaseCommand):
    help = (
        "Importe les factures d'un fichier CSV (séparateur « ; », UTF-8) dont l'en-tête est "
        f"« {';'.join(HEADER)} ». Une facture déjà importée et inchangée n'est pas modifiée ; "
        "une facture payée ne l'est jamais."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Le fichier CSV du logiciel de facturation.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Vérifie le fichier et affiche le bilan sans rien enregistrer.",
        )

    def handle(self, *args, file: Path, dry_run: bool, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Impossible de lire {file} : {error.strerror}.") from error
        try:
            report = invoices_import(data=data, dry_run=dry_run)
        except BadFile as error:
            raise CommandError(f"{file.name} : {error}. Aucune facture importée.") from error
        if dry_run:
            self.stdout.write("Simulation (--dry-run) : rien n'a été enregistré.")
        self.stdout.write(
            f"{file.name} : {report.read} ligne(s) lue(s) — créées : {report.created}, "
            f"mises à jour : {report.updated}, inchangées : {report.unchanged}, "
            f"rejetées : {len(report.rejections)}."
        )
        for line, reason in report.rejections:
            self.stdout.write(self.style.WARNING(f"Ligne {line} rejetée : {reason}."))
