"""Import the billing software's invoices, idempotently by invoice number.

The file is checked whole (header, UTF-8), then read in batches of ``BATCH_SIZE``
lines, each batch in a transaction of its own: memory stays bounded and a large
file commits as it goes. A row already imported and unchanged changes nothing; a
paid or cancelled invoice is never changed; a line that cannot be imported is
reported with its number and reason, and the others go on. One import runs at a
time (``common.locks``): a second one stops at once, writing nothing.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import BinaryIO

from django.db import IntegrityError, transaction

from accounts.models import User
from common.locks import exclusive
from households.models import Household
from households.services import household_get_or_create
from payments.invoice_file import (
    HEADER,
    BadFile,
    Rejected,
    Row,
    cells_of,
    file_check,
    is_blank,
    numbered_lines,
    parse_row,
)
from payments.models import Invoice, InvoiceState, Regie, RegieDomain
from payments.services.invoices import (
    InvoiceRefused,
    invoice_update,
    invoices_create,
    is_being_paid,
)

__all__ = ["HEADER", "BadFile", "ImportReport", "invoices_import"]

BATCH_SIZE = 2000
LOCK = "payments-import-invoices"
IMPORT_NOTE = "Import du logiciel de facturation"

Rejection = tuple[int, str]


@dataclass
class ImportReport:
    """Running totals; the rejections themselves go to ``on_batch`` as they come."""

    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0


def batched(lines: Iterable, size: int) -> Iterator[list]:
    iterator = iter(lines)
    while batch := list(islice(iterator, size)):
        yield batch


def invoices_import(
    *,
    source: BinaryIO,
    dry_run: bool = False,
    on_batch: Callable[[ImportReport, list[Rejection]], None] | None = None,
    batch_size: int = BATCH_SIZE,
) -> ImportReport:
    """Import the file; with ``dry_run`` each batch does the same work, then rolls back.

    Raises ``BadFile`` (nothing imported) and ``common.locks.Busy`` (another
    import runs). ``on_batch`` gets the totals so far and that batch's rejections.
    """
    columns = file_check(source)
    report = ImportReport()
    # Every number read so far and its line, to refuse a second one across batches.
    first_line: dict[str, int] = {}
    with exclusive(LOCK):
        for batch in batched(numbered_lines(source), batch_size):
            with transaction.atomic():
                rejections = batch_import(batch, report, first_line, columns)
                if dry_run:
                    transaction.set_rollback(True)
            report.rejected += len(rejections)
            if on_batch is not None:
                on_batch(report, sorted(rejections))
    return report


def batch_import(
    lines: list[tuple[int, bytes | None]],
    report: ImportReport,
    first_line: dict[str, int],
    columns: int = len(HEADER),
) -> list[Rejection]:
    """Read, check and write one batch (the caller's transaction); its rejections."""
    rejections: list[Rejection] = []
    rows = []
    for number, line in lines:
        try:
            row = row_of(number, line, columns)
        except Rejected as error:
            report.read += 1
            rejections.append((number, str(error)))
            continue
        if row is None:
            continue
        report.read += 1
        if row.number in first_line:
            seen = first_line[row.number]
            rejections.append((number, f"numéro {row.number} déjà présent ligne {seen}"))
            continue
        first_line[row.number] = number
        rows.append(row)
    return rejections + rows_apply(rows, report)


def row_of(number: int, line: bytes | None, columns: int = len(HEADER)) -> Row | None:
    """The line's invoice, None for a blank line; Rejected with the reason otherwise."""
    cells = cells_of(line)
    return None if is_blank(cells) else parse_row(number, cells, columns)


def fields_of(row: Row) -> dict:
    return {
        "label": row.label,
        "domain": row.domain,
        "amount": row.amount,
        "issue_date": row.issue_date,
        "due_date": row.due_date,
    }


def rows_apply(rows: list[Row], report: ImportReport) -> list[Rejection]:
    """Accounts, households and existing invoices read once for the batch; new invoices
    created together, existing ones updated one by one (each in a savepoint)."""
    accounts = User.objects.citizens().in_bulk(
        {row.identifier for row in rows}, field_name="identifier"
    )
    households = {
        household.account_id: household
        for household in Household.objects.filter(account__in=list(accounts.values()))
    }
    existing = Invoice.objects.in_bulk([row.number for row in rows], field_name="number")
    regies = RegieIndex()
    rejections: list[Rejection] = []
    new: list[tuple[Row, Invoice]] = []
    for row in rows:
        try:
            household = household_of(row, accounts, households)
            regie = regies.of(row)
            invoice = existing.get(row.number)
            if invoice is None:
                new.append(
                    (
                        row,
                        Invoice(
                            household=household, number=row.number, regie=regie, **fields_of(row)
                        ),
                    )
                )
                continue
            if invoice.regie_id != (regie.pk if regie else None):
                raise Rejected(
                    f"la facture {row.number} est d'une autre régie : sa régie ne change pas"
                )
            outcome = invoice_apply(row, invoice, household)
        except Rejected as error:
            rejections.append((row.line, str(error)))
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
    return rejections + invoices_add(new, report)


class RegieIndex:
    """The régies by code and by name, and the régie of each domain, read once a batch."""

    def __init__(self):
        self.by_name: dict[str, Regie] = {}
        for regie in Regie.objects.all():
            self.by_name[regie.code.lower()] = regie
            self.by_name[regie.name.lower()] = regie
        self.by_domain = {
            link.domain: link.regie for link in RegieDomain.objects.select_related("regie")
        }

    def of(self, row: Row) -> Regie | None:
        if not row.regie:
            return self.by_domain.get(row.domain)
        regie = self.by_name.get(row.regie.lower())
        if regie is None:
            raise Rejected(f"régie inconnue « {row.regie[:40]} »")
        return regie


def household_of(row: Row, accounts: dict[str, User], households: dict[int, Household]):
    account = accounts.get(row.identifier)
    if account is None:
        raise Rejected(f"identifiant inconnu « {row.identifier} »")
    if account.pk not in households:
        households[account.pk] = household_get_or_create(account=account)
    return households[account.pk]


def invoice_apply(row: Row, invoice: Invoice, household: Household) -> str:
    """Update an imported invoice if the row changed it; "updated" or "unchanged"."""
    if invoice.household_id != household.pk:
        raise Rejected(f"la facture {row.number} appartient à un autre foyer")
    data = fields_of(row)
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
        with transaction.atomic():  # A savepoint: a refused update leaves nothing behind.
            invoice_update(invoice=invoice, by=None, note=IMPORT_NOTE, **data)
    except InvoiceRefused as error:  # Paid or being paid between our read and the lock.
        raise Rejected(str(error)) from error
    return "updated"


def invoices_add(new: list[tuple[Row, Invoice]], report: ImportReport) -> list[Rejection]:
    """Create the batch's new invoices in one insert; if a number was taken meanwhile
    (a clerk, in admin), one by one, so that only that line is refused."""
    if not new:
        return []
    try:
        with transaction.atomic():
            invoices_create(invoices=[invoice for _row, invoice in new], by=None, note=IMPORT_NOTE)
    except IntegrityError:
        pass
    else:
        report.created += len(new)
        return []
    rejections: list[Rejection] = []
    for row, invoice in new:
        try:
            with transaction.atomic():
                invoices_create(invoices=[invoice], by=None, note=IMPORT_NOTE)
        except IntegrityError:
            rejections.append((row.line, f"numéro {row.number} créé entre-temps par ailleurs"))
            continue
        report.created += 1
    return rejections
