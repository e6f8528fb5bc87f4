import html

import pytest
from django.urls import reverse

from households import services
from households.models import Household
from tests.factories import PendingUserFactory, UserFactory
from tests.households.factories import AdultFactory, ChildFactory

CHANGELIST = reverse("admin:households_household_changelist")


def household_with(children: int, **account_fields) -> Household:
    household = services.household_get_or_create(account=UserFactory(**account_fields))
    ChildFactory.create_batch(children, household=household)
    return household


def listed(response) -> set[Household]:
    return set(response.context["cl"].result_list)


@pytest.fixture
def clerk_client(client, clerk):
    """The front desk (« Accueil »), who reads every household."""
    client.force_login(clerk)
    return client


@pytest.mark.django_db
def test_the_list_shows_each_household_with_its_adults_and_children(clerk_client, household):
    AdultFactory(household=household)
    ChildFactory.create_batch(2, household=household)

    response = clerk_client.get(CHANGELIST)

    assert response.status_code == 200
    row = next(h for h in response.context["cl"].result_list if h == household)
    assert (row.adults_count, row.children_count) == (2, 2)
    page = html.unescape(response.content.decode())
    for text in (
        "Identifiant",
        "Titulaire du compte",
        "Statut du compte",
        "nombre d'enfants",
        "3 et plus",
        household.account.identifier,
    ):
        assert text in page


@pytest.mark.django_db
def test_the_list_filters_by_number_of_children(clerk_client):
    households = {n: household_with(n) for n in (0, 1, 2, 3, 4)}

    def filtered(value):
        return listed(clerk_client.get(CHANGELIST, {"enfants": value}))

    assert filtered("0") == {households[0]}
    assert filtered("1") == {households[1]}
    assert filtered("2") == {households[2]}
    assert filtered("3") == {households[3], households[4]}


@pytest.mark.django_db
def test_an_adult_child_does_not_count_as_a_child(clerk_client):
    household = household_with(0)
    AdultFactory(household=household, relationship="enfant")
    assert listed(clerk_client.get(CHANGELIST, {"enfants": "0"})) == {household}


@pytest.mark.django_db
def test_the_list_filters_by_account_validation(clerk_client, household):
    pending = services.household_get_or_create(account=PendingUserFactory())

    assert listed(clerk_client.get(CHANGELIST, {"statut": "pending"})) == {pending}
    assert listed(clerk_client.get(CHANGELIST, {"statut": "validated"})) == {household}


@pytest.mark.django_db
def test_search_finds_a_household_by_member_name_or_identifier_without_doubling_counts(
    clerk_client,
):
    target = household_with(2, last_name="NGUYEN")
    ChildFactory(household=target, first_names="Aïcha")
    household_with(1)

    by_member = clerk_client.get(CHANGELIST, {"q": "Aïcha"})
    by_identifier = clerk_client.get(CHANGELIST, {"q": target.account.identifier})
    by_account_name = clerk_client.get(CHANGELIST, {"q": "nguyen"})

    for response in (by_member, by_identifier, by_account_name):
        assert listed(response) == {target}
    row = by_member.context["cl"].result_list[0]
    assert row.children_count == 3


@pytest.mark.django_db
def test_the_list_costs_the_same_queries_for_3_or_10_households(
    clerk_client, django_assert_max_num_queries
):
    for _ in range(3):
        household_with(2)
    with django_assert_max_num_queries(12) as few:
        clerk_client.get(CHANGELIST)
    for _ in range(7):
        household_with(2)
    with django_assert_max_num_queries(len(few)):
        clerk_client.get(CHANGELIST)


@pytest.mark.django_db
def test_the_household_page_shows_members_and_history_read_only(clerk_client, household, citizen):
    zoe = ChildFactory(household=household, first_names="Zoé")
    services.member_update(member=zoe, by=citizen, school_class="CM2")

    response = clerk_client.get(reverse("admin:households_household_change", args=[household.pk]))

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    for text in (
        "Membres du foyer",
        "Historique du foyer",
        "Zoé",
        "Membre modifié",
        "school_class",
        "CM2",
        "12 rue des Écoles, 99999 Villeneuve-sur-Example",
    ):
        assert text in page
    inlines = response.context["inline_admin_formsets"]
    assert all(not inline.has_add_permission for inline in inlines)
    assert all(not inline.has_delete_permission for inline in inlines)


@pytest.mark.django_db
def test_a_household_is_never_added_or_deleted_by_hand(admin_client, household):
    assert admin_client.get(reverse("admin:households_household_add")).status_code == 403
    delete = reverse("admin:households_household_delete", args=[household.pk])
    assert admin_client.get(delete).status_code == 403
