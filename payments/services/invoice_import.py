"""The billing software's CSV file of invoices, imported idempotently by invoice number.

``numero;identifiant;libelle;domaine;montant;date_emission;date_echeance``,
semicolon-separated, UTF-8 with or without BOM; amounts ``12,50`` or ``12.50``,
dates ``31/12/2026`` or ``2026-12-31``. A row already imported and unchanged
changes nothing; a paid or cancelled invoice is never changed; a row that cannot
be imported is reported with its line number and reason, and the others go on.
"""

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction

from accounts.identifiers import normalize_identifier
from accounts.models import User
from households.services import household_get_or_create
from payments.models import Domain, Invoice, InvoiceState
from payments.services.invoices import (
    InvoiceRefused,
    invoice_create,
    invoice_update,
    is_being_paid,
)

HEADER = [
    "numero",
    "identifiant",
    "libelle",
    "domaine",
    "montant",
    "date_emission",
    "date_echeance",
]
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")
MAX_AMOUNT = Decimal("9999999.99")
IMPORT_NOTE = "Import du logiciel de facturation"


class BadFile(Exception):
    """Nothing can be read from this file: nothing is imported."""


class Rejected(Exception):
    """One row cannot be imported; ``str()`` says why."""


@dataclass(frozen=True)
class Row:
    line: int
    number: str
    identifier: str
    label: str
    domain: str
    amount: Decimal
    issue_date: date
    due_date: date


@dataclass
class ImportReport:
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejections: list[tuple[int, str]] = field(default_factory=list)

    def reject(self, line: int, reason: str) -> None:
        self.rejections.append((line, reason))


def without_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


DOMAINS = {without_accents(value).lower(): value for value in Domain.values} | {
    without_accents(str(label)).lower(): value for value, label in Domain.choices
}


def parse_amount(text: str) -> Decimal:
    cleaned = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace(",", ".")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise Rejected(f"montant invalide « {text} »") from None
    if not amount.is_finite() or amount.as_tuple().exponent < -2:
        raise Rejected(f"montant invalide « {text} » (deux décimales au plus)")
    if amount <= 0:
        raise Rejected(f"montant nul ou négatif « {text} »")
    if amount > MAX_AMOUNT:
        raise Rejected(f"montant trop élevé « {text} »")
    return amount.quantize(Decimal("0.01"))


def parse_date(text: str, *, what: str) -> date:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise Rejected(f"{what} invalide « {text} » (attendu JJ/MM/AAAA ou AAAA-MM-JJ)")


def parse_row(line: int, cells: list[str]) -> Row:
    if len(cells) != len(HEADER):
        raise Rejected(f"{len(cells)} colonnes au lieu de {len(HEADER)}")
    number, identifier, label, domain, amount, issued, due = (cell.strip() for cell in cells)
    if not number:
        raise Rejected("numéro de facture manquant")
    if len(number) > Invoice._meta.get_field("number").max_length:
        raise Rejected(f"numéro de facture trop long « {number} »")
    if not identifier:
        raise Rejected("identifiant manquant")
    if not label:
        raise Rejected("libellé manquant")
    if len(label) > Invoice._meta.get_field("label").max_length:
        raise Rejected("libellé trop long")
    if without_accents(domain).lower() not in DOMAINS:
        expected = ", ".join(Domain.values)
        raise Rejected(f"domaine inconnu « {domain} » (attendu : {expected})")
    issue_date = parse_date(issued, what="date d'émission")
    due_date = parse_date(due, what="date d'échéance")
    if due_date < issue_date:
        raise Rejected("date d'échéance antérieure à la date d'émission")
    return Row(
        line=line,
        number=number,
        identifier=normalize_identifier(identifier),
        label=label,
        domain=DOMAINS[without_accents(domain).lower()],
        amount=parse_amount(amount),
        issue_date=issue_date,
        due_date=due_date,
    )


def read_rows(data: bytes) -> list[tuple[int, list[str]]]:
    """(line number, cells) of every non-blank row after the header; BadFile if unreadable."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadFile(f"le fichier n'est pas en UTF-8 (octet {error.start + 1})") from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    header = next(reader, None)
    if header is None or [cell.strip().lower() for cell in header] != HEADER:
        found = ";".join(header or [])
        raise BadFile(f"en-tête incorrect « {found} », attendu « {';'.join(HEADER)} »")
    rows = []
    for cells in reader:
        if any(cell.strip() for cell in cells):
            rows.append((reader.line_num, cells))
    return rows


def apply_row(row: Row, accounts: dict[str, User], existing: dict[str, Invoice]) -> str:
    """Create or update the row's invoice; returns "created", "updated" or "unchanged"."""
    account = accounts.get(row.identifier)
    if account is None:
        raise Rejected(f"identifiant inconnu « {row.identifier} »")
    household = household_get_or_create(account=account)
    data = {
        "label": row.label,
        "domain": row.domain,
        "amount": row.amount,
        "issue_date": row.issue_date,
        "due_date": row.due_date,
    }
    invoice = existing.get(row.number)
    if invoice is None:
        invoice_create(household=household, by=None, note=IMPORT_NOTE, number=row.number, **data)
        return "created"
    if invoice.household_id != household.pk:
        raise Rejected(f"la facture {row.number} appartient à un autre foyer")
    if all(getattr(invoice, name) == value for name, value in data.items()):
        return "unchanged"
    if invoice.state != InvoiceState.TO_PAY:
        raise Rejected(
            f"la facture {row.number} est « {invoice.get_state_display()} » : "
            "elle n'est pas modifiée"
        )
    if is_being_paid(invoice):
        raise Rejected(f"un paiement en ligne de la facture {row.number} est en cours")
    try:
        invoice_update(invoice=invoice, by=None, note=IMPORT_NOTE, **data)
    except InvoiceRefused as error:  # Paid or being paid between our read and the lock.
        raise Rejected(str(error)) from error
    return "updated"


@transaction.atomic
def invoices_import(*, data: bytes, dry_run: bool = False) -> ImportReport:
    """Import the file; with ``dry_run`` the same work is done, then rolled back."""
    rows = read_rows(data)
    report = ImportReport(read=len(rows))
    parsed: list[Row] = []
    first_line: dict[str, int] = {}
    for line, cells in rows:
        try:
            row = parse_row(line, cells)
        except Rejected as error:
            report.reject(line, str(error))
            continue
        if row.number in first_line:
            report.reject(line, f"numéro {row.number} déjà présent ligne {first_line[row.number]}")
            continue
        first_line[row.number] = line
        parsed.append(row)
    accounts = User.objects.citizens().in_bulk(
        {row.identifier for row in parsed}, field_name="identifier"
    )
    existing = Invoice.objects.in_bulk([row.number for row in parsed], field_name="number")
    for row in parsed:
        try:
            with transaction.atomic():  # A savepoint: a rejected row leaves nothing behind.
                outcome = apply_row(row, accounts, existing)
        except Rejected as error:
            report.reject(row.line, str(error))
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
    report.rejections.sort()
    if dry_run:
        transaction.set_rollback(True)
    return report
