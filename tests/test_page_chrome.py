"""The header, tabs and footer (templates/base.html): what belongs to one page, one
visitor or one session must never show on another's, whatever was rendered before."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from notifications.models import MessageKind
from notifications.services import message_queue
from tests.factories import UserFactory

TABS = {
    "home": "Accueil",
    "procedures:request_list": "Demandes",
    "payments:index": "Paiements",
    "households:account": "Compte",
    "procedures:catalogue": "Services en ligne",
}


def html(client, url_name: str) -> str:
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    return response.content.decode()


def tabs(page: str) -> str | None:
    found = re.search(r'<nav class="tabs".*?</nav>', page, re.S)
    return found.group(0) if found else None


def current_tab(page: str) -> list[str]:
    nav = tabs(page)
    assert nav, "no tabs on this page"
    return re.findall(r'<a href="[^"]*" aria-current="page">([^<]*)</a>', nav)


def header_user(page: str) -> str:
    found = re.search(r'<span class="site-header__user">([^<]*)</span>', page)
    assert found, "no user name in the header"
    return found.group(1)


def town_in_chrome(page: str) -> tuple[str, str]:
    brand = re.search(r'<span class="brand__town">([^<]*)</span>', page).group(1)
    footer = re.search(r'<p class="site-footer__town">([^<]*)</p>', page).group(1)
    return brand, footer


@pytest.mark.django_db
@pytest.mark.parametrize("order", [list(TABS), list(reversed(TABS))])
def test_the_current_tab_follows_the_page_whatever_was_rendered_before(citizen_client, order):
    for url_name in order:
        assert current_tab(html(citizen_client, url_name)) == [TABS[url_name]], url_name
    for url_name in order:  # the same pages again, in the same process
        assert current_tab(html(citizen_client, url_name)) == [TABS[url_name]], url_name


@pytest.mark.django_db
def test_a_page_without_a_tab_of_its_own_marks_none(citizen_client):
    html(citizen_client, "home")
    assert current_tab(html(citizen_client, "notifications:list")) == []


@pytest.mark.django_db
def test_a_new_town_shows_in_the_header_and_footer_of_the_next_page(
    citizen_client, client, settings
):
    before = html(citizen_client, "home")
    assert town_in_chrome(before)[0] == settings.TOWN["name"]
    settings.TOWN = {
        **settings.TOWN,
        "name": "Mairie de Nouvelle-Ville",
        "address": "2 rue Neuve, 99998 Nouvelle-Ville",
        "phone": "01 98 76 54 32",
    }
    for page in (html(citizen_client, "procedures:catalogue"), html(client, "home")):
        brand, footer = town_in_chrome(page)
        assert brand == "Mairie de Nouvelle-Ville"
        assert (
            footer
            == "Mairie de Nouvelle-Ville — 2 rue Neuve, 99998 Nouvelle-Ville — Tél. 01 98 76 54 32"
        )
        assert "Villeneuve-sur-Example" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("anonymous_first", [True, False])
@pytest.mark.parametrize(
    ("url_name", "tab"),
    [("home", ["Accueil"]), ("procedures:catalogue", ["Services en ligne"]), ("help", [])],
)
def test_tabs_show_to_a_logged_in_citizen_only_in_either_order(
    client, citizen, anonymous_first, url_name, tab
):
    logged_in = Client()
    logged_in.force_login(citizen)
    order = [client, logged_in] if anonymous_first else [logged_in, client]
    pages = {id(c): html(c, url_name) for c in order}
    anonymous = pages[id(client)]
    assert tabs(anonymous) is None
    assert "site-header__user" not in anonymous and "Se déconnecter" not in anonymous
    assert current_tab(pages[id(logged_in)]) == tab
    assert header_user(pages[id(logged_in)]) == "Camille MARTIN"


@pytest.mark.django_db
def test_the_name_and_messages_in_the_header_are_each_citizens_own(citizen, other_citizen):
    message_queue(
        kind=MessageKind.INFORMATION,
        template="password_changed",
        context={"account": citizen},
        to_email=citizen.email,
        account=citizen,
    )
    first, second = Client(), Client()
    first.force_login(citizen)
    second.force_login(other_citizen)
    for url_name in ("home", "procedures:catalogue"):
        mine = html(first, url_name)
        theirs = html(second, url_name)
        assert header_user(mine) == "Camille MARTIN"
        assert header_user(theirs) == "Eve INTRUSE"
        assert "Camille" not in theirs
        assert '<span class="badge">1 non lu</span>' in mine
        assert '<span class="badge">' not in theirs
        assert f'<a href="{reverse("notifications:list")}">Mes messages</a>' in theirs


@pytest.mark.django_db
def test_a_citizen_without_a_full_name_sees_the_identifier(client):
    nameless = UserFactory(first_name="", last_name="", identifier="cit-sans-nom")
    client.force_login(nameless)
    assert header_user(html(client, "home")) == "cit-sans-nom"


LOGOUT_FORM = re.compile(
    rf'<form method="post" action="{reverse("accounts:logout")}"[^>]*>'
    r'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)">'
)


def logout_token(client) -> str:
    found = LOGOUT_FORM.search(html(client, "home"))
    assert found, "no logout form"
    return found.group(1)


@pytest.mark.django_db
def test_the_logout_form_carries_each_sessions_own_csrf_token(citizen, other_citizen):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(citizen)
    second.force_login(other_citizen)
    first_token, second_token = logout_token(first), logout_token(second)
    assert first_token != second_token
    # A token cached from the first session would be refused for the second.
    response = second.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": second_token})
    assert response.status_code == 302
    assert "_auth_user_id" not in second.session
    response = first.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": first_token})
    assert response.status_code == 302
