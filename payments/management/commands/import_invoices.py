"""Load the billing software's invoices: ``manage.py import_invoices FILE.csv [--dry-run]``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from common.locks import Busy
from payments.services.invoice_import import HEADER, BadFile, ImportReport, invoices_import


def totals(report: ImportReport) -> str:
    return (
        f"{report.read} ligne(s) lue(s) — créées : {report.created}, "
        f"mises à jour : {report.updated}, inchangées : {report.unchanged}, "
        f"rejetées : {report.rejected}"
    )


class Command(BaseCommand):
    help = (
        "Importe les factures d'un fichier CSV (séparateur « ; », UTF-8) dont l'en-tête est "
        f"« {';'.join(HEADER)} ». Une facture déjà importée et inchangée n'est pas modifiée ; "
        "une facture payée ne l'est jamais. Le fichier est enregistré par lots de 2 000 "
        "lignes ; un seul import à la fois."
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
            source = file.open("rb")
        except OSError as error:
            raise CommandError(f"Impossible de lire {file} : {error.strerror}.") from error
        with source:
            report = self.run(source, name=file.name, dry_run=dry_run)
        if dry_run:
            self.stdout.write("Simulation (--dry-run) : rien n'a été enregistré.")
        self.stdout.write(f"{file.name} : {totals(report)}.")

    def run(self, source, *, name: str, dry_run: bool) -> ImportReport:
        try:
            return invoices_import(source=source, dry_run=dry_run, on_batch=self.batch_done)
        except BadFile as error:
            raise CommandError(f"{name} : {error}. Aucune facture importée.") from error
        except Busy as error:
            raise CommandError(
                "Un autre import de factures est en cours : celui-ci s'arrête sans rien "
                "importer. Relancez-le quand l'autre sera terminé."
            ) from error

    def batch_done(self, report: ImportReport, rejections: list[tuple[int, str]]) -> None:
        for line, reason in rejections:
            self.stdout.write(self.style.WARNING(f"Ligne {line} rejetée : {reason}."))
        self.stderr.write(f"… {totals(report)}", style_func=str)
