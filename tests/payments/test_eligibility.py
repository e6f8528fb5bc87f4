"""The FAQ's « Pourquoi n'ai-je pas de facture ? »: a validated account, created more than
2 business days ago (weekends and French public holidays do not count)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from accounts.models import User
from households.services import household_get_or_create
from payments.calendar import add_business_days, is_business_day, months_before
from payments.eligibility import eligibility_of
from tests.factories import PendingUserFactory, UserFactory
from tests.payments.conftest import age_account
from tests.payments.factories import InvoiceFactory

PARIS = ZoneInfo("Europe/Paris")
CONDITION_SERVICES = "avoir bénéficié de prestations dans les domaines du scolaire, périscolaire"
CONDITION_DELAY = "avoir créé votre compte depuis plus de 2 jours ouvrés"


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=PARIS)


def created_on(day: date) -> User:
    with time_machine.travel(at(day), tick=False):
        return UserFactory()


def test_weekends_and_french_public_holidays_are_not_business_days():
    assert is_business_day(date(2026, 5, 13))  # a Wednesday
    assert not is_business_day(date(2026, 5, 14))  # Ascension
    assert not is_business_day(date(2026, 5, 16))  # a Saturday
    assert not is_business_day(date(2026, 7, 14))  # Fête nationale, a Tuesday
    assert add_business_days(date(2026, 5, 13), 2) == date(2026, 5, 18)


def test_three_months_back_keeps_the_day_or_takes_the_last_of_the_month():
    assert months_before(date(2026, 11, 27), 3) == date(2026, 8, 27)
    assert months_before(date(2026, 5, 31), 3) == date(2026, 2, 28)
    assert months_before(date(2026, 2, 15), 3) == date(2025, 11, 15)


@pytest.mark.django_db
def test_an_account_created_on_a_monday_sees_its_invoices_from_thursday():
    account = created_on(date(2026, 6, 1))
    assert not eligibility_of(account, today=date(2026, 6, 3)).eligible
    assert eligibility_of(account, today=date(2026, 6, 4)).eligible


@pytest.mark.django_db
def test_a_weekend_does_not_count():
    account = created_on(date(2026, 6, 4))  # a Thursday: Friday and Monday count, not the weekend
    for day in (date(2026, 6, 6), date(2026, 6, 7), date(2026, 6, 8)):
        assert not eligibility_of(account, today=day).eligible, day
    assert eligibility_of(account, today=date(2026, 6, 9)).eligible


@pytest.mark.django_db
def test_a_french_public_holiday_does_not_count():
    account = created_on(date(2026, 5, 13))  # the eve of Ascension (Thursday 14 May)
    assert not eligibility_of(account, today=date(2026, 5, 18)).eligible
    assert eligibility_of(account, today=date(2026, 5, 19)).eligible


@pytest.mark.django_db
def test_the_tab_follows_the_calendar_and_explains_the_two_conditions_meanwhile(client):
    account = created_on(date(2026, 5, 13))
    InvoiceFactory(
        household=household_get_or_create(account=account),
        number="F-ASCENSION",
        issue_date=date(2026, 5, 12),
    )
    client.force_login(account)
    with time_machine.travel(at(date(2026, 5, 18)), tick=False):
        response = client.get(reverse("payments:index"))
    page = response.content.decode()
    assert "Vos factures ne sont pas encore disponibles" in page
    assert CONDITION_SERVICES in page
    assert CONDITION_DELAY in page
    assert "mardi 19 mai 2026" in page
    assert "F-ASCENSION" not in page
    with time_machine.travel(at(date(2026, 5, 19)), tick=False):
        response = client.get(reverse("payments:index"))
    assert "Vos factures ne sont pas encore disponibles" not in response.content.decode()
    assert "F-ASCENSION" in response.content.decode()


@pytest.mark.django_db
def test_a_pending_account_is_told_it_awaits_validation_and_sees_no_invoice(client):
    account = age_account(PendingUserFactory())
    client.force_login(account)
    page = client.get(reverse("payments:index")).content.decode()
    assert "Votre compte est en attente de validation par la mairie." in page
    assert CONDITION_DELAY in page
    assert "vos factures seront visibles" not in page


@pytest.mark.django_db
def test_an_account_not_yet_eligible_cannot_reach_the_basket(client, citizen):
    client.force_login(citizen)  # created just now
    response = client.get(reverse("payments:basket"))
    assert response.status_code == 302
    assert response["Location"] == reverse("payments:index")
