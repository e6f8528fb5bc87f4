"""Stripe Checkout without network: the API faked at the HTTP edge, webhooks signed here."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from payments.models import (
    Basket,
    BasketState,
    Invoice,
    InvoiceState,
    Payment,
    PaymentEvent,
    PaymentState,
    ProviderEvent,
)
from payments.providers import stripe_api
from payments.services import basket_add_invoice, payments_reconcile
from tests.payments import stripe_fake
from tests.payments.factories import InvoiceFactory

pytestmark = pytest.mark.django_db

PAY = reverse("payments:pay")
WEBHOOK = reverse("payments:stripe_webhook")


@pytest.fixture(autouse=True)
def stripe(settings, monkeypatch):
    settings.PAYMENT_PROVIDER = "stripe"
    settings.STRIPE_SECRET_KEY = stripe_fake.SECRET_KEY
    settings.STRIPE_WEBHOOK_SECRET = stripe_fake.WEBHOOK_SECRET
    settings.SITE_URL = "https://portail.mairie.example"
    fake = stripe_fake.FakeStripe()
    monkeypatch.setattr(stripe_api, "HTTP_CLIENT", fake)
    monkeypatch.setattr(stripe_api, "NETWORK_RETRIES", 0)
    return fake


@pytest.fixture
def basket_of_two(household, payer):
    for amount in ("12.50", "30.10"):
        basket_add_invoice(invoice=InvoiceFactory(household=household, amount=amount), by=payer)


@pytest.fixture
def checkout(payer_client, basket_of_two, stripe):
    """« Payer » pressed: the citizen is on Stripe's page. Returns the session id."""
    response = payer_client.post(PAY)
    session_id = Payment.objects.get().provider_reference
    assert response["Location"] == stripe.sessions[session_id]["url"]
    return session_id


def deliver(event_type: str, session: dict, *, event_id="evt_1QcZa2AbCdEfGhIj", signature=None):
    payload = stripe_fake.event_json(session, event_type=event_type, event_id=event_id)
    header = signature or stripe_fake.signature_header(payload)
    return Client().post(
        WEBHOOK, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
    )


def test_payer_creates_a_checkout_session_in_cents_with_our_idempotency_key(checkout, stripe):
    payment = Payment.objects.get()
    (create,) = [r for r in stripe.requests if r["path"] == "/v1/checkout/sessions"]
    assert create["headers"]["Idempotency-Key"] == (
        f"citizen-portal-payment-{payment.pk}-{payment.created_at:%Y%m%d%H%M%S%f}-checkout"
    )
    assert create["headers"]["Authorization"] == f"Bearer {stripe_fake.SECRET_KEY}"
    params = create["params"]
    assert params["mode"] == "payment"
    assert params["payment_method_types"] == {"0": "card"}
    amounts = [item["price_data"]["unit_amount"] for item in params["line_items"].values()]
    assert amounts == ["1250", "3010"]
    assert {item["price_data"]["currency"] for item in params["line_items"].values()} == {"eur"}
    assert params["metadata"] == {"payment_id": str(payment.pk)}
    assert params["success_url"] == (
        f"https://portail.mairie.example{reverse('payments:outcome', args=[payment.pk])}"
    )
    assert payment.amount == Decimal("42.60")
    assert payment.provider == "stripe"
    assert payment.checkout_url.startswith("https://checkout.stripe.com/c/pay/cs_test_")


def test_pressing_payer_again_returns_the_same_session(payer_client, checkout, stripe):
    assert payer_client.post(PAY)["Location"] == stripe.sessions[checkout]["url"]
    assert len(stripe.sessions) == 1
    assert Payment.objects.count() == 1


def test_a_signed_completed_event_confirms_from_the_session_looked_up_again(
    checkout, stripe, acknowledged_payments
):
    session = stripe.complete(checkout)
    response = deliver("checkout.session.completed", session)
    assert response.status_code == 200
    assert response.content == b"settled"
    payment = Payment.objects.get()
    assert payment.state == PaymentState.PAID
    assert set(Invoice.objects.values_list("state", flat=True)) == {InvoiceState.PAID}
    assert Basket.objects.get().state == BasketState.CLOSED
    assert len(acknowledged_payments()) == 1
    retrieves = [r for r in stripe.requests if r["method"] == "get"]
    assert [r["path"] for r in retrieves] == [f"/v1/checkout/sessions/{checkout}"]
    assert ProviderEvent.objects.get().processed_at is not None


def test_the_event_alone_is_never_trusted(checkout, stripe):
    # A correctly signed event claiming « paid » while Stripe says the session is open.
    claimed = {**stripe.sessions[checkout], "status": "complete", "payment_status": "paid"}
    assert deliver("checkout.session.completed", claimed).status_code == 200
    assert Payment.objects.get().state == PaymentState.PENDING


def test_a_bad_signature_is_a_400_and_changes_nothing(checkout, stripe):
    session = stripe.complete(checkout)
    payload = stripe_fake.event_json(
        session, event_type="checkout.session.completed", event_id="evt_forged"
    )
    forged = stripe_fake.signature_header(payload, secret="whsec_not_ours")
    response = deliver("checkout.session.completed", session, signature=forged)
    assert response.status_code == 400
    assert Payment.objects.get().state == PaymentState.PENDING
    assert not ProviderEvent.objects.exists()
    assert Client().post(WEBHOOK, "{}", content_type="application/json").status_code == 400


def test_a_stale_signature_is_refused(checkout, stripe):
    session = stripe.complete(checkout)
    payload = stripe_fake.event_json(
        session, event_type="checkout.session.completed", event_id="evt_old"
    )
    old = stripe_fake.signature_header(payload, timestamp=1_600_000_000)
    assert deliver("checkout.session.completed", session, signature=old).status_code == 400


def test_a_replayed_event_changes_nothing_and_asks_nothing(checkout, stripe, acknowledged_payments):
    session = stripe.complete(checkout)
    deliver("checkout.session.completed", session, event_id="evt_replayed")
    before = len(stripe.requests)
    response = deliver("checkout.session.completed", session, event_id="evt_replayed")
    assert response.status_code == 200
    assert response.content == b"replayed"
    assert len(stripe.requests) == before
    assert len(acknowledged_payments()) == 1
    assert PaymentEvent.objects.filter(to_state=PaymentState.PAID).count() == 1


def test_the_same_payment_notified_twice_under_two_events_confirms_once(
    checkout, stripe, acknowledged_payments
):
    session = stripe.complete(checkout)
    deliver("checkout.session.completed", session, event_id="evt_first")
    deliver("checkout.session.async_payment_succeeded", session, event_id="evt_second")
    assert len(acknowledged_payments()) == 1
    assert Payment.objects.get().state == PaymentState.PAID


def test_the_return_page_and_the_webhook_racing_make_one_confirmation(
    payer_client, checkout, stripe, acknowledged_payments
):
    session = stripe.complete(checkout)
    payment = Payment.objects.get()
    webhook_answers = []
    # While the return page waits for Stripe's answer, the webhook arrives and confirms.
    stripe.on_retrieve = lambda: webhook_answers.append(
        deliver("checkout.session.completed", session)
    )
    page = payer_client.get(reverse("payments:outcome", args=[payment.pk]))
    assert webhook_answers[0].status_code == 200
    assert "Paiement accepté" in page.content.decode()
    assert len(acknowledged_payments()) == 1
    assert PaymentEvent.objects.filter(to_state=PaymentState.PAID).count() == 1
    assert Invoice.objects.filter(payment=payment).count() == 2


def test_the_return_page_confirms_when_the_webhook_is_late(payer_client, checkout, stripe):
    stripe.complete(checkout)
    payment = Payment.objects.get()
    page = payer_client.get(reverse("payments:outcome", args=[payment.pk])).content.decode()
    assert "Paiement accepté" in page
    event = PaymentEvent.objects.get(to_state=PaymentState.PAID)
    assert event.source == PaymentEvent.Source.RETURN


def test_coming_back_from_stripe_without_paying_shows_the_payment_under_way(payer_client, checkout):
    page = payer_client.get(reverse("payments:basket")).content.decode()
    assert "Un paiement est en cours pour ce panier" in page
    assert "Reprendre le paiement" in page


def test_abandoning_expires_the_session_at_stripe(payer_client, checkout, stripe):
    payer_client.post(reverse("payments:abandon"))
    assert stripe.sessions[checkout]["status"] == "expired"
    assert Payment.objects.get().state == PaymentState.CANCELLED
    assert Basket.objects.get().state == BasketState.OPEN


def test_abandoning_a_session_paid_meanwhile_confirms_it(
    payer_client, checkout, stripe, acknowledged_payments
):
    stripe.complete(checkout)
    payer_client.post(reverse("payments:abandon"))
    assert Payment.objects.get().state == PaymentState.PAID
    assert len(acknowledged_payments()) == 1


def test_an_expired_session_event_reopens_the_basket(checkout, stripe):
    stripe.sessions[checkout].update(status="expired", url=None)
    deliver("checkout.session.expired", stripe.sessions[checkout], event_id="evt_expired")
    assert Payment.objects.get().state == PaymentState.EXPIRED
    assert Basket.objects.get().state == BasketState.OPEN


def test_an_event_about_an_unknown_session_is_acknowledged(stripe):
    session = {"id": "cs_test_unknown", "object": "checkout.session"}
    response = deliver("checkout.session.completed", session, event_id="evt_unknown")
    assert response.status_code == 200
    assert response.content == b"unknown"


def test_other_events_are_acknowledged_and_ignored(stripe):
    response = deliver("customer.created", {"id": "cus_123", "object": "customer"})
    assert response.content == b"ignored"


def test_stripe_down_when_paying_keeps_the_basket_and_the_payment_to_retry(
    payer_client, basket_of_two, stripe
):
    stripe.down = True
    response = payer_client.post(PAY)
    assert response["Location"] == reverse("payments:basket")
    page = payer_client.get(response["Location"]).content.decode()
    assert "Le service de paiement ne répond pas" in page
    assert Payment.objects.get().state == PaymentState.PENDING
    stripe.down = False
    response = payer_client.post(PAY)
    assert response["Location"].startswith("https://checkout.stripe.com/")


def test_stripe_down_during_a_webhook_answers_503_so_that_stripe_retries(checkout, stripe):
    session = stripe.complete(checkout)
    stripe.down = True
    assert deliver("checkout.session.completed", session, event_id="evt_retry").status_code == 503
    stripe.down = False
    assert deliver("checkout.session.completed", session, event_id="evt_retry").status_code == 200
    assert Payment.objects.get().state == PaymentState.PAID


def test_reconciliation_confirms_a_payment_whose_webhook_was_lost(
    checkout, stripe, acknowledged_payments
):
    stripe.complete(checkout)
    Payment.objects.update(created_at=Payment.objects.get().created_at.replace(year=2000))
    assert payments_reconcile() == {"paid": 1}
    assert len(acknowledged_payments()) == 1


def test_the_webhook_needs_a_configured_secret(settings, stripe):
    settings.STRIPE_WEBHOOK_SECRET = ""
    assert Client().post(WEBHOOK, "{}", content_type="application/json").status_code == 404
