"""The treasurer's export of a régie's payments: ``manage.py export_payments --regie CODE
--du AAAA-MM-JJ --au AAAA-MM-JJ [--sortie FICHIER.csv]``, to reconcile with the DGFiP's
statements (or the bank's). CSV « ; », UTF-8 with BOM, formula-safe cells."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from common.spreadsheets import SafeWriter
from payments.models import Regie
from payments.providers.eopayment_provider import refdet_of
from payments.selectors import payments_for_export

HEADER = [
    "paiement",
    "regie",
    "etat",
    "paye_le",
    "montant",
    "a_rembourser",
    "prestataire",
    "reference_prestataire",
    "refdet",
    "factures",
    "debiteur",
]


def day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"Date invalide « {text} » (attendu AAAA-MM-JJ).") from error


def row_of(payment) -> list:
    account = payment.household.account if payment.household else None
    debtor = account.get_full_name() if account else ""
    paid_at = (
        timezone.localtime(payment.paid_at).strftime("%d/%m/%Y %H:%M") if payment.paid_at else ""
    )
    return [
        payment.receipt_number,
        payment.regie.name,
        payment.get_state_display(),
        paid_at,
        f"{payment.amount:.2f}".replace(".", ","),
        f"{payment.refund_due:.2f}".replace(".", ","),
        payment.get_provider_display(),
        payment.provider_reference,
        refdet_of(payment),
        " ".join(line.invoice.number for line in payment.lines.all()),
        debtor or " ".join({line.invoice.debtor_name for line in payment.lines.all()}).strip(),
    ]


def write(stream, payments) -> None:
    writer = SafeWriter(stream, delimiter=";")
    writer.writerow(HEADER)
    for payment in payments:
        writer.writerow(row_of(payment))


class Command(BaseCommand):
    help = (
        "Exporte en CSV les paiements d'une régie (payés dans la période, et ceux à "
        "rembourser ouverts dans la période) pour le rapprochement avec les relevés."
    )

    def add_arguments(self, parser):
        parser.add_argument("--regie", required=True, help="Le code de la régie.")
        parser.add_argument("--du", required=True, help="Premier jour, AAAA-MM-JJ.")
        parser.add_argument("--au", required=True, help="Dernier jour inclus, AAAA-MM-JJ.")
        parser.add_argument("--sortie", help="Le fichier à écrire (sinon la sortie standard).")

    def handle(self, *args, regie, du, au, sortie, **options):
        found = Regie.objects.filter(code=regie).first()
        if found is None:
            codes = ", ".join(Regie.objects.values_list("code", flat=True)) or "aucune"
            raise CommandError(f"Régie inconnue « {regie} » (codes : {codes}).")
        start, end = day(du), day(au)
        if end < start:
            raise CommandError("La date --au précède la date --du.")
        payments = list(payments_for_export(regie=found, start=start, end=end))
        if sortie:
            with open(sortie, "w", encoding="utf-8-sig", newline="") as stream:
                write(stream, payments)
        else:
            write(self.stdout, payments)
        self.stderr.write(f"{len(payments)} paiement(s) de « {found.name} » du {du} au {au}.")
