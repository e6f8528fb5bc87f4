"""Card-payment providers behind one interface (``base.PaymentProvider``).

Stripe and the simulated card page are the portal's own; the French backends (PayFiP,
the banks' systems) run through eopayment with a régie's contract (``eopayment_provider``).
"""

from django.conf import settings

from payments.models import Payment, Provider, Regie
from payments.providers.base import PaymentProvider

EOPAYMENT_BACKENDS = frozenset(Provider.values) - {Provider.STRIPE, Provider.SIMULATED}


def provider_named(name: str, regie: Regie | None = None) -> PaymentProvider:
    """The provider of that name (with the régie's contract for eopayment's backends)."""
    if name == Provider.STRIPE:
        from payments.providers.stripe_provider import StripeProvider

        return StripeProvider()
    if name == Provider.SIMULATED:
        from payments.providers.simulated import SimulatedProvider

        return SimulatedProvider()
    if name in EOPAYMENT_BACKENDS and regie is not None:
        from payments.providers.eopayment_provider import EopaymentProvider

        return EopaymentProvider(name, regie)
    raise ValueError(f"Unknown payment provider: {name!r}")


def provider_of(payment: Payment) -> PaymentProvider:
    """A payment keeps the provider it was started with, whatever the régie's now."""
    return provider_named(payment.provider, payment.regie)


def provider_for(regie: Regie | None) -> PaymentProvider:
    """The provider new payments of that régie use; without a régie,
    ``settings.PAYMENT_PROVIDER``."""
    if regie is None:
        return provider_named(settings.PAYMENT_PROVIDER)
    return provider_named(regie.backend, regie)


def current_provider() -> PaymentProvider:
    """The provider new payments without a régie use: ``settings.PAYMENT_PROVIDER``."""
    return provider_for(None)
