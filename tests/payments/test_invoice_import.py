"""`manage.py import_invoices FILE.csv`: idempotent by number, every rejection reported."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from payments.models import Domain, Invoice, InvoiceEvent, InvoiceState
from payments.services import basket_add_invoice, invoice_settle_at_counter, payment_start
from tests.factories import ClerkFactory

pytestmark = pytest.mark.django_db

HEADER = "numero;identifiant;libelle;domaine;montant;date_emission;date_echeance"


@pytest.fixture
def csv_file(tmp_path):
    def write(*rows: str, header: str = HEADER, bom: bool = False, name="factures.csv"):
        text = "\n".join([header, *rows]) + "\n"
        path = tmp_path / name
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
        return path

    return write


def run(path, *args) -> str:
    out = StringIO()
    call_command("import_invoices", str(path), *args, stdout=out)
    return out.getvalue()


def test_it_creates_invoices_with_both_number_and_date_formats(csv_file, payer, household):
    path = csv_file(
        f"F-001;{payer.identifier};Cantine octobre;scolaire;12,50;05/11/2026;30/11/2026",
        f"F-002;{payer.identifier.upper()};Accueil;périscolaire;1234.5;2026-11-05;2026-11-30",
    )
    out = run(path)
    assert "créées : 2, mises à jour : 0, inchangées : 0, rejetées : 0" in out
    first, second = Invoice.objects.order_by("number")
    assert (first.amount, first.issue_date, first.due_date) == (
        Decimal("12.50"),
        date(2026, 11, 5),
        date(2026, 11, 30),
    )
    assert first.household == household
    assert first.state == InvoiceState.TO_PAY
    assert (second.amount, second.domain) == (Decimal("1234.50"), Domain.AFTER_SCHOOL)
    assert second.issue_date == date(2026, 11, 5)
    assert InvoiceEvent.objects.filter(kind=InvoiceEvent.Kind.CREATED).count() == 2


def test_a_file_with_a_bom_is_read(csv_file, payer):
    path = csv_file(
        f"F-BOM;{payer.identifier};Cantine;scolaire;3,85;01/11/2026;30/11/2026", bom=True
    )
    assert "créées : 1" in run(path)
    assert Invoice.objects.get().number == "F-BOM"


def test_every_rejection_is_reported_with_its_line_and_reason(csv_file, payer):
    me = payer.identifier
    path = csv_file(
        f"F-OK;{me};Cantine;scolaire;10,00;01/11/2026;30/11/2026",  # line 2
        f"F-COLS;{me};Cantine;scolaire;10,00;01/11/2026",  # 3
        f";{me};Cantine;scolaire;10,00;01/11/2026;30/11/2026",  # 4
        "F-WHO;inconnu;Cantine;scolaire;10,00;01/11/2026;30/11/2026",  # 5
        f"F-LABEL;{me};;scolaire;10,00;01/11/2026;30/11/2026",  # 6
        f"F-DOM;{me};Piscine;sport;10,00;01/11/2026;30/11/2026",  # 7
        f"F-AMT;{me};Cantine;scolaire;dix euros;01/11/2026;30/11/2026",  # 8
        f"F-NEG;{me};Cantine;scolaire;-3,00;01/11/2026;30/11/2026",  # 9
        f"F-CENT;{me};Cantine;scolaire;3,855;01/11/2026;30/11/2026",  # 10
        f"F-DATE;{me};Cantine;scolaire;10,00;31/02/2026;30/11/2026",  # 11
        f"F-DUE;{me};Cantine;scolaire;10,00;01/11/2026;2026/11/30",  # 12
        f"F-BEFORE;{me};Cantine;scolaire;10,00;01/11/2026;31/10/2026",  # 13
        f"F-OK;{me};Cantine;scolaire;10,00;01/11/2026;30/11/2026",  # 14
        ";inconnu;Cantine;scolaire;10,00;01/11/2026;30/11/2026;en trop",  # 15
    )
    out = run(path)
    assert "créées : 1" in out
    assert "rejetées : 13" in out
    expected = [
        "Ligne 3 rejetée : 6 colonnes au lieu de 7.",
        "Ligne 4 rejetée : numéro de facture manquant.",
        "Ligne 5 rejetée : identifiant inconnu « inconnu ».",
        "Ligne 6 rejetée : libellé manquant.",
        "Ligne 7 rejetée : domaine inconnu « sport » "
        "(attendu : scolaire, periscolaire, extrascolaire, conservatoire).",
        "Ligne 8 rejetée : montant invalide « dix euros ».",
        "Ligne 9 rejetée : montant nul ou négatif « -3,00 ».",
        "Ligne 10 rejetée : montant invalide « 3,855 » (deux décimales au plus).",
        "Ligne 11 rejetée : date d'émission invalide « 31/02/2026 » "
        "(attendu JJ/MM/AAAA ou AAAA-MM-JJ).",
        "Ligne 12 rejetée : date d'échéance invalide « 2026/11/30 » "
        "(attendu JJ/MM/AAAA ou AAAA-MM-JJ).",
        "Ligne 13 rejetée : date d'échéance antérieure à la date d'émission.",
        "Ligne 14 rejetée : numéro F-OK déjà présent ligne 2.",
        "Ligne 15 rejetée : 8 colonnes au lieu de 7.",
    ]
    for line in expected:
        assert line in out
    assert list(Invoice.objects.values_list("number", flat=True)) == ["F-OK"]


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (
            "F-{long};{me};Cantine;scolaire;1,00;01/11/2026;30/11/2026",
            "numéro de facture trop long",
        ),
        ("F-NOID;;Cantine;scolaire;1,00;01/11/2026;30/11/2026", "identifiant manquant"),
        ("F-LONG;{me};{long};scolaire;1,00;01/11/2026;30/11/2026", "libellé trop long"),
        ("F-BIG;{me};Cantine;scolaire;10000000;01/11/2026;30/11/2026", "montant trop élevé"),
        ("F-ZERO;{me};Cantine;scolaire;0,00;01/11/2026;30/11/2026", "montant nul ou négatif"),
    ],
)
def test_the_other_rejection_reasons(csv_file, payer, row, reason):
    out = run(csv_file(row.format(me=payer.identifier, long="x" * 201)))
    assert f"Ligne 2 rejetée : {reason}" in out
    assert not Invoice.objects.exists()


def test_a_staff_identifier_is_unknown_and_another_households_number_is_refused(
    csv_file, payer, other_household
):
    clerk = ClerkFactory()
    Invoice.objects.create(
        household=other_household,
        number="F-THEIRS",
        domain=Domain.SCHOOL,
        label="Cantine",
        amount=Decimal("5.00"),
        issue_date=date(2026, 11, 1),
        due_date=date(2026, 11, 30),
    )
    out = run(
        csv_file(
            f"F-CLERK;{clerk.identifier};Cantine;scolaire;5,00;01/11/2026;30/11/2026",
            f"F-THEIRS;{payer.identifier};Cantine;scolaire;5,00;01/11/2026;30/11/2026",
        )
    )
    assert f"Ligne 2 rejetée : identifiant inconnu « {clerk.identifier} »." in out
    assert "Ligne 3 rejetée : la facture F-THEIRS appartient à un autre foyer." in out
    assert Invoice.objects.get(number="F-THEIRS").household == other_household


def test_a_reimport_changes_nothing_and_a_corrected_row_updates(csv_file, payer):
    row = f"F-1;{payer.identifier};Cantine;scolaire;10,00;01/11/2026;30/11/2026"
    run(csv_file(row))
    before = Invoice.objects.get().updated_at
    assert "créées : 0, mises à jour : 0, inchangées : 1" in run(csv_file(row))
    assert Invoice.objects.get().updated_at == before
    corrected = row.replace("10,00", "11.20")
    assert "mises à jour : 1" in run(csv_file(corrected))
    invoice = Invoice.objects.get()
    assert invoice.amount == Decimal("11.20")
    event = invoice.events.get(kind=InvoiceEvent.Kind.UPDATED)
    assert event.changes == {"amount": {"old": "10.00", "new": "11.20"}}


def test_a_paid_invoice_is_never_changed(csv_file, payer):
    row = f"F-PAID;{payer.identifier};Cantine;scolaire;10,00;01/11/2026;30/11/2026"
    run(csv_file(row))
    invoice_settle_at_counter(invoice=Invoice.objects.get(), by=payer)
    assert "inchangées : 1" in run(csv_file(row))
    out = run(csv_file(row.replace("10,00", "99,00")))
    assert "Ligne 2 rejetée : la facture F-PAID est « Payée » : elle n'est pas modifiée." in out
    invoice = Invoice.objects.get()
    assert (invoice.amount, invoice.state) == (Decimal("10.00"), InvoiceState.PAID)


def test_an_invoice_being_paid_is_not_changed(csv_file, payer, household):
    row = f"F-PAYING;{payer.identifier};Cantine;scolaire;10,00;01/11/2026;30/11/2026"
    run(csv_file(row))
    basket_add_invoice(invoice=Invoice.objects.get(), by=payer)
    payment_start(household=household, by=payer)
    out = run(csv_file(row.replace("10,00", "12,00")))
    assert "un paiement en ligne de la facture F-PAYING est en cours" in out
    assert Invoice.objects.get().amount == Decimal("10.00")


@pytest.mark.parametrize(
    "header",
    [
        "numero;identifiant;libelle;domaine;montant;date_emission",
        "numero,identifiant,libelle,domaine,montant,date_emission,date_echeance",
        "facture;identifiant;libelle;domaine;montant;date_emission;date_echeance",
        "",
    ],
)
def test_a_wrong_header_imports_nothing(csv_file, payer, header):
    path = csv_file(
        f"F-1;{payer.identifier};Cantine;scolaire;10,00;01/11/2026;30/11/2026", header=header
    )
    with pytest.raises(CommandError, match="en-tête incorrect.*Aucune facture importée"):
        run(path)
    assert not Invoice.objects.exists()


def test_a_file_not_in_utf8_imports_nothing(tmp_path, payer):
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        (
            HEADER + f"\nF-1;{payer.identifier};Périscolaire;scolaire;1,00;01/11/2026;30/11/2026\n"
        ).encode("latin-1")
    )
    with pytest.raises(CommandError, match="pas en UTF-8"):
        run(path)
    assert not Invoice.objects.exists()


def test_dry_run_reports_without_writing(csv_file, payer):
    existing = f"F-1;{payer.identifier};Cantine;scolaire;10,00;01/11/2026;30/11/2026"
    run(csv_file(existing))
    path = csv_file(
        existing.replace("10,00", "20,00"),
        f"F-2;{payer.identifier};Cantine;scolaire;5,00;01/11/2026;30/11/2026",
        "F-3;inconnu;Cantine;scolaire;5,00;01/11/2026;30/11/2026",
    )
    out = run(path, "--dry-run")
    assert "Simulation (--dry-run) : rien n'a été enregistré." in out
    assert "créées : 1, mises à jour : 1, inchangées : 0, rejetées : 1" in out
    assert list(Invoice.objects.values_list("number", "amount")) == [("F-1", Decimal("10.00"))]
    assert InvoiceEvent.objects.count() == 1


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Impossible de lire"):
        run(tmp_path / "absent.csv")
