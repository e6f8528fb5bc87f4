"""What a payment tells its citizen, and when: one call per event, into the outbox.

As procedures/notify.py does for requests: the service that changes the payment
calls it inside its transaction, so the message commits, or rolls back, with it.
"""

from notifications.models import MessageKind
from notifications.services import message_queue
from notifications.topics import payment_topic

# The receipt PDF, registered under this name in PaymentsConfig.ready.
RECEIPT = "payment-receipt"


def receipt_attachment(payment_pk: int) -> tuple[str, bytes, str]:
    """(file name, content, MIME type) of the receipt, built when the mail leaves."""
    from payments import pdf  # WeasyPrint loads when a mail needs it, not at start-up.

    return pdf.receipt_attachment(payment_pk)


def payment_confirmed(payment) -> None:
    """The acknowledgement of a paid payment, with its receipt (built at send time)."""
    account = payment.household.account
    topic = payment_topic(payment.pk)
    message_queue(
        kind=MessageKind.ACKNOWLEDGEMENT,
        template="payment_confirmed",
        context={"payment": payment, "invoices": list(payment.paid_invoices.all())},
        to_email=account.email,
        account=account,
        topic=topic,
        dedupe_key=f"{topic}:confirmed",
        attachment=("recu.pdf", RECEIPT, payment.pk),
    )
