"""A provider's notification, once its signature is checked by the provider module.

The notification only says which checkout to look at: its outcome comes from the
provider again (``payment_settle``). An event already handled is answered
without asking anything; even handled twice at the same time, the confirmation's
row lock makes one confirmation.
"""

import logging

from django.utils import timezone

from payments.models import Payment, PaymentEvent, ProviderEvent
from payments.providers.stripe_provider import WebhookNotice
from payments.services.payment import payment_settle

logger = logging.getLogger(__name__)

IGNORED = "ignored"
REPLAYED = "replayed"
UNKNOWN = "unknown"
SETTLED = "settled"


def provider_notice_handle(*, provider: str, notice: WebhookNotice) -> str:
    """Returns what was done. Raises ``ProviderError`` when the provider cannot be asked:
    the notification is then answered with an error, and the provider sends it again."""
    if notice.reference is None:
        return IGNORED
    event, _created = ProviderEvent.objects.get_or_create(
        provider=provider, event_id=notice.event_id, defaults={"event_type": notice.event_type}
    )
    if event.processed_at is not None:
        return REPLAYED
    payment = Payment.objects.filter(provider=provider, provider_reference=notice.reference).first()
    if payment is not None:
        payment_settle(payment=payment, source=PaymentEvent.Source.WEBHOOK)
    else:
        logger.warning("%s event %s about an unknown checkout.", provider, notice.event_id)
    ProviderEvent.objects.filter(pk=event.pk).update(processed_at=timezone.now(), payment=payment)
    return SETTLED if payment is not None else UNKNOWN
