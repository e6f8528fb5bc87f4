"""Every call to the Stripe SDK, and nothing else: the one module that talks to Stripe.

Each function is one request. Errors are Stripe's own (``stripe.StripeError``
and subclasses); ``stripe_provider`` turns them into ``ProviderError``.
"""

import stripe
from django.conf import settings

# The SDK's HTTP client; None is the network, with our timeout. Tests put a fake here,
# so that the SDK itself (encoding, headers, parsing) still runs in them.
HTTP_CLIENT: stripe.HTTPClient | None = None
# One retry after a network error: with PAYMENT_PROVIDER_TIMEOUT (8 s) a page waits
# 17 s at most, below gunicorn's 30 s (the SDK's default is 80 s, three times).
NETWORK_RETRIES = 1


def http_client() -> stripe.HTTPClient:
    return HTTP_CLIENT or stripe.new_default_http_client(timeout=settings.PAYMENT_PROVIDER_TIMEOUT)


def client() -> stripe.StripeClient:
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        http_client=http_client(),
        max_network_retries=NETWORK_RETRIES,
    )


def checkout_session_create(*, params: dict, idempotency_key: str) -> stripe.checkout.Session:
    return client().v1.checkout.sessions.create(
        params=params,  # type: ignore[arg-type]  # built as a plain dict by stripe_provider
        options={"idempotency_key": idempotency_key},
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
