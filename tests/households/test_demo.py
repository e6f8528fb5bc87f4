from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from households.models import Household, HouseholdEvent, Relationship


def seed():
    call_command("seed_demo", stdout=StringIO())


@pytest.mark.django_db
def test_the_demo_citizen_has_two_adults_and_two_children_of_school_age():
    seed()

    household = Household.objects.get(account__identifier="demo")
    adults = list(household.members.adults().holder_first())
    children = list(household.members.children())
    assert [a.full_name for a in adults] == ["Camille MARTIN", "Thomas Pierre MARTIN"]
    assert adults[0].relationship == Relationship.HOLDER
    assert adults[1].relationship == Relationship.SPOUSE
    assert len(children) == 2
    for child in children:
        assert 6 <= child.age <= 11
        assert child.school and child.school_class


@pytest.mark.django_db
def test_the_pending_citizen_has_only_the_holder():
    seed()
    household = Household.objects.get(account__identifier="attente")
    assert [m.relationship for m in household.members.all()] == [Relationship.HOLDER]


@pytest.mark.django_db
def test_seeding_twice_changes_nothing():
    seed()
    members = sorted(Household.objects.values_list("members__first_names", flat=True))
    events = HouseholdEvent.objects.count()

    seed()

    assert sorted(Household.objects.values_list("members__first_names", flat=True)) == members
    assert HouseholdEvent.objects.count() == events


@pytest.mark.django_db
def test_the_demo_clerks_may_read_households():
    seed()

    agent = User.objects.get(identifier="agent")
    assert agent.has_perm("households.view_household")
    assert agent.has_perm("households.view_householdevent")
