"""Régies raced for real, on PostgreSQL only: invoices of two régies added and paid from
several tabs at once never give a payment of mixed régies, nor two payments of one
group; the trigger refuses a mixed line even when the services' checks are bypassed."""

import pytest
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from households.services import household_get_or_create
from payments.models import Basket, BasketLine, Payment
from payments.services import basket_add_invoice
from tests.factories import UserFactory
from tests.payments.conftest import age_account
from tests.payments.factories import InvoiceFactory
from tests.payments.payfip_fake import card_regie
from tests.payments.test_concurrency import require_postgresql, run_together

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def two_regies():
    first = card_regie("Régie scolaire et périscolaire", "scolaire", ("scolaire",))
    second = card_regie()
    return first, second


def test_adding_and_paying_two_regies_at_once_keeps_every_payment_to_one_regie(two_regies):
    require_postgresql()
    school, music = two_regies
    payer = age_account(UserFactory())
    household = household_get_or_create(account=payer)
    invoices = [InvoiceFactory(household=household, regie=regie) for regie in (school, music) * 3]

    def add(invoice):
        return lambda: basket_add_invoice(invoice=invoice, by=payer)

    assert not run_together(*(add(invoice) for invoice in invoices))
    assert Basket.objects.count() == 2

    def pay(regie):
        def press():
            client = Client()
            client.force_login(payer)
            client.post(reverse("payments:pay"), {"regie": regie.pk})

        return press

    assert not run_together(*(pay(regie) for regie in (school, music, school, music)))
    payments = list(Payment.objects.prefetch_related("lines__invoice"))
    assert len(payments) == 2
    for payment in payments:
        assert {line.invoice.regie_id for line in payment.lines.all()} == {payment.regie_id}
        assert payment.lines.count() == 3


def test_the_trigger_refuses_a_line_moved_to_another_regies_basket(two_regies):
    require_postgresql()
    school, music = two_regies
    payer = age_account(UserFactory())
    household = household_get_or_create(account=payer)
    basket_add_invoice(invoice=InvoiceFactory(household=household, regie=school), by=payer)
    stray = InvoiceFactory(household=household, regie=music)
    basket_add_invoice(invoice=stray, by=payer)
    school_basket = Basket.objects.get(regie=school)
    with pytest.raises(IntegrityError):
        BasketLine.objects.filter(invoice=stray).update(basket=school_basket)
