"""Every call to the Stripe SDK, and nothing else: the one module that talks to Stripe.

Each function is one request. Errors are Stripe's own (``stripe.StripeError``
and subclasses); ``stripe_provider`` turns them into ``ProviderError``.
"""

import stripe
from django.conf import settings

# The SDK's HTTP client; None is its default (network). Tests put a fake here,
# so that the SDK itself (encoding, headers, parsing) still runs in them.
HTTP_CLIENT: stripe.HTTPClient | None = None
NETWORK_RETRIES = 2


def client() -> stripe.StripeClient:
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        http_client=HTTP_CLIENT,
        max_network_retries=NETWORK_RETRIES,
    )


def checkout_session_create(*, params: dict, idempotency_key: str) -> stripe.checkout.Session:
    return client().v1.checkout.sessions.create(
        params=params, options={"idempotency_key": idempotency_key}
    )


def checkout_session_retrieve(session_id: str) -> stripe.checkout.Session:
    return client().v1.checkout.sessions.retrieve(session_id)


def checkout_session_expire(session_id: str) -> stripe.checkout.Session:
    return client().v1.checkout.sessions.expire(session_id)


def webhook_event_construct(*, payload: bytes, signature: str) -> stripe.Event:
    """Check the ``Stripe-Signature`` header against ``STRIPE_WEBHOOK_SECRET``, then parse.

    Raises ``stripe.SignatureVerificationError`` (bad or stale signature) or
    ``ValueError`` (not JSON).
    """
    return stripe.Webhook.construct_event(payload, signature, settings.STRIPE_WEBHOOK_SECRET)
