"""Clerks see and correct invoices in Django admin, cancel them or mark them paid at the
Guichet Unique; payments are read-only and can be asked of the provider again."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from households.models import Member, Relationship, Sex
from payments.models import Domain, Invoice, InvoiceEvent, InvoiceState, Payment, PaymentState
from payments.services import basket_add_invoice, invoice_settle_at_counter, payment_start
from payments.services.invoices import invoice_create
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


def child_of(household, first_names: str = "Léo") -> Member:
    return Member.objects.create(
        household=household,
        relationship=Relationship.CHILD,
        sex=Sex.MALE,
        last_name="MARTIN",
        first_names=first_names,
        birth_date=date(2018, 5, 2),
    )


def new_invoice_data(household, **changes):
    data = {
        "number": "F-2026-0999",
        "household": household.pk,
        "member": "",
        "member_name": "",
        "domain": Domain.SCHOOL,
        "label": "Restauration scolaire",
        "period": "Mars 2026",
        "amount": "42.50",
        "issue_date": "2026-04-01",
        "due_date": "2026-04-30",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
    }
    return {**data, **changes}


def test_a_clerk_s_new_invoice_goes_through_invoice_create(clerk_client, household, clerk):
    child = child_of(household)
    data = new_invoice_data(household, member=child.pk)
    response = clerk_client.post(reverse("admin:payments_invoice_add"), data)
    assert response.status_code == 302
    invoice = Invoice.objects.get(number="F-2026-0999")
    assert invoice.member_name == "Léo MARTIN"
    assert [(event.kind, event.actor, event.note) for event in invoice.events.all()] == [
        (InvoiceEvent.Kind.CREATED, clerk, "Saisie dans l'administration")
    ]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"due_date": "2026-03-31"}, "due_date", "L'échéance ne peut pas précéder l'émission."),
        ({"member": "other"}, "member", "ne fait pas partie du foyer de la facture"),
    ],
)
def test_a_new_invoice_breaking_the_model_s_rules_is_refused_beside_its_field(
    clerk_client, household, other_household, changes, field, message
):
    if changes.get("member") == "other":
        changes = {"member": child_of(other_household).pk}
    response = clerk_client.post(
        reverse("admin:payments_invoice_add"), new_invoice_data(household, **changes)
    )
    assert response.status_code == 200
    assert message in response.context["adminform"].form.errors[field][0]
    assert not Invoice.objects.exists()


def test_invoice_create_refuses_a_member_of_another_household(household, other_household):
    stranger = child_of(other_household)
    with pytest.raises(ValidationError) as refused:
        invoice_create(
            household=household,
            by=None,
            number="F-2026-0998",
            member=stranger,
            domain=Domain.SCHOOL,
            label="Cantine",
            amount=Decimal("3.20"),
            issue_date=date(2026, 4, 1),
            due_date=date(2026, 4, 30),
        )
    assert set(refused.value.message_dict) == {"member"}
    assert not Invoice.objects.exists()
