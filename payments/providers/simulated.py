"""The simulated provider: a card page on this site, for the embedded default and the demo.

It keeps its own record (``SimulatedCheckout``) as a real provider keeps its
own, so the portal asks it for the outcome exactly as it asks Stripe. No money
moves and no card number is asked for.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from payments.models import Payment, Provider, SimulatedCheckout
from payments.providers.base import (
    Checkout,
    CheckoutState,
    CheckoutStatus,
    PaymentProvider,
    to_cents,
)

# As long as a Stripe Checkout Session lives in our settings.
CHECKOUT_LIFETIME = timedelta(hours=1)

STATES = {
    SimulatedCheckout.Status.OPEN: CheckoutState.OPEN,
    SimulatedCheckout.Status.PAID: CheckoutState.PAID,
    SimulatedCheckout.Status.DECLINED: CheckoutState.DECLINED,
    SimulatedCheckout.Status.EXPIRED: CheckoutState.EXPIRED,
}


def reference_of(payment: Payment) -> str:
    """Derived from our payment id, like Stripe's idempotency key: one checkout per payment."""
    return f"sim_{payment.pk}"


class SimulatedProvider(PaymentProvider):
    name = Provider.SIMULATED

    def checkout_create(self, payment: Payment, *, return_path: str, cancel_path: str) -> Checkout:
        checkout, _created = SimulatedCheckout.objects.get_or_create(
            reference=reference_of(payment),
            defaults={
                "amount_cents": to_cents(payment.amount),
                "currency": payment.currency.lower(),
            },
        )
        return Checkout(
            reference=checkout.reference,
            url=reverse("payments:simulated_card", args=[payment.pk]),
        )

    def checkout_status(self, payment: Payment) -> CheckoutStatus:
        checkout = SimulatedCheckout.objects.filter(reference=payment.provider_reference).first()
        if checkout is None:
            return CheckoutStatus(CheckoutState.EXPIRED)
        if (
            checkout.status == SimulatedCheckout.Status.OPEN
            and checkout.created_at < timezone.now() - CHECKOUT_LIFETIME
        ):
            self._set(checkout, SimulatedCheckout.Status.EXPIRED)
        return CheckoutStatus(
            STATES[SimulatedCheckout.Status(checkout.status)],
            checkout.amount_cents,
            checkout.currency,
        )

    def checkout_close(self, payment: Payment) -> CheckoutStatus:
        checkout = SimulatedCheckout.objects.filter(reference=payment.provider_reference).first()
        if checkout is not None and checkout.status == SimulatedCheckout.Status.OPEN:
            self._set(checkout, SimulatedCheckout.Status.EXPIRED)
        return self.checkout_status(payment)

    def card_submit(self, payment: Payment, *, accept: bool) -> None:
        """The citizen's answer on the simulated card page (the provider's side of things)."""
        checkout = SimulatedCheckout.objects.filter(
            reference=payment.provider_reference, status=SimulatedCheckout.Status.OPEN
        ).first()
        if checkout is not None:
            outcome = SimulatedCheckout.Status.PAID if accept else SimulatedCheckout.Status.DECLINED
            self._set(checkout, outcome)

    @staticmethod
    def _set(checkout: SimulatedCheckout, status: str) -> None:
        # Conditional: the card page and an expiry racing settle on one outcome.
        SimulatedCheckout.objects.filter(
            pk=checkout.pk, status=SimulatedCheckout.Status.OPEN
        ).update(status=status, updated_at=timezone.now())
        checkout.refresh_from_db(fields=["status"])
