"""Paying the basket on the simulated card page: accepted, declined, abandoned, reconciled;
the confirmation is idempotent and the amount always comes from the invoices."""

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from payments.models import (
    Basket,
    BasketState,
    Invoice,
    InvoiceState,
    Payment,
    PaymentEvent,
    PaymentState,
    SimulatedCheckout,
)
from payments.providers.simulated import SimulatedProvider
from payments.services import (
    PaymentRefused,
    basket_add_invoice,
    invoice_settle_at_counter,
    payment_checkout,
    payment_confirm,
    payment_start,
    payments_reconcile,
)
from payments.tasks import reconcile_payments
from tests.payments.factories import InvoiceFactory

pytestmark = pytest.mark.django_db

PAY = reverse("payments:pay")
BASKET = reverse("payments:basket")


@pytest.fixture
def two_invoices(household, payer):
    invoices = [
        InvoiceFactory(household=household, amount=Decimal("12.50")),
        InvoiceFactory(household=household, amount=Decimal("30.10")),
    ]
    for invoice in invoices:
        basket_add_invoice(invoice=invoice, by=payer)
    return invoices


def pay_on_the_card_page(client, outcome="accept"):
    """« Payer », then the simulated card page; returns the outcome page's response."""
    response = client.post(PAY)
    card_page = response["Location"]
    assert client.get(card_page).status_code == 200
    response = client.post(card_page, {"outcome": outcome})
    return client.get(response["Location"])


def test_payer_opens_one_payment_of_the_invoices_amounts(payer_client, two_invoices, household):
    response = payer_client.post(PAY, {"amount": "0.01"})  # anything posted is ignored
    payment = Payment.objects.get()
    assert response["Location"] == reverse("payments:simulated_card", args=[payment.pk])
    assert payment.amount == Decimal("42.60")
    assert payment.state == PaymentState.PENDING
    assert payment.provider == "simulated"
    assert SimulatedCheckout.objects.get().amount_cents == 4260
    assert Basket.objects.get(household=household).state == BasketState.CHECKOUT


def test_an_accepted_card_pays_the_invoices_closes_the_basket_and_acknowledges_once(
    payer_client, two_invoices, acknowledged_payments
):
    page = pay_on_the_card_page(payer_client).content.decode()
    payment = Payment.objects.get()
    assert payment.state == PaymentState.PAID
    assert "Paiement accepté" in page
    assert "42,60\u00a0€" in page
    for invoice in Invoice.objects.all():
        assert invoice.state == InvoiceState.PAID
        assert invoice.payment == payment
    assert Basket.objects.get().state == BasketState.CLOSED
    assert acknowledged_payments() == [payment.pk]
    finished = payer_client.get(reverse("payments:index"), {"rubrique": "termines"})
    for invoice in two_invoices:
        assert invoice.number in finished.content.decode()
    assert "Accéder à votre panier (vide)" in finished.content.decode()


def test_confirming_twice_confirms_once(two_invoices, household, payer, acknowledged_payments):
    payment = payment_start(household=household, by=payer)
    payment_checkout(payment=payment)
    assert payment_confirm(payment=payment, source=PaymentEvent.Source.RETURN) is True
    assert payment_confirm(payment=payment, source=PaymentEvent.Source.WEBHOOK) is False
    assert len(acknowledged_payments()) == 1
    assert PaymentEvent.objects.filter(to_state=PaymentState.PAID).count() == 1


def test_the_acknowledgement_carries_the_receipt_pdf(
    two_invoices, household, payer, django_capture_on_commit_callbacks
):
    payment = payment_start(household=household, by=payer)
    with django_capture_on_commit_callbacks(execute=True):
        payment_confirm(payment=payment, source=PaymentEvent.Source.RETURN)
    [email] = mail.outbox
    [(filename, content, mimetype)] = email.attachments
    assert filename == f"recu-paiement-{payment.receipt_number}.pdf"
    assert mimetype == "application/pdf"
    text = PdfReader(BytesIO(content)).pages[0].extract_text()
    assert f"Reçu de paiement n° {payment.receipt_number}" in text
    assert "42,60" in text


def test_a_declined_card_keeps_the_basket_for_another_try(
    payer_client, two_invoices, acknowledged_payments
):
    page = pay_on_the_card_page(payer_client, outcome="decline").content.decode()
    assert "Paiement refusé" in page
    assert Payment.objects.get().state == PaymentState.FAILED
    assert Basket.objects.get().state == BasketState.OPEN
    assert set(Invoice.objects.values_list("state", flat=True)) == {InvoiceState.TO_PAY}
    assert acknowledged_payments() == []
    # The second try is a new payment of the same basket.
    assert "Paiement accepté" in pay_on_the_card_page(payer_client).content.decode()
    assert list(Payment.objects.order_by("pk").values_list("state", flat=True)) == [
        PaymentState.FAILED,
        PaymentState.PAID,
    ]


def test_pressing_payer_twice_gives_the_same_payment(payer_client, two_invoices):
    first = payer_client.post(PAY)["Location"]
    second = payer_client.post(PAY)["Location"]
    assert first == second
    assert Payment.objects.count() == 1


def test_the_citizen_abandons_the_payment_and_may_change_the_basket(payer_client, two_invoices):
    payer_client.post(PAY)
    page = payer_client.get(BASKET).content.decode()
    assert "Un paiement est en cours pour ce panier" in page
    assert ">Payer</button>" not in page
    response = payer_client.post(reverse("payments:abandon"))
    assert response["Location"] == BASKET
    assert Payment.objects.get().state == PaymentState.CANCELLED
    assert SimulatedCheckout.objects.get().status == SimulatedCheckout.Status.EXPIRED
    page = payer_client.get(BASKET).content.decode()
    assert ">Payer</button>" in page
    assert ">Retirer<" in page


def test_a_payment_paid_meanwhile_is_confirmed_instead_of_abandoned(
    payer_client, two_invoices, acknowledged_payments
):
    payer_client.post(PAY)
    payment = Payment.objects.get()
    SimulatedProvider().card_submit(payment, accept=True)  # paid, the citizen never came back
    response = payer_client.post(reverse("payments:abandon"))
    assert response["Location"] == reverse("payments:outcome", args=[payment.pk])
    assert Payment.objects.get().state == PaymentState.PAID
    assert len(acknowledged_payments()) == 1


def test_an_empty_basket_cannot_be_paid(payer_client, household, payer):
    response = payer_client.post(PAY)
    assert response["Location"] == BASKET
    assert "Votre panier est vide." in payer_client.get(BASKET).content.decode()
    assert not Payment.objects.exists()


def test_at_payment_time_an_invoice_paid_meanwhile_is_left_out(two_invoices, household, payer):
    # Paid at the counter between « Ajouter au panier » and « Payer »: it left the basket.
    invoice_settle_at_counter(invoice=two_invoices[0], by=payer)
    payment = payment_start(household=household, by=payer)
    assert payment.amount == Decimal("30.10")
    assert list(payment.lines.values_list("invoice", flat=True)) == [two_invoices[1].pk]


def test_an_empty_basket_refuses_to_start(household, payer):
    with pytest.raises(PaymentRefused):
        payment_start(household=household, by=payer)


def test_the_receipt_is_for_the_owner_of_a_paid_payment_only(
    payer_client, two_invoices, client, other_citizen
):
    pay_on_the_card_page(payer_client)
    payment = Payment.objects.get()
    receipt = reverse("payments:receipt_pdf", args=[payment.pk])
    response = payer_client.get(receipt)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    client.force_login(other_citizen)
    assert client.get(receipt).status_code == 404
    assert client.get(reverse("payments:outcome", args=[payment.pk])).status_code == 404
    card = reverse("payments:simulated_card", args=[payment.pk])
    assert client.post(card, {"outcome": "accept"}).status_code == 404


def test_another_household_cannot_pay_on_my_card_page(
    payer_client, two_invoices, client, other_citizen
):
    payer_client.post(PAY)
    payment = Payment.objects.get()
    client.force_login(other_citizen)
    card = reverse("payments:simulated_card", args=[payment.pk])
    assert client.post(card, {"outcome": "accept"}).status_code == 404
    assert SimulatedCheckout.objects.get().status == SimulatedCheckout.Status.OPEN


def test_reconciliation_settles_payments_pending_for_more_than_15_minutes(
    payer_client, two_invoices, acknowledged_payments
):
    payer_client.post(PAY)
    payment = Payment.objects.get()
    SimulatedProvider().card_submit(payment, accept=True)  # the return page never came
    assert payments_reconcile() == {}  # too recent
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert payments_reconcile() == {"paid": 1}
    assert Payment.objects.get().state == PaymentState.PAID
    assert len(acknowledged_payments()) == 1


def test_reconciliation_expires_an_abandoned_checkout_and_reopens_the_basket(
    payer_client, two_invoices, capsys
):
    payer_client.post(PAY)
    with time_machine.travel(timezone.now() + timedelta(minutes=20)):
        assert reconcile_payments() == {"pending": 1}
    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        call_command("reconcile_payments")
    assert capsys.readouterr().out.strip() == "Paiements rapprochés — expirés : 1."
    assert Payment.objects.get().state == PaymentState.EXPIRED
    assert Basket.objects.get().state == BasketState.OPEN


def test_the_reconcile_command_says_when_there_is_nothing_to_do(capsys):
    call_command("reconcile_payments")
    assert "Aucun paiement en attente" in capsys.readouterr().out


def test_the_database_refuses_a_second_record_of_one_provider_reference(
    payer_client, two_invoices, household
):
    payer_client.post(PAY)
    payment = Payment.objects.get()
    payer_client.post(reverse("payments:abandon"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(
            household=household,
            basket=payment.basket,
            provider=payment.provider,
            provider_reference=payment.provider_reference,
            amount=payment.amount,
        )


def test_the_database_refuses_two_pending_payments_of_one_basket(payer_client, two_invoices):
    payer_client.post(PAY)
    payment = Payment.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(
            household=payment.household,
            basket=payment.basket,
            provider=payment.provider,
            amount=payment.amount,
        )
