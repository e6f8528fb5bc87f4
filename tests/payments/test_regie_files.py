"""The régie in and out of files: ``import_invoices``' optional ``regie`` column and the
treasurer's ``export_payments --regie … --du … --au …`` (CSV, formula-safe)."""

import csv
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from payments.models import Invoice, Payment
from payments.services import basket_add_invoice, payment_confirm, payment_start
from tests.payments.factories import InvoiceFactory
from tests.payments.payfip_fake import card_regie, payfip_regie
from tests.payments.test_invoice_import import HEADER, run

pytestmark = pytest.mark.django_db


@pytest.fixture
def regies(settings):
    settings.PAYFIP_SIMULATOR_ENABLED = True
    return payfip_regie(domains=("scolaire", "periscolaire")), card_regie()


def write(tmp_path, *rows, header=HEADER + ";regie"):
    path = tmp_path / "factures.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_a_file_without_the_column_sends_each_invoice_to_its_domains_regie(tmp_path, payer, regies):
    school, music = regies
    path = write(
        tmp_path,
        f"F-1;{payer.identifier};Cantine;scolaire;12,50;05/11/2026;30/11/2026",
        f"F-2;{payer.identifier};Piano;conservatoire;85,00;05/11/2026;30/11/2026",
        f"F-3;{payer.identifier};Centre de loisirs;extrascolaire;20,00;05/11/2026;30/11/2026",
        header=HEADER,
    )
    assert "créées : 3" in run(path)
    regie_of = dict(Invoice.objects.values_list("number", "regie__code"))
    assert regie_of == {"F-1": "scolaire", "F-2": "conservatoire", "F-3": None}


def test_the_regie_column_names_a_regie_by_code_or_name_and_an_unknown_one_is_rejected(
    tmp_path, payer, regies
):
    path = write(
        tmp_path,
        f"F-1;{payer.identifier};Cantine;scolaire;12,50;05/11/2026;30/11/2026;conservatoire",
        f"F-2;{payer.identifier};Piano;conservatoire;85,00;05/11/2026;30/11/2026;"
        "Régie scolaire et périscolaire",
        f"F-3;{payer.identifier};Cantine;scolaire;9,00;05/11/2026;30/11/2026;",
        f"F-4;{payer.identifier};Cantine;scolaire;9,00;05/11/2026;30/11/2026;régie des sports",
    )
    out = run(path)
    assert "Ligne 5 rejetée : régie inconnue « régie des sports »." in out
    assert "créées : 3" in out
    regie_of = dict(Invoice.objects.values_list("number", "regie__code"))
    assert regie_of == {"F-1": "conservatoire", "F-2": "scolaire", "F-3": "scolaire"}


def test_an_imported_invoice_never_changes_regie(tmp_path, payer, regies):
    first = f"F-1;{payer.identifier};Cantine;scolaire;12,50;05/11/2026;30/11/2026"
    run(write(tmp_path, first + ";scolaire"))
    out = run(write(tmp_path, first + ";conservatoire"))
    assert "la facture F-1 est d'une autre régie : sa régie ne change pas" in out
    assert Invoice.objects.get().regie.code == "scolaire"


def test_a_line_with_a_missing_regie_cell_is_rejected_for_its_columns(tmp_path, payer, regies):
    out = run(write(tmp_path, f"F-1;{payer.identifier};Cantine;scolaire;1;05/11/2026;30/11/2026"))
    assert "Ligne 2 rejetée : 7 colonnes au lieu de 8." in out


def paid(household, payer, regie, amount):
    invoice = InvoiceFactory(household=household, regie=regie, amount=Decimal(amount))
    basket_add_invoice(invoice=invoice, by=payer)
    payment = payment_start(household=household, by=payer, regie=regie)
    payment_confirm(payment=payment, source="admin")
    return Payment.objects.get(pk=payment.pk)


def export(*args) -> list[list[str]]:
    out, err = StringIO(), StringIO()
    call_command("export_payments", *args, stdout=out, stderr=err)
    return list(csv.reader(StringIO(out.getvalue()), delimiter=";"))


def test_the_export_lists_the_regies_payments_of_the_period_formula_safe(household, payer, regies):
    school, music = regies
    type(payer).objects.filter(pk=payer.pk).update(first_name="=HYPERLINK(1)")
    mine = paid(household, payer, school, "103.25")
    paid(household, payer, music, "85.00")
    today = timezone.localdate().isoformat()
    rows = export("--regie", "scolaire", "--du", today, "--au", today)
    assert rows[0][:5] == ["paiement", "regie", "etat", "paye_le", "montant"]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["paiement"] == mine.receipt_number
    assert row["montant"] == "103,25" and row["etat"] == "Payé"
    assert row["debiteur"] == "'=HYPERLINK(1) MARTIN"  # Text, not a formula.
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert len(export("--regie", "scolaire", "--du", tomorrow, "--au", tomorrow)) == 1


def test_the_export_refuses_an_unknown_regie_and_bad_dates(regies):
    with pytest.raises(CommandError, match="Régie inconnue « sports »"):
        export("--regie", "sports", "--du", "2026-01-01", "--au", "2026-01-31")
    with pytest.raises(CommandError, match="Date invalide"):
        export("--regie", "scolaire", "--du", "01/01/2026", "--au", "2026-01-31")
    with pytest.raises(CommandError, match="précède"):
        export("--regie", "scolaire", "--du", "2026-02-01", "--au", "2026-01-31")
