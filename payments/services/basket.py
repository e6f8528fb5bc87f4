"""The basket's rules and the messages the citizen reads when one refuses, in one place.

A household has one active basket per régie (``Invoice.regie``; none for the invoices
the portal's own provider collects): one card payment goes to one régie's account, so
each basket is paid on its own. Everything checked here is checked again when
« Payer » is pressed (``payment_start``), and on PostgreSQL a trigger refuses a line
whose invoice is of another régie than its basket (migration 0004).
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from households.models import Household
from payments.eligibility import eligibility_of
from payments.models import (
    ACTIVE_BASKET_STATES,
    Basket,
    BasketLine,
    BasketState,
    Invoice,
    InvoiceState,
    Regie,
)

# The FAQ's words, exactly: an invoice already in the basket, or already being paid.
ALREADY_PENDING = _(
    "Impossible d'ajouter cet article, vous devez d'abord payer ceux en attente dans votre panier"
)
ALREADY_PAID = _("Cette facture est déjà payée.")
CANCELLED = _("Cette facture a été annulée : elle n'est plus à payer.")
NOT_ELIGIBLE = _("Vos factures ne sont pas encore disponibles en ligne.")
BEING_PAID = _(
    "Un paiement est en cours pour votre panier : terminez-le ou abandonnez-le "
    "avant de modifier le panier."
)
EMPTY = _("Votre panier est vide.")
MOVED = _("Cette facture a changé de régie : rechargez la page et ajoutez-la de nouveau.")


class BasketRefused(Exception):
    """A refused basket action; ``str()`` is the French message for the citizen."""


def require_eligible(account: User) -> None:
    if not eligibility_of(account).eligible:
        raise BasketRefused(NOT_ELIGIBLE)


def refuse_unpayable(invoice: Invoice) -> None:
    if invoice.state == InvoiceState.PAID:
        raise BasketRefused(ALREADY_PAID)
    if invoice.state == InvoiceState.CANCELLED:
        raise BasketRefused(CANCELLED)


def active_basket_locked(
    household: Household, *, regie: Regie | None = None, create: bool
) -> Basket | None:
    """The household's open (or checking-out) basket of that régie, its row locked until
    the end of the transaction: two tabs adding at once, or adding while « Payer » is
    pressed, queue here."""
    active = Basket.objects.select_for_update().filter(
        household=household, regie=regie, state__in=ACTIVE_BASKET_STATES
    )
    basket = active.first()
    if basket is not None or not create:
        return basket
    try:
        with transaction.atomic():  # A savepoint: a twin request may create it first.
            return Basket.objects.create(household=household, regie=regie)
    except IntegrityError:
        # payments_one_open_basket_per_household(_regie) refused a second basket: use the
        # first.
        return active.get()


@transaction.atomic
def basket_add_invoice(*, invoice: Invoice, by: User) -> BasketLine:
    """« Ajouter au panier »."""
    require_eligible(by)
    household = invoice.household
    assert household is not None  # a payable invoice has its household (closed: not payable)
    basket = active_basket_locked(household, regie=invoice.regie, create=True)
    assert basket is not None  # create=True
    # The invoice's row too: a clerk cancelling it now waits, or is waited for.
    locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
    refuse_unpayable(locked)
    if locked.regie_id != basket.regie_id:  # Moved to another régie since it was read.
        raise BasketRefused(MOVED)
    if basket.state == BasketState.CHECKOUT or is_in_a_basket(locked):
        raise BasketRefused(ALREADY_PENDING)
    return BasketLine.objects.create(basket=basket, invoice=locked)


def is_in_a_basket(invoice: Invoice) -> bool:
    return BasketLine.objects.filter(invoice=invoice).exists()


@transaction.atomic
def basket_remove_invoice(*, invoice: Invoice, by: User) -> None:
    """« Retirer » an invoice from the open basket; removing one that is not there is a no-op."""
    basket = (
        active_basket_locked(invoice.household, regie=invoice.regie, create=False)
        if invoice.household
        else None
    )
    if basket is None:
        return
    if basket.state == BasketState.CHECKOUT:
        raise BasketRefused(BEING_PAID)
    BasketLine.objects.filter(basket=basket, invoice=invoice).delete()


def invoice_leave_open_baskets(invoice: Invoice) -> int:
    """A paid or cancelled invoice leaves every open basket (a frozen one keeps it: the
    payment under way settles it, and refunds it when it turns out already paid)."""
    deleted, _rows = BasketLine.objects.filter(
        invoice=invoice, basket__state=BasketState.OPEN
    ).delete()
    return deleted
