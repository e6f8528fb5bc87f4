"""Card-payment providers behind one interface (``base.PaymentProvider``)."""

from django.conf import settings

from payments.models import Provider
from payments.providers.base import PaymentProvider


def provider_named(name: str) -> PaymentProvider:
    """The provider of that name; a payment keeps the one it was started with."""
    if name == Provider.STRIPE:
        from payments.providers.stripe_provider import StripeProvider

        return StripeProvider()
    if name == Provider.SIMULATED:
        from payments.providers.simulated import SimulatedProvider

        return SimulatedProvider()
    raise ValueError(f"Unknown payment provider: {name!r}")


def current_provider() -> PaymentProvider:
    """The provider new payments use: ``settings.PAYMENT_PROVIDER``."""
    return provider_named(settings.PAYMENT_PROVIDER)
