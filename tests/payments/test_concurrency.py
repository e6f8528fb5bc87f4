"""Races for real, on PostgreSQL only (SQLite serialises writers anyway): « Payer » pressed
in two tabs at once, and the return page and the webhook confirming at the same moment."""

import threading

import pytest
from django.test import Client
from django.urls import reverse

from households.services import household_get_or_create
from payments.models import Invoice, InvoiceState, Payment, PaymentEvent, PaymentState
from payments.providers import stripe_api
from payments.providers.simulated import SimulatedProvider
from payments.services import (
    basket_add_invoice,
    payment_checkout,
    payment_settle,
    payment_start,
)
from tests.factories import UserFactory
from tests.payments import stripe_fake
from tests.payments.conftest import age_account
from tests.payments.factories import InvoiceFactory
from tests.transactions import require_postgresql, run_together

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def payer_with_basket():
    payer = age_account(UserFactory())
    household = household_get_or_create(account=payer)
    for _ in range(3):
        basket_add_invoice(invoice=InvoiceFactory(household=household), by=payer)
    return payer, household


def test_two_tabs_paying_the_same_basket_make_one_payment_and_pay_each_invoice_once(
    payer_with_basket, acknowledged_payments
):
    require_postgresql()
    payer, household = payer_with_basket

    started = []

    def pay_and_accept():
        payment = payment_start(household=household, by=payer)
        started.append(payment.pk)
        payment_checkout(payment=payment)
        payment.refresh_from_db()
        SimulatedProvider().card_submit(payment, accept=True)
        payment_settle(payment=payment, source=PaymentEvent.Source.RETURN)

    assert run_together(pay_and_accept, pay_and_accept) == []
    payment = Payment.objects.get()
    assert started == [payment.pk, payment.pk]
    assert payment.state == PaymentState.PAID
    assert Invoice.objects.filter(state=InvoiceState.PAID, payment=payment).count() == 3
    assert acknowledged_payments() == [payment.pk]
    assert PaymentEvent.objects.filter(to_state=PaymentState.PAID).count() == 1


def test_the_return_page_and_the_webhook_at_the_same_moment_confirm_once(
    payer_with_basket, acknowledged_payments, settings, monkeypatch
):
    require_postgresql()
    settings.PAYMENT_PROVIDER = "stripe"
    settings.STRIPE_SECRET_KEY = stripe_fake.SECRET_KEY
    settings.STRIPE_WEBHOOK_SECRET = stripe_fake.WEBHOOK_SECRET
    fake = stripe_fake.FakeStripe()
    monkeypatch.setattr(stripe_api, "HTTP_CLIENT", fake)
    payer, household = payer_with_basket
    payment = payment_start(household=household, by=payer)
    payment_checkout(payment=payment)
    payment.refresh_from_db()
    session = fake.complete(payment.provider_reference)
    payload = stripe_fake.event_json(
        session, event_type="checkout.session.completed", event_id="evt_race"
    )
    answers = []
    # Both have Stripe's « paid » in hand before either confirms: the row lock decides.
    fake.retrieve_barrier = threading.Barrier(2)

    def return_page():
        client = Client()
        client.force_login(payer)
        answers.append(client.get(reverse("payments:outcome", args=[payment.pk])).status_code)

    def webhook():
        answers.append(
            Client()
            .post(
                reverse("payments:stripe_webhook"),
                payload,
                content_type="application/json",
                HTTP_STRIPE_SIGNATURE=stripe_fake.signature_header(payload),
            )
            .status_code
        )

    assert run_together(return_page, webhook) == []
    assert answers == [200, 200]
    payment.refresh_from_db()
    assert payment.state == PaymentState.PAID
    assert len(acknowledged_payments()) == 1
    assert PaymentEvent.objects.filter(to_state=PaymentState.PAID).count() == 1
    assert Invoice.objects.filter(state=InvoiceState.PAID, payment=payment).count() == 3
