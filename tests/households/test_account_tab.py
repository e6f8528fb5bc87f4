import html
import re

import pytest
from django.urls import reverse

from tests.households.factories import AdultFactory, ChildFactory

URL = reverse("households:account")


def section(page: str, heading_id: str) -> str:
    """The HTML of the <section> labelled by ``heading_id``."""
    start = page.index(f'aria-labelledby="{heading_id}"')
    return page[start : page.index("</section>", start)]


@pytest.mark.django_db
def test_the_tab_shows_the_account_data_with_a_modify_button(citizen_client, citizen, household):
    response = citizen_client.get(URL)

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert page.count("<h1") == 1
    assert "<h1>Mon compte</h1>" in page
    account = section(page, "account-data")
    assert citizen.identifier in account
    assert "12 rue des Écoles 99999 Villeneuve-sur-Example" in account
    assert f'href="{reverse("households:account_edit")}">Modifier<' in account
    assert 'aria-current="page">Compte<' in page


@pytest.mark.django_db
def test_adults_are_on_the_left_children_on_the_right_each_with_its_sheet(
    citizen_client, household
):
    spouse = AdultFactory(household=household, first_names="Thomas")
    zoe = ChildFactory(household=household, first_names="Zoé")

    page = html.unescape(citizen_client.get(URL).content.decode())

    adults, menu, children = (
        section(page, "adults-title"),
        section(page, "add-title"),
        section(page, "children-title"),
    )
    assert page.index(adults) < page.index(menu) < page.index(children)
    assert "Camille MARTIN" in adults and "Thomas MARTIN" in adults
    assert adults.index("Camille MARTIN") < adults.index("Thomas MARTIN"), "the holder first"
    assert "Zoé MARTIN" in children and "Zoé" not in adults
    for member in (spouse, zoe):
        assert f'href="{member.get_absolute_url()}">Voir la fiche' in page
    assert 'Voir la fiche<span class="visually-hidden"> de Zoé MARTIN</span>' in children


@pytest.mark.django_db
def test_the_menu_in_the_centre_offers_to_add_an_adult_or_a_child(citizen_client, household):
    menu = section(html.unescape(citizen_client.get(URL).content.decode()), "add-title")
    assert re.search(rf'href="{reverse("households:member_add_adult")}">Ajouter un adulte<', menu)
    assert re.search(rf'href="{reverse("households:member_add_child")}">Ajouter un enfant<', menu)


@pytest.mark.django_db
def test_a_household_without_children_says_so(citizen_client, household):
    children = section(html.unescape(citizen_client.get(URL).content.decode()), "children-title")
    assert "Aucun enfant déclaré." in children


@pytest.mark.django_db
def test_the_tab_needs_a_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# Session, user, unread messages (the header, on every page; cached afterwards), and the
# members read through the account (whether FranceConnect certifies the identity is a
# field of the account): whatever the size of the household.
TAB_QUERIES = 4


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 8])
def test_the_tab_costs_the_same_queries_for_a_household_of_1_or_8(
    citizen_client, household, django_assert_num_queries, size
):
    AdultFactory.create_batch(min(size - 1, 3), household=household)
    ChildFactory.create_batch(max(size - 4, 0), household=household)
    assert household.members.count() == size

    with django_assert_num_queries(TAB_QUERIES):
        response = citizen_client.get(URL)

    assert response.status_code == 200
    assert response.content.decode().count("Voir la fiche") == size
