"""A provider that reports another amount than the invoices': the payment ends refused with
one clear event, the invoices are free again, the sum taken is flagged for refund, and
« Abandonner » tells the truth. (It used to stay pending forever, invoices locked.)"""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from payments.models import (
    Basket,
    BasketState,
    InvoiceState,
    Payment,
    PaymentEvent,
    PaymentState,
    SimulatedCheckout,
)
from payments.providers.simulated import SimulatedProvider
from payments.services import basket_add_invoice, invoice_cancel, payments_reconcile
from tests.factories import ClerkFactory
from tests.payments.factories import InvoiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_another_amount(payer_client, household, payer):
    """« Payer » on 42,60 €; the provider's checkout then says 4 260,00 € were taken."""
    for amount in ("12.50", "30.10"):
        invoice = InvoiceFactory(household=household, amount=Decimal(amount))
        basket_add_invoice(invoice=invoice, by=payer)
    payer_client.post(reverse("payments:pay"))
    payment = Payment.objects.get()
    SimulatedCheckout.objects.update(amount_cents=426000)
    SimulatedProvider().card_submit(payment, accept=True)
    return payment


def test_reconciliation_refuses_it_once_frees_the_invoices_and_flags_the_refund(
    paid_another_amount,
):
    later = timezone.now() + timedelta(minutes=16)
    with time_machine.travel(later):
        assert payments_reconcile() == {"failed": 1}
    with time_machine.travel(later + timedelta(minutes=5)):
        assert payments_reconcile() == {}
    payment = Payment.objects.get()
    assert payment.state == PaymentState.FAILED
    assert payment.refund_due == Decimal("4260.00")
    assert Basket.objects.get().state == BasketState.OPEN
    event = PaymentEvent.objects.filter(payment=payment).exclude(from_state="").get()
    assert (event.from_state, event.to_state) == (PaymentState.PENDING, PaymentState.FAILED)
    assert event.note == (
        "Montant annoncé par le prestataire différent : 4260.00 EUR au lieu de 42.60 EUR ; "
        "paiement refusé, somme reçue à rembourser."
    )


def test_the_clerk_may_then_cancel_the_invoices(paid_another_amount):
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        payments_reconcile()
    line = paid_another_amount.lines.first()
    cancelled = invoice_cancel(invoice=line.invoice, by=ClerkFactory())
    assert cancelled.state == InvoiceState.CANCELLED


def test_abandoning_says_the_payment_is_refused_and_the_sum_refunded(
    payer_client, paid_another_amount
):
    response = payer_client.post(reverse("payments:abandon"))
    assert response["Location"] == reverse("payments:outcome", args=[paid_another_amount.pk])
    page = payer_client.get(response["Location"]).content.decode()
    assert "Paiement refusé" in page
    assert "la mairie vous rembourse cette somme" in page
    assert "Aucune somme n'a été débitée" not in page
    assert Basket.objects.get().state == BasketState.OPEN
    assert ">Payer</button>" in payer_client.get(reverse("payments:basket")).content.decode()


def test_the_return_page_says_the_same(payer_client, paid_another_amount):
    page = payer_client.get(reverse("payments:outcome", args=[paid_another_amount.pk]))
    assert "la mairie vous rembourse cette somme" in page.content.decode()
    assert Payment.objects.get().state == PaymentState.FAILED
