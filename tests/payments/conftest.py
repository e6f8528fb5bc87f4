"""Payments personas: the ``citizen`` of tests/conftest.py, made eligible.

- ``payer``: a validated citizen whose account is 30 days old, so invoices show;
- ``household`` / ``other_household``: the payer's and another citizen's;
- ``paid_signals``: every ``payment_confirmed`` sent during the test.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from households.services import household_get_or_create
from payments.signals import payment_confirmed
from tests.payments.factories import InvoiceFactory


@pytest.fixture(autouse=True)
def _simulated_provider(settings):
    settings.PAYMENT_PROVIDER = "simulated"
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_WEBHOOK_SECRET = ""


def age_account(account: User, days: int = 30) -> User:
    User.objects.filter(pk=account.pk).update(date_joined=timezone.now() - timedelta(days=days))
    account.refresh_from_db()
    return account


@pytest.fixture
def payer(citizen):
    return age_account(citizen)


@pytest.fixture
def payer_client(client, payer):
    client.force_login(payer)
    return client


@pytest.fixture
def household(payer):
    return household_get_or_create(account=payer)


@pytest.fixture
def other_household(other_citizen):
    return household_get_or_create(account=age_account(other_citizen))


@pytest.fixture
def invoice(household):
    return InvoiceFactory(household=household)


@pytest.fixture
def paid_signals():
    sent = []

    def receiver(sender, payment, receipt, **kwargs):
        sent.append((payment.pk, receipt))

    payment_confirmed.connect(receiver, weak=False, dispatch_uid="tests-paid-signals")
    yield sent
    payment_confirmed.disconnect(dispatch_uid="tests-paid-signals")
