"""A card payment from « Payer » to « Payé »: start, checkout, settle, confirm, close, reconcile.

Provider calls happen outside any transaction, and what the provider said is
recorded in a short one that locks the payment row. Confirmation comes only from
the provider's own answer (``checkout_status``), whoever asks: the citizen's
return page, the webhook, or the reconciliation of payments left pending.
"""

import logging
from collections import Counter
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from households.models import Household
from payments import notify
from payments.models import (
    Basket,
    BasketState,
    Invoice,
    InvoiceEvent,
    InvoiceState,
    Payment,
    PaymentEvent,
    PaymentLine,
    PaymentState,
    Regie,
)
from payments.providers import provider_for, provider_of
from payments.providers.base import (
    CheckoutState,
    CheckoutStatus,
    ProviderError,
    ProviderRefusal,
    to_cents,
)
from payments.services.basket import (
    EMPTY,
    BasketRefused,
    active_basket_locked,
    require_eligible,
)

logger = logging.getLogger(__name__)

# A webhook lost on the way: after this long, the reconciliation asks the provider.
STALE_AFTER = timedelta(minutes=15)
RECONCILE_BATCH = 200
# What refund_due can hold (max_digits=9): a provider's figure is never trusted further.
MAX_REFUND = Decimal("9999999.99")

PROVIDER_DOWN = _(
    "Le service de paiement ne répond pas. Réessayez dans quelques minutes : "
    "votre panier est conservé."
)
PROVIDER_REFUSED = _(
    "Le paiement n'a pas pu être préparé. Votre panier est conservé : réessayez "
    "ou contactez le Guichet Unique."
)
CANNOT_ABANDON = _("Le paiement n'a pas pu être abandonné : réessayez dans quelques minutes.")
NOT_PENDING = _("Ce paiement est terminé.")

Source = PaymentEvent.Source
# How a closed checkout ends the payment.
CLOSING = {
    CheckoutState.DECLINED: "fail",
    CheckoutState.EXPIRED: "expire",
}


class PaymentRefused(BasketRefused):
    """A refused payment action; ``str()`` is the French message for the citizen."""


def record(
    payment: Payment, *, from_state: str, source: str, actor: User | None = None, note: str = ""
) -> PaymentEvent:
    return PaymentEvent.objects.create(
        payment=payment,
        from_state=from_state,
        to_state=payment.state,
        source=source,
        actor=actor,
        note=note[:255],
    )


@transaction.atomic
def payment_start(*, household: Household, by: User, regie: Regie | None = None) -> Payment:
    """« Payer » a régie's group: freeze that basket and open a payment of its invoices at
    their amounts now, with the régie's provider.

    Pressed again while that payment runs (a double click, a second tab,
    « Reprendre le paiement »), it returns the same payment.
    """
    require_eligible(by)
    # The basket's row lock: two « Payer » at once queue here, and the second finds the
    # basket frozen with the first one's payment, so a basket never has two payments.
    basket = active_basket_locked(household, regie=regie, create=False)
    if basket is None:
        raise PaymentRefused(EMPTY)
    if basket.state == BasketState.CHECKOUT:
        return basket.payments.get(state=PaymentState.PENDING)
    # Checked again now (pretix): only invoices still to pay, of this régie, at their
    # current amount.
    invoices = list(
        Invoice.objects.select_for_update().filter(basket_line__basket=basket).order_by("pk")
    )
    payable = [
        invoice
        for invoice in invoices
        if invoice.state == InvoiceState.TO_PAY and invoice.regie_id == basket.regie_id
    ]
    if len(payable) != len(invoices):
        basket.lines.exclude(invoice__in=payable).delete()
    if not payable:
        raise PaymentRefused(EMPTY)
    amount = sum((invoice.amount for invoice in payable), Decimal("0.00"))
    provider = provider_for(regie)
    refusal = provider.payment_refusal(amount=amount, email=household.account.email or "")
    if refusal:
        raise PaymentRefused(refusal)
    payment = Payment.objects.create(
        household=household,
        basket=basket,
        regie=regie,
        provider=provider.name,
        amount=amount,
        created_by=by,
    )
    PaymentLine.objects.bulk_create(
        PaymentLine(payment=payment, invoice=invoice, amount=invoice.amount) for invoice in payable
    )
    basket.check_out()
    basket.save(update_fields=["state"])
    record(payment, from_state="", source=Source.CITIZEN, actor=by)
    return payment


def payment_checkout(*, payment: Payment) -> str:
    """Where to send the citizen: the provider's page of this payment, opened once."""
    if not payment.is_pending:
        return reverse("payments:outcome", args=[payment.pk])
    provider = provider_of(payment)
    if payment.checkout_url:
        try:
            provider.checkout_resume(payment)
        except ProviderRefusal as refusal:
            raise PaymentRefused(str(refusal)) from refusal
        return payment.checkout_url
    try:
        checkout = provider.checkout_create(
            payment,
            return_path=reverse("payments:outcome", args=[payment.pk]),
            cancel_path=reverse("payments:basket"),
        )
    except ProviderRefusal as refusal:
        raise PaymentRefused(str(refusal)) from refusal
    except ProviderError as error:
        if error.retryable:
            # Pending still: « Reprendre le paiement » asks again with the same key.
            raise PaymentRefused(PROVIDER_DOWN) from error
        payment_close(payment=payment, transition="fail", source=Source.CITIZEN, note=str(error))
        raise PaymentRefused(PROVIDER_REFUSED) from error
    return checkout_attach(
        payment=payment, reference=checkout.reference, url=checkout.url, form=checkout.form
    )


@transaction.atomic
def checkout_attach(*, payment: Payment, reference: str, url: str, form: dict | None = None) -> str:
    locked = Payment.objects.select_for_update().get(pk=payment.pk)
    if not locked.provider_reference:
        locked.provider_reference = reference
        locked.checkout_url = url
        locked.checkout_form = form or {}
        locked.save(
            update_fields=["provider_reference", "checkout_url", "checkout_form", "updated_at"]
        )
    return locked.checkout_url


def payment_settle(
    *, payment: Payment, source: str, actor: User | None = None, query_string: str | None = None
) -> Payment:
    """Ask the provider where the payment stands and record it. Raises ``ProviderError``.

    ``query_string``: the citizen's return URL's, which some providers read
    (``PaymentProvider.return_status``)."""
    provider = provider_of(payment)
    if query_string is None:
        status = provider.checkout_status(payment)
    else:
        status = provider.return_status(payment, query_string=query_string)
    return status_apply(payment=payment, status=status, source=source, actor=actor)


def status_apply(
    *, payment: Payment, status: CheckoutStatus, source: str, actor: User | None = None
) -> Payment:
    if status.state == CheckoutState.PAID:
        payment_confirm(payment=payment, source=source, status=status, actor=actor)
    elif status.state in CLOSING:
        payment_close(payment=payment, transition=CLOSING[status.state], source=source, actor=actor)
    return Payment.objects.get(pk=payment.pk)


def basket_id(payment: Payment) -> int:
    """A payment in progress always has its basket (emptied only by an account's closure)."""
    if payment.basket_id is None:
        raise ValueError(f"Paiement {payment.pk} sans panier")
    return payment.basket_id


def amount_matches(payment: Payment, status: CheckoutStatus | None) -> bool:
    if status is None or status.amount_cents is None:
        return True
    return status.amount_cents == to_cents(payment.amount) and (
        status.currency.lower() == payment.currency.lower()
    )


def amount_refused(
    payment: Payment, status: CheckoutStatus, *, source: str, actor: User | None
) -> None:
    """The provider took another sum than the invoices': the portal cannot accept it, nor
    leave the basket frozen waiting for an answer that will not change. The payment fails
    (the invoices are free again, the clerk may cancel them) and what was taken is flagged
    for refund, in one event. ``payment`` is locked by the caller."""
    taken = min(Decimal(status.amount_cents or 0) / 100, MAX_REFUND).quantize(Decimal("0.01"))
    note = (
        f"Montant annoncé par le prestataire différent : {taken} {status.currency.upper()} "
        f"au lieu de {payment.amount} {payment.currency} ; paiement refusé, somme reçue "
        "à rembourser."
    )
    logger.error("Payment %s: the provider reports another amount (%s).", payment.pk, status)
    if payment.state == PaymentState.PENDING:
        payment.refund_due = taken
        pending_end(payment, transition="fail", source=source, actor=actor, note=note)
    elif payment.refund_due != taken:  # Closed before: only the refund is news.
        payment.refund_due = taken
        payment.save(update_fields=["refund_due", "updated_at"])
        record(payment, from_state=payment.state, source=source, actor=actor, note=note)


@transaction.atomic
def payment_confirm(
    *,
    payment: Payment,
    source: str,
    status: CheckoutStatus | None = None,
    actor: User | None = None,
) -> bool:
    """The provider has the money: the invoices are paid, the basket closes, the mail is queued.

    Returns False, changing nothing, when the payment is already paid.
    """
    # Lock the payment row: the return page and the webhook arrive together, a webhook
    # arrives twice, the reconciliation runs meanwhile. The first confirms; the others
    # wait here, then find the payment paid and return quietly: one confirmation.
    locked = Payment.objects.select_for_update().get(pk=payment.pk)
    if locked.state == PaymentState.PAID:
        return False
    if status is not None and not amount_matches(locked, status):
        amount_refused(locked, status, source=source, actor=actor)
        return False
    if locked.state != PaymentState.PENDING:
        return money_after_closing(locked, source=source)
    locked.confirm()
    basket = Basket.objects.select_for_update().get(pk=basket_id(locked))
    refund = invoices_pay(locked)
    locked.refund_due = refund
    locked.save(update_fields=["state", "paid_at", "refund_due", "updated_at"])
    if basket.state == BasketState.CHECKOUT:
        basket.close()
        basket.save(update_fields=["state", "closed_at"])
    record(locked, from_state=PaymentState.PENDING, source=source, actor=actor)
    notify.payment_confirmed(locked)
    return True


def invoices_pay(payment: Payment) -> Decimal:
    """Mark the payment's invoices paid; returns the amount received for invoices that were
    no longer to pay (paid at the counter meanwhile): the treasurer refunds it."""
    amounts = dict(payment.lines.values_list("invoice_id", "amount"))
    invoices = Invoice.objects.select_for_update().filter(pk__in=amounts).order_by("pk")
    refund = Decimal("0.00")
    paid = []
    for invoice in invoices:
        if invoice.state != InvoiceState.TO_PAY:
            refund += amounts[invoice.pk]
            continue
        invoice.pay(payment=payment)
        invoice.save(update_fields=["state", "paid_at", "payment", "updated_at"])
        paid.append(invoice)
    note = str(_("Paiement en ligne n° %(number)s") % {"number": payment.receipt_number})
    InvoiceEvent.objects.bulk_create(
        InvoiceEvent(invoice=invoice, kind=InvoiceEvent.Kind.PAID, note=note) for invoice in paid
    )
    return refund


def money_after_closing(payment: Payment, *, source: str) -> bool:
    """The provider took money for a payment we had closed: never lost, flagged for refund."""
    logger.error("Payment %s was %s, yet the provider reports it paid.", payment.pk, payment.state)
    if payment.refund_due != payment.amount:
        payment.refund_due = payment.amount
        payment.save(update_fields=["refund_due", "updated_at"])
        record(
            payment,
            from_state=payment.state,
            source=source,
            note="Paiement reçu après sa clôture : à rembourser.",
        )
    return False


@transaction.atomic
def payment_close(
    *,
    payment: Payment,
    transition: str,
    source: str,
    actor: User | None = None,
    note: str = "",
) -> bool:
    """End a pending payment without money (``fail``, ``cancel``, ``expire``): the basket
    reopens with its invoices. Returns False when the payment was no longer pending."""
    locked = Payment.objects.select_for_update().get(pk=payment.pk)
    if locked.state != PaymentState.PENDING:
        return False
    pending_end(locked, transition=transition, source=source, actor=actor, note=note)
    return True


def pending_end(
    payment: Payment, *, transition: str, source: str, actor: User | None, note: str
) -> None:
    """The locked pending payment ends without being paid: its basket reopens."""
    getattr(payment, transition)()
    payment.save(update_fields=["state", "refund_due", "updated_at"])
    basket = Basket.objects.select_for_update().get(pk=basket_id(payment))
    if basket.state == BasketState.CHECKOUT:
        basket.reopen()
        basket.save(update_fields=["state"])
    record(payment, from_state=PaymentState.PENDING, source=source, actor=actor, note=note)


def payment_abandon(*, payment: Payment, by: User) -> Payment:
    """« Abandonner ce paiement »: the provider closes the checkout first, so that nobody
    pays it afterwards; if the citizen had paid in the meantime, it is confirmed instead."""
    if not payment.is_pending:
        return payment
    try:
        status = provider_of(payment).checkout_close(payment)
    except ProviderRefusal as refusal:
        raise PaymentRefused(str(refusal)) from refusal
    except ProviderError as error:
        raise PaymentRefused(CANNOT_ABANDON) from error
    if status.state == CheckoutState.OPEN:
        raise PaymentRefused(CANNOT_ABANDON)
    if status.state == CheckoutState.EXPIRED:
        payment_close(payment=payment, transition="cancel", source=Source.CITIZEN, actor=by)
        return Payment.objects.get(pk=payment.pk)
    return status_apply(payment=payment, status=status, source=Source.CITIZEN, actor=by)


def payments_reconcile(*, older_than: timedelta = STALE_AFTER) -> Counter:
    """Settle the payments left pending (a webhook lost, a citizen who never came back).

    Each payment is asked on its own: one provider error leaves the others settled.
    Returns how many ended in each state, plus ``pending`` and ``errors``.
    """
    cutoff = timezone.now() - older_than
    pks = list(
        Payment.objects.pending()
        .filter(created_at__lt=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:RECONCILE_BATCH]
    )
    counts: Counter = Counter()
    for payment in Payment.objects.filter(pk__in=pks).order_by("created_at"):
        try:
            settled = payment_settle(payment=payment, source=Source.RECONCILE)
        except ProviderError:
            logger.warning(
                "Reconciliation: the provider did not answer for payment %s.", payment.pk
            )
            counts["errors"] += 1
            continue
        counts[settled.state] += 1
    return counts
