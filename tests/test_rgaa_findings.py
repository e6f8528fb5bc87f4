"""The outside audit's findings that axe cannot see, each kept true: identical link texts,
the security question tied to its answer, titles of pages with errors, a second way to find
pages, and the non-text contrast of input borders."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import SecurityQuestion
from procedures import services
from tests.procedures.factories import bulky_waste, complete_answers


def contrast(first: str, second: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_input_borders_have_3_to_1_against_the_page_and_the_cards():
    css = (Path(settings.BASE_DIR) / "static/css/portal.css").read_text()
    colour = dict(re.findall(r"--(line|wash|paper):\s*(#[0-9a-f]{6})", css))
    assert contrast(colour["line"], colour["wash"]) >= 3
    assert contrast(colour["line"], colour["paper"]) >= 3


@pytest.mark.django_db
def test_each_request_link_names_its_request_and_the_number_heads_the_row(citizen_client, citizen):
    for _ in range(3):
        draft = services.request_draft_save(
            account=citizen,
            procedure=(procedure := bulky_waste()),
            member=None,
            answers=complete_answers(procedure, {"objets": "Canapé"}),
        )
        services.request_submit(citizen_request=draft, by=citizen)
    page = citizen_client.get(reverse("procedures:request_list")).content.decode()
    rows = re.findall(r"<tr>\s*<th scope=\"row\"><a [^>]*>([\d-]+)<", page)
    assert len(rows) == 3
    links = re.findall(r'<a href="/demandes/\d+/">(.*?)</a>', page)
    names = {re.sub(r"<[^>]+>", "", link) for link in links}
    assert names == {f"Collecte des encombrants, demande n° {number}" for number in rows}


@pytest.mark.django_db
def test_the_security_question_is_the_legend_of_its_answer(client, citizen):
    url = reverse("accounts:password_forgotten")
    page = client.post(url, {"identifier": citizen.identifier}).content.decode()
    question = str(dict(SecurityQuestion.choices)[citizen.security_question])
    fieldset = re.search(r"<fieldset[^>]*>.*?</fieldset>", page, re.S).group(0)
    assert re.search(
        rf"<legend[^>]*>{re.escape(question)}</legend>", fieldset.replace("&#x27;", "'")
    )
    assert 'name="answer"' in fieldset


@pytest.mark.django_db
def test_anonymous_forms_with_errors_say_so_in_the_title(client, citizen):
    login = client.post(reverse("accounts:login"), {"username": "personne", "password": "x"})
    assert "<title>Erreur : Connexion" in login.content.decode()
    url = reverse("accounts:password_forgotten")
    lost = client.post(url, {"identifier": "x" * 40}).content.decode()
    assert "<title>Erreur : Mot de passe oublié" in lost
    answer = client.post(url, {"identifier": citizen.identifier, "answer": ""})
    assert "<title>Erreur : Question de sécurité" in answer.content.decode()


@pytest.mark.django_db
def test_the_password_change_with_errors_says_so_in_the_title(citizen_client):
    page = citizen_client.post(reverse("accounts:password_change"), {"old_password": ""})
    page = page.content.decode()
    assert re.search(r"<title>Erreur : Changer de mot de passe", page)


@pytest.mark.django_db
def test_the_footer_links_the_site_map_which_links_every_tab(client):
    page = client.get(reverse("home")).content.decode()
    footer = re.search(r'<footer class="site-footer">.*?</footer>', page, re.S).group(0)
    assert '<a href="/plan-du-site/">Plan du site</a>' in footer
    site_map = client.get(reverse("site_map")).content.decode()
    assert "<h1>Plan du site</h1>" in site_map
    for url_name in (
        "households:account",
        "procedures:catalogue",
        "procedures:request_list",
        "payments:index",
        "notifications:list",
        "help",
        "legal",
        "privacy",
        "accessibility",
        "accounts:register",
    ):
        assert f'href="{reverse(url_name)}"' in site_map, url_name


@pytest.mark.django_db
def test_mes_messages_is_marked_current_when_open(citizen_client):
    page = citizen_client.get(reverse("notifications:list")).content.decode()
    assert re.search(r'<a href="/messages/" aria-current="page">Mes messages', page)
    home = citizen_client.get(reverse("home")).content.decode()
    assert not re.search(r'<a href="/messages/" aria-current="page">', home)
