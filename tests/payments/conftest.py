"""Payments personas: the ``citizen`` of tests/conftest.py, made eligible.

- ``payer``: a validated citizen whose account is 30 days old, so invoices show;
- ``household`` / ``other_household``: the payer's and another citizen's;
- ``acknowledged_payments()``: the payments acknowledged in the outbox so far.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from households.services import household_get_or_create
from notifications.models import Message, MessageKind
from notifications.topics import TopicKind
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
def acknowledged_payments():
    """What the citizen hears: the pks of the payments acknowledged in the outbox, once per
    message, in the order they were written."""

    def payments() -> list[int]:
        topics = (
            Message.objects.filter(
                kind=MessageKind.ACKNOWLEDGEMENT, topic__startswith=f"{TopicKind.PAYMENT}:"
            )
            .order_by("pk")
            .values_list("topic", flat=True)
        )
        return [int(topic.partition(":")[2]) for topic in topics]

    return payments
