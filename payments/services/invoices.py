"""A clerk's writes to invoices (Django admin) and the history row each one leaves."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common.history import diff_fields
from households.models import Household
from payments.models import Invoice, InvoiceEvent, InvoiceState
from payments.services.basket import invoice_leave_open_baskets

EDITABLE_FIELDS = (
    "member",
    "member_name",
    "domain",
    "label",
    "period",
    "amount",
    "issue_date",
    "due_date",
)
BEING_PAID = _(
    "Un paiement en ligne est en cours pour cette facture : attendez qu'il soit terminé."
)
NOT_TO_PAY = _("Cette facture est « %(state)s » : elle ne peut plus être modifiée.")


class InvoiceRefused(Exception):
    """A refused change to an invoice; ``str()`` is the French message for the clerk."""


def record(
    invoice: Invoice, *, kind: str, actor: User | None, note: str = "", changes=None
) -> InvoiceEvent:
    return InvoiceEvent.objects.create(
        invoice=invoice, kind=kind, actor=actor, note=note[:255], changes=changes or {}
    )


def is_being_paid(invoice: Invoice) -> bool:
    return Invoice.objects.being_paid().filter(pk=invoice.pk).exists()


def lock_to_pay(invoice: Invoice) -> Invoice:
    """The invoice's row, locked, refused unless it is to pay and no payment is under way."""
    locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if locked.state != InvoiceState.TO_PAY:
        raise InvoiceRefused(NOT_TO_PAY % {"state": locked.get_state_display()})
    if is_being_paid(locked):
        raise InvoiceRefused(BEING_PAID)
    return locked


@transaction.atomic
def invoice_create(*, household: Household, by: User | None, note: str = "", **data) -> Invoice:
    """One invoice typed by a clerk or seeded, checked by the model's rules (``Invoice.clean``:
    the member belongs to the household, the name as invoiced, the due date); raises
    ``ValidationError`` by field."""
    invoice = Invoice(household=household, **data)
    # The state moves only through its transitions (a protected FSMField): not cleaned.
    invoice.full_clean(exclude=["state"])
    invoice.save()
    record(invoice, kind=InvoiceEvent.Kind.CREATED, actor=by, note=note)
    return invoice


@transaction.atomic
def invoices_create(*, invoices: list[Invoice], by: User | None, note: str = "") -> list[Invoice]:
    """New invoices in one insert (the import's batches), each with its history row."""
    created = Invoice.objects.bulk_create(invoices)
    InvoiceEvent.objects.bulk_create(
        InvoiceEvent(invoice=invoice, kind=InvoiceEvent.Kind.CREATED, actor=by, note=note[:255])
        for invoice in created
    )
    return created


@transaction.atomic
def invoice_update(*, invoice: Invoice, by: User | None, note: str = "", **data) -> dict:
    """Change what the billing software or a clerk corrects; returns what changed.

    A paid or cancelled invoice never changes, nor one that a payment is settling.
    """
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Champs non modifiables : {sorted(unknown)}")
    changes = diff_fields(invoice, data)
    if not changes:
        return {}
    locked = lock_to_pay(invoice)
    for name in changes:
        setattr(locked, name, data[name])
    locked.save(update_fields=[*changes, "updated_at"])
    record(locked, kind=InvoiceEvent.Kind.UPDATED, actor=by, note=note, changes=changes)
    return changes


@transaction.atomic
def invoice_cancel(*, invoice: Invoice, by: User, note: str = "") -> Invoice:
    """The town withdraws the invoice: it leaves every basket and can no longer be paid."""
    locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if locked.state == InvoiceState.CANCELLED:
        return locked
    locked = lock_to_pay(locked)
    locked.cancel()
    locked.save(update_fields=["state", "updated_at"])
    invoice_leave_open_baskets(locked)
    record(locked, kind=InvoiceEvent.Kind.CANCELLED, actor=by, note=note)
    return locked


@transaction.atomic
def invoice_settle_at_counter(*, invoice: Invoice, by: User, note: str = "") -> Invoice:
    """Paid at the Guichet Unique (cash, cheque): it leaves every basket."""
    locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if locked.state == InvoiceState.PAID:
        return locked
    locked = lock_to_pay(locked)
    locked.pay(payment=None)
    locked.save(update_fields=["state", "paid_at", "payment", "updated_at"])
    invoice_leave_open_baskets(locked)
    record(
        locked,
        kind=InvoiceEvent.Kind.PAID,
        actor=by,
        note=note or str(_("Réglée au Guichet Unique")),
    )
    return locked
