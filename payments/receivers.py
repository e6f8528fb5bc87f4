"""The acknowledgement of a payment, with its receipt, through the outbox."""

from django.dispatch import receiver

from notifications.models import MessageKind
from notifications.services import message_queue
from payments.signals import payment_confirmed


@receiver(payment_confirmed)
def acknowledge_payment(sender, payment, **kwargs):
    """Written in the confirming transaction; the receipt PDF is built at send time."""
    account = payment.household.account
    message_queue(
        kind=MessageKind.ACKNOWLEDGEMENT,
        template="payment_confirmed",
        context={"payment": payment, "invoices": list(payment.paid_invoices.all())},
        to_email=account.email,
        account=account,
        topic=f"payment:{payment.pk}",
        dedupe_key=f"payment:{payment.pk}:confirmed",
        attachment=("recu.pdf", "payments.pdf.receipt_attachment", payment.pk),
    )
