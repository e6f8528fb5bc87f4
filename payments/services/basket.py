"""The basket's rules and the messages the citizen reads when one refuses, in one place.

Everything checked here is checked again when « Payer » is pressed (``payment_start``).
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


def active_basket_locked(household: Household, *, create: bool) -> Basket | None:
    """The household's open (or checking-out) basket, its row locked until the end of the
    transaction: two tabs adding at once, or adding while « Payer » is pressed, queue here."""
    basket = (
        Basket.objects.select_for_update()
        .filter(household=household, state__in=ACTIVE_BASKET_STATES)
        .first()
    )
    if basket is not None or not create:
        return basket
    try:
        with transaction.atomic():  # A savepoint: a twin request may create it first.
            return Basket.objects.create(household=household)
    except IntegrityError:
        # payments_one_open_basket_per_household refused the second basket: use the first.
        return Basket.objects.select_for_update().get(
            household=household, state__in=ACTIVE_BASKET_STATES
        )


@transaction.atomic
def basket_add_invoice(*, invoice: Invoice, by: User) -> BasketLine:
    """« Ajouter au panier »."""
    require_eligible(by)
    household = invoice.household
    assert household is not None  # a payable invoice has its household (closed: not payable)
    basket = active_basket_locked(household, create=True)
    assert basket is not None  # create=True
    # The invoice's row too: a clerk cancelling it now waits, or is waited for.
    locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
    refuse_unpayable(locked)
    if basket.state == BasketState.CHECKOUT or BasketLine.objects.filter(invoice=locked).exists():
        raise BasketRefused(ALREADY_PENDING)
    return BasketLine.objects.create(basket=basket, invoice=locked)


@transaction.atomic
def basket_remove_invoice(*, invoice: Invoice, by: User) -> None:
    """« Retirer » an invoice from the open basket; removing one that is not there is a no-op."""
    basket = active_basket_locked(invoice.household, create=False) if invoice.household else None
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
