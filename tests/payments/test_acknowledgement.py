"""A confirmed payment is acknowledged once, by mail and in « Mes messages », with its receipt."""

import pytest
from django.core import mail

from notifications.models import Message, MessageKind
from notifications.topics import payment_topic
from payments.services.basket import basket_add_invoice
from payments.services.payment import payment_confirm, payment_start


@pytest.mark.django_db
def test_a_confirmed_payment_is_acknowledged_once_with_the_receipt(
    payer, household, invoice, django_capture_on_commit_callbacks
):
    basket_add_invoice(invoice=invoice, by=payer)
    payment = payment_start(household=household, by=payer)
    with django_capture_on_commit_callbacks(execute=True):
        assert payment_confirm(payment=payment, source="test") is True
        assert payment_confirm(payment=payment, source="test") is False
    message = Message.objects.get(topic=payment_topic(payment.pk))
    assert message.kind == MessageKind.ACKNOWLEDGEMENT and message.account == payer
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.subject.startswith("Accusé de réception — paiement de")
    assert invoice.number in email.body
    name, content, mimetype = email.attachments[0]
    assert mimetype == "application/pdf" and content.startswith(b"%PDF")
    assert name.endswith(".pdf")
