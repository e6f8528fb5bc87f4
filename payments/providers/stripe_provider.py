"""Stripe Checkout: the citizen pays on Stripe's page, we confirm from Stripe's own answer."""

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass

import stripe
from django.conf import settings
from django.utils.translation import gettext as _

from payments.models import Payment, Provider
from payments.providers import stripe_api
from payments.providers.base import (
    Checkout,
    CheckoutState,
    CheckoutStatus,
    PaymentProvider,
    ProviderError,
    to_cents,
)

logger = logging.getLogger(__name__)

# Checkout lets the citizen retry a refused card on Stripe's page; an abandoned
# session expires after this long (Stripe accepts 30 minutes to 24 hours).
SESSION_LIFETIME_SECONDS = 60 * 60
# Events about a Checkout Session whose outcome we then ask Stripe for.
SESSION_EVENTS = frozenset(
    {
        "checkout.session.completed",
        "checkout.session.async_payment_succeeded",
        "checkout.session.async_payment_failed",
        "checkout.session.expired",
    }
)
RETRYABLE = (stripe.APIConnectionError, stripe.RateLimitError, stripe.APIError)


class InvalidWebhook(Exception):
    """Not signed with our webhook secret, too old, or not JSON."""


@dataclass(frozen=True)
class WebhookNotice:
    event_id: str
    event_type: str
    # The Checkout Session id, when the event is about one we handle.
    reference: str | None


def idempotency_key(payment: Payment) -> str:
    """From our payment id (and its creation, so that a reset database never reuses one)."""
    return f"citizen-portal-payment-{payment.pk}-{payment.created_at:%Y%m%d%H%M%S%f}-checkout"


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def session_params(payment: Payment, *, return_path: str, cancel_path: str) -> dict:
    """Everything is derived from the payment, so a retry sends the very same request."""
    lines = payment.lines.select_related("invoice").order_by("pk")
    params = {
        "mode": "payment",
        "payment_method_types": ["card"],
        "locale": "fr",
        "client_reference_id": str(payment.pk),
        "metadata": {"payment_id": str(payment.pk)},
        "payment_intent_data": {
            "metadata": {"payment_id": str(payment.pk)},
            "description": str(_("Paiement n° %(number)s") % {"number": payment.receipt_number}),
        },
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": payment.currency.lower(),
                    "unit_amount": to_cents(line.amount),
                    "product_data": {
                        "name": str(
                            _("Facture n° %(number)s — %(label)s")
                            % {"number": line.invoice.number, "label": line.invoice.label}
                        )
                    },
                },
            }
            for line in lines
        ],
        "success_url": absolute(return_path),
        "cancel_url": absolute(cancel_path),
        "expires_at": int(payment.created_at.timestamp()) + SESSION_LIFETIME_SECONDS,
    }
    email = payment.household.account.email if payment.household else ""
    if email:
        params["customer_email"] = email
    return params


def status_of(session) -> CheckoutStatus:
    if session["status"] == "complete" and session["payment_status"] in (
        "paid",
        "no_payment_required",
    ):
        state = CheckoutState.PAID
    elif session["status"] == "expired":
        state = CheckoutState.EXPIRED
    else:  # open, or complete with a payment still processing
        state = CheckoutState.OPEN
    return CheckoutStatus(state, session["amount_total"], session["currency"] or "")


@contextlib.contextmanager
def provider_errors() -> Iterator[None]:
    try:
        yield
    except RETRYABLE as error:
        logger.warning("Stripe unreachable or failing: %s", error)
        raise ProviderError(str(error), retryable=True) from error
    except stripe.StripeError as error:
        logger.error("Stripe refused a request: %s", error)
        raise ProviderError(str(error), retryable=False) from error


class StripeProvider(PaymentProvider):
    name = Provider.STRIPE

    def checkout_create(self, payment: Payment, *, return_path: str, cancel_path: str) -> Checkout:
        params = session_params(payment, return_path=return_path, cancel_path=cancel_path)
        with provider_errors():
            session = stripe_api.checkout_session_create(
                params=params, idempotency_key=idempotency_key(payment)
            )
        return Checkout(reference=session["id"], url=session["url"])

    def checkout_status(self, payment: Payment) -> CheckoutStatus:
        if not payment.provider_reference:
            return CheckoutStatus(CheckoutState.EXPIRED)
        with provider_errors():
            session = stripe_api.checkout_session_retrieve(payment.provider_reference)
        return status_of(session)

    def checkout_close(self, payment: Payment) -> CheckoutStatus:
        if not payment.provider_reference:
            return CheckoutStatus(CheckoutState.EXPIRED)
        with provider_errors():
            try:
                session = stripe_api.checkout_session_expire(payment.provider_reference)
            except stripe.InvalidRequestError:
                # Only an open session can be expired: it was paid or expired meanwhile.
                session = stripe_api.checkout_session_retrieve(payment.provider_reference)
        return status_of(session)

    def webhook_notice(self, *, payload: bytes, signature: str) -> WebhookNotice:
        """The event, once its signature is checked. Its content is never trusted beyond
        the session id: the caller asks Stripe for the session again."""
        try:
            event = stripe_api.webhook_event_construct(payload=payload, signature=signature)
        except (stripe.SignatureVerificationError, ValueError) as error:
            raise InvalidWebhook(str(error)) from error
        reference = None
        if event["type"] in SESSION_EVENTS:
            reference = event["data"]["object"]["id"]
        return WebhookNotice(event_id=event["id"], event_type=event["type"], reference=reference)
