"""A provider's notification, once its signature is checked by the provider module.

The notification only says which checkout to look at: its outcome comes from the
provider again (``payment_settle``). An event already handled is answered
without asking anything; even handled twice at the same time, the confirmation's
row lock makes one confirmation.
"""

import logging

import eopayment
from django.utils import timezone

from payments.models import Payment, PaymentEvent, ProviderEvent, Regie
from payments.providers import eopayment_api
from payments.providers.eopayment_provider import EopaymentProvider
from payments.providers.stripe_provider import WebhookNotice
from payments.services.payment import payment_settle, status_apply

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


def eopayment_notice_handle(*, regie: Regie, method: str, query_string: str, body: bytes) -> str:
    """A régie's backend's notification. PayFiP's (``idOp=…``, unsigned) only names the
    operation, whose outcome is asked of PayFiP's web service again; a bank's is signed
    and read by eopayment's ``response()``. An operation is handled until its payment
    has ended; after that a replay is answered without asking anything."""
    provider = EopaymentProvider(regie.backend, regie)
    if not provider.is_payfip:
        data = query_string or body.decode(errors="replace")
        return bank_notice_handle(provider, query_string=data)
    try:
        _kind, idop = eopayment_api.guess(
            method=method, query_string=query_string, body=body, kinds=("payfip_ws",)
        )
    except eopayment.BackendNotFound:
        return IGNORED
    payment = Payment.objects.filter(
        provider=regie.backend, regie=regie, provider_reference=idop
    ).first()
    if payment is None:
        # No row: one per idop posted to this public URL would fill the table unpurged.
        logger.warning("%s notification about an unknown idop.", regie.code)
        return UNKNOWN
    event, _created = ProviderEvent.objects.get_or_create(
        provider=regie.backend, event_id=f"idop:{idop}"[:255], defaults={"event_type": "urlnotif"}
    )
    if event.processed_at is not None:
        return REPLAYED
    settled = payment_settle(payment=payment, source=PaymentEvent.Source.WEBHOOK)
    if not settled.is_pending:
        ProviderEvent.objects.filter(pk=event.pk).update(
            processed_at=timezone.now(), payment=payment
        )
    return SETTLED


def bank_notice_handle(provider: EopaymentProvider, *, query_string: str) -> str:
    """A bank system's signed notification: eopayment checks the signature."""
    try:
        response = provider.backend().response(query_string)
    except eopayment.PaymentException as error:
        logger.warning("%s notification refused: %s", provider.regie.code, error)
        return IGNORED
    if not response.signed:
        return IGNORED
    references = {str(response.order_id), str(response.transaction_id)} - {""}
    payment = Payment.objects.filter(
        provider=provider.name, regie=provider.regie, provider_reference__in=references
    ).first()
    if payment is None:
        return UNKNOWN
    status = provider.status_of(payment, response)
    status_apply(payment=payment, status=status, source=PaymentEvent.Source.WEBHOOK)
    return SETTLED
