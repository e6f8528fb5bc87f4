from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts import services as account_services
from accounts.models import User
from households import services
from households.models import Household, HouseholdEvent, Member, Relationship, Sex
from tests.factories import UserFactory


def register(**overrides):
    data = {
        "civility": "m",
        "last_name": "N'DIAYE",
        "first_name": "Jean-Éric",
        "birth_date": date(1979, 6, 30),
        "email": "jean-eric@example.org",
        "phone": "06 11 22 33 44",
        "address": "3 rue des Lilas",
        "postal_code": "99999",
        "city": "Villeneuve-sur-Example",
        "security_question": "first_pet",
        "security_answer": "Rex",
        "password": "Tres-Bon-Mot2passe!",
    }
    data.update(overrides)
    return account_services.account_register(**data)


@pytest.mark.django_db
def test_registration_creates_the_household_with_the_holder_as_first_adult():
    account = register()

    household = Household.objects.get(account=account)
    holder = household.members.get()
    assert holder.relationship == Relationship.HOLDER
    assert holder.sex == Sex.MALE
    assert (holder.last_name, holder.first_names) == ("N'DIAYE", "Jean-Éric")
    assert holder.birth_date == date(1979, 6, 30)
    assert (holder.email, holder.phone) == ("jean-eric@example.org", "06 11 22 33 44")
    assert holder.is_adult
    event = household.events.get()
    assert event.action == HouseholdEvent.Action.MEMBER_ADDED
    assert event.actor == account
    assert event.changes["last_name"] == {"old": "", "new": "N'DIAYE"}


@pytest.mark.django_db
def test_a_failing_household_undoes_the_whole_registration(monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("panne")

    monkeypatch.setattr(services, "household_get_or_create", broken)
    with pytest.raises(RuntimeError):
        register()
    assert not Household.objects.exists()
    assert not Member.objects.exists()
    assert not User.objects.filter(email="jean-eric@example.org").exists()


@pytest.mark.django_db
def test_an_account_made_before_households_gets_one_on_its_first_visit_of_the_tab(client):
    account = UserFactory(first_name="Zoé", last_name="O’BRIEN")
    assert not Household.objects.filter(account=account).exists()
    client.force_login(account)

    response = client.get(reverse("households:account"))

    assert response.status_code == 200
    holder = Member.objects.get(household__account=account)
    assert holder.relationship == Relationship.HOLDER
    assert holder.full_name == "Zoé O’BRIEN"
    client.get(reverse("households:account"))
    assert Member.objects.filter(household__account=account).count() == 1
    assert HouseholdEvent.objects.filter(household__account=account).count() == 1


@pytest.mark.django_db
def test_an_account_without_birth_date_gets_a_household_and_its_holder_once_it_has_one():
    account = UserFactory(birth_date=None)
    household = services.household_get_or_create(account=account)
    assert not household.members.exists()

    account.birth_date = date(1990, 1, 2)
    account.save(update_fields=["birth_date"])
    services.holder_sync(household=household, by=account)

    assert household.members.get().relationship == Relationship.HOLDER


@pytest.mark.django_db
def test_the_database_refuses_a_second_holder(household):
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.create(
            household=household,
            relationship=Relationship.HOLDER,
            sex=Sex.FEMALE,
            last_name="MARTIN",
            first_names="Camille",
            birth_date=date(1985, 4, 12),
        )
