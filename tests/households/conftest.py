"""Households of the personas (tests/conftest.py): each account gets its own through the service.

- ``household``: the validated citizen's, with Camille MARTIN as holder.
- ``child``: a child of that household.
- ``pending_household``: the pending citizen's; nothing in it may change.
- ``other_member``: a child of another household, which the citizen must never reach.
"""

import pytest

from households import services
from tests.households.factories import ChildFactory


@pytest.fixture
def household(citizen):
    return services.household_get_or_create(account=citizen)


@pytest.fixture
def holder(household):
    return household.members.get(relationship="titulaire")


@pytest.fixture
def child(household):
    return ChildFactory(household=household, first_names="Zoé")


@pytest.fixture
def pending_household(pending_citizen):
    return services.household_get_or_create(account=pending_citizen)


@pytest.fixture
def pending_client(client, pending_citizen):
    client.force_login(pending_citizen)
    return client


@pytest.fixture
def other_member(other_citizen):
    household = services.household_get_or_create(account=other_citizen)
    return ChildFactory(household=household, first_names="Secret", last_name="INTRUSE")
