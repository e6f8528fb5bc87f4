"""The interface every card-payment provider implements.

A provider hosts the card page: the citizen leaves the portal for it and comes
back to ``return_path``. The portal never sees a card number. Amounts cross this
interface as integer cents of ``payment.currency``; everywhere else they are
``Decimal`` euros.

Services call a provider outside any database transaction (it may talk to the
network) and then record what it said in a short transaction of their own.
"""

import enum
from abc import ABC, abstractmethod
from dataclasses import dataclass
from decimal import Decimal

from payments.models import Payment


class CheckoutState(enum.Enum):
    OPEN = "open"  # The citizen may still pay (or is paying).
    PAID = "paid"  # The money is taken.
    DECLINED = "declined"  # The card was refused and the checkout is over.
    EXPIRED = "expired"  # Closed without payment (timeout, or abandoned).


@dataclass(frozen=True)
class Checkout:
    """A hosted checkout: our reference for it at the provider, and where to send the citizen."""

    reference: str
    url: str
    # A form to post to the provider instead ({"url", "method", "fields": [[name, value]]}).
    form: dict | None = None


@dataclass(frozen=True)
class CheckoutStatus:
    state: CheckoutState
    amount_cents: int | None = None
    currency: str = ""


class ProviderError(Exception):
    """The provider could not answer. ``retryable``: trying again later may work
    (network, provider down); otherwise the request itself was refused."""

    def __init__(self, message: str, *, retryable: bool):
        super().__init__(message)
        self.retryable = retryable


class ProviderRefusal(Exception):
    """The provider's own rule says no for now (PayFiP: the same reference again within its
    delay); ``str()`` is the French message for the citizen, and nothing was changed."""


def to_cents(amount: Decimal) -> int:
    """Euros (two places) to integer cents: only here, at the provider's edge."""
    return int((amount * 100).to_integral_value())


class PaymentProvider(ABC):
    name: str

    def payment_refusal(self, *, amount: Decimal, email: str) -> str | None:
        """Why this provider cannot take such a payment (its limits), in French for the
        citizen, before anything is opened; None when it can."""
        return None

    def checkout_resume(self, payment: Payment) -> None:
        """« Reprendre le paiement » of a checkout already opened: raises ``ProviderRefusal``
        when the provider's page can no longer be used (PayFiP's idop lives 15 minutes)."""
        return None

    def return_status(self, payment: Payment, *, query_string: str) -> CheckoutStatus:
        """The outcome when the citizen comes back, from what the provider put in the
        return URL if it signs it or names its checkout; by default asked again."""
        return self.checkout_status(payment)

    @abstractmethod
    def checkout_create(self, payment: Payment, *, return_path: str, cancel_path: str) -> Checkout:
        """Open a hosted checkout for ``payment.amount`` and return where to send the citizen.

        Preparing a checkout never moves money. Calling it again for the same
        payment returns the same checkout (the provider's idempotency is keyed on
        our payment id), so a double click or a retry after a timeout is safe.
        ``return_path`` and ``cancel_path`` are paths of this site: the provider
        makes them absolute if it needs to. Raises ``ProviderError``.
        """

    @abstractmethod
    def checkout_status(self, payment: Payment) -> CheckoutStatus:
        """Ask the provider, now, where the payment's checkout stands.

        The answer comes from the provider itself, never from the browser: the
        return page, the webhook and the reconciliation all rely on it. A payment
        without a reference (its checkout was never opened) is EXPIRED. Raises
        ``ProviderError``.
        """

    @abstractmethod
    def checkout_close(self, payment: Payment) -> CheckoutStatus:
        """Close the checkout so that it can no longer be paid, and return its final status.

        When the citizen paid in the meantime the checkout cannot be closed and the
        status is PAID: the caller then confirms instead of cancelling. Raises
        ``ProviderError``.
        """
