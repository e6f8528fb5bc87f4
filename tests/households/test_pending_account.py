"""FAQ: « vous ne pourrez faire aucune modification de votre compte tant que celui-ci ne sera
pas validé » — the buttons give way to an explanation, and forged POSTs change nothing."""

import html

import pytest
from django.urls import reverse

from accounts.models import AccountEvent
from accounts.services import AccountNotValidated
from households import services
from households.models import Category, HouseholdEvent, Member
from tests.households.factories import ChildFactory, born_years_ago

EXPLANATION = "Votre compte n'est pas encore validé par la mairie"


@pytest.fixture
def pending_child(pending_household):
    return ChildFactory(household=pending_household, first_names="Lou", last_name="DURAND")


def snapshot():
    return (
        list(Member.objects.order_by("pk").values()),
        HouseholdEvent.objects.count(),
        AccountEvent.objects.filter(kind=AccountEvent.Kind.UPDATED).count(),
    )


@pytest.mark.django_db
def test_the_tab_replaces_the_buttons_with_an_explanation(pending_client, pending_household):
    response = pending_client.get(reverse("households:account"))

    page = html.unescape(response.content.decode())
    assert EXPLANATION in page
    assert reverse("households:account_edit") not in page
    assert "Ajouter un adulte" not in page and "Ajouter un enfant" not in page
    assert "Dominique DURAND" in page, "the household is still shown"


@pytest.mark.django_db
def test_the_sheet_can_be_read_but_offers_no_button(pending_client, pending_child):
    response = pending_client.get(pending_child.get_absolute_url())

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Lou DURAND" in page
    assert EXPLANATION in page
    assert "Retirer du foyer" not in page
    assert reverse("households:member_edit", args=[pending_child.pk]) not in page


def forged_requests(child):
    adult = {
        "sex": "M",
        "last_name": "DURAND",
        "first_names": "Sam",
        "birth_date": "1990-01-01",
        "relationship": "conjoint",
        "step": "confirm",
    }
    kid = {
        "sex": "F",
        "last_name": "DURAND",
        "first_names": "Lou-Anne",
        "birth_date": born_years_ago(5).isoformat(),
        "relationship": "enfant",
        "step": "confirm",
    }
    account = {
        "civility": "m",
        "last_name": "PIRATE",
        "first_name": "Sam",
        "birth_date": "1990-01-01",
        "email": "pirate@example.org",
        "phone": "06 00 00 00 00",
        "address": "1 rue X",
        "postal_code": "99999",
        "city": "Ailleurs",
        "step": "confirm",
    }
    return [
        (reverse("households:account_edit"), account),
        (reverse("households:member_add_adult"), adult),
        (reverse("households:member_add_child"), kid),
        (reverse("households:member_edit", args=[child.pk]), {**kid, "first_names": "Pirate"}),
        (reverse("households:member_remove", args=[child.pk]), {}),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("index", range(5))
def test_a_forged_post_is_refused_with_403_and_the_explanation_changing_nothing(
    pending_client, pending_citizen, pending_child, index
):
    url, data = forged_requests(pending_child)[index]
    before = snapshot()

    response = pending_client.post(url, data)

    assert response.status_code == 403
    assert EXPLANATION in html.unescape(response.content.decode())
    assert response.templates[0].name == "households/locked.html"
    assert snapshot() == before
    pending_citizen.refresh_from_db()
    assert pending_citizen.last_name == "DURAND"


@pytest.mark.django_db
@pytest.mark.parametrize("index", range(5))
def test_the_forms_themselves_are_refused_with_403(pending_client, pending_child, index):
    url, _data = forged_requests(pending_child)[index]
    response = pending_client.get(url)
    assert response.status_code == 403
    assert EXPLANATION in html.unescape(response.content.decode())


@pytest.mark.django_db
def test_the_services_refuse_a_pending_account_whoever_calls_them(
    pending_citizen, pending_household, pending_child
):
    with pytest.raises(AccountNotValidated):
        services.member_add(
            household=pending_household,
            by=pending_citizen,
            category=Category.CHILD,
            relationship="enfant",
            sex="F",
            last_name="DURAND",
            first_names="Lou-Anne",
            birth_date=born_years_ago(5),
        )
    with pytest.raises(AccountNotValidated):
        services.member_update(member=pending_child, by=pending_citizen, first_names="Pirate")
    with pytest.raises(AccountNotValidated):
        services.member_remove(member=pending_child, by=pending_citizen)
    with pytest.raises(AccountNotValidated):
        services.holder_update(account=pending_citizen, by=pending_citizen, first_name="Pirate")
    assert pending_household.members.count() == 2
    pending_child.refresh_from_db()
    assert pending_child.first_names == "Lou"
