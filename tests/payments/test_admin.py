"""Clerks see and correct invoices in Django admin, cancel them or mark them paid at the
Guichet Unique; payments are read-only and can be asked of the provider again."""

from decimal import Decimal

import pytest
from django.urls import reverse

from payments.models import InvoiceEvent, InvoiceState, Payment, PaymentState
from payments.services import basket_add_invoice, invoice_settle_at_counter, payment_start
from tests.factories import ClerkFactory, role_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk():
    """A clerk of « Régie », who handles invoices and payments."""
    user = ClerkFactory(first_name="Régine", last_name="CAISSE")
    user.groups.add(role_group("Régie"))
    return user


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client


def change_url(invoice):
    return reverse("admin:payments_invoice_change", args=[invoice.pk])


def form_data(invoice, **changes):
    data = {
        "member": "",
        "member_name": invoice.member_name,
        "domain": invoice.domain,
        "label": invoice.label,
        "period": invoice.period,
        "amount": str(invoice.amount),
        "issue_date": invoice.issue_date.isoformat(),
        "due_date": invoice.due_date.isoformat(),
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
    }
    return {**data, **changes}


def test_a_clerk_lists_and_corrects_an_invoice_with_its_history(clerk_client, invoice, clerk):
    assert (
        invoice.number
        in clerk_client.get(reverse("admin:payments_invoice_changelist")).content.decode()
    )
    response = clerk_client.post(change_url(invoice), form_data(invoice, amount="40.00"))
    assert response.status_code == 302, response.content.decode()[:2000]
    invoice.refresh_from_db()
    assert invoice.amount == Decimal("40.00")
    event = invoice.events.get(kind=InvoiceEvent.Kind.UPDATED)
    assert event.actor == clerk
    assert event.changes["amount"] == {"old": "42.35", "new": "40.00"}


def test_a_paid_invoice_is_read_only(clerk_client, invoice, clerk):
    invoice_settle_at_counter(invoice=invoice, by=clerk)
    page = clerk_client.get(change_url(invoice)).content.decode()
    assert 'name="amount"' not in page


def test_an_invoice_being_paid_cannot_be_corrected(clerk_client, invoice, household, payer):
    basket_add_invoice(invoice=invoice, by=payer)
    payment_start(household=household, by=payer)
    response = clerk_client.post(change_url(invoice), form_data(invoice, amount="1.00"))
    assert response.status_code == 200
    assert "Un paiement en ligne est en cours pour cette facture" in response.content.decode()
    invoice.refresh_from_db()
    assert invoice.amount == Decimal("42.35")


def test_the_cancel_action_goes_through_the_service(clerk_client, invoice):
    response = clerk_client.post(
        reverse("admin:payments_invoice_changelist"),
        {"action": "cancel_selected", "_selected_action": [invoice.pk]},
    )
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.CANCELLED
    assert invoice.events.filter(kind=InvoiceEvent.Kind.CANCELLED).exists()


def test_the_counter_action_marks_invoices_paid(clerk_client, invoice):
    clerk_client.post(
        reverse("admin:payments_invoice_changelist"),
        {"action": "settle_selected_at_counter", "_selected_action": [invoice.pk]},
    )
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.PAID
    assert invoice.payment is None


def test_payments_are_read_only_for_clerks(clerk_client, invoice, household, payer):
    basket_add_invoice(invoice=invoice, by=payer)
    payment = payment_start(household=household, by=payer)
    url = reverse("admin:payments_payment_change", args=[payment.pk])
    page = clerk_client.get(url).content.decode()
    assert "42,35" in page
    assert 'name="amount"' not in page
    assert clerk_client.post(url, {}).status_code == 403
    assert Payment.objects.get().state == PaymentState.PENDING
