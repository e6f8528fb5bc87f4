"""The FAQ's « Comment modifier mon compte ? » in a real browser, each page checked with axe:
the demo citizen adds a child, then corrects the child's first name."""

from datetime import date

import pytest
from playwright.sync_api import expect

from demo import families
from households.models import Member
from tests.e2e.axe import assert_accessible
from tests.factories import PASSWORD, PendingUserFactory, UserFactory
from tests.households.factories import born_years_ago

pytestmark = pytest.mark.e2e

LOCKED = "Votre compte n'est pas encore validé par la mairie"


@pytest.fixture
def demo_citizen(transactional_db):
    citizen = UserFactory(
        identifier="demo", first_name="Camille", last_name="MARTIN", birth_date=date(1985, 4, 12)
    )
    families.seed_family(account=citizen)
    return citizen


def log_in_from_home(page, live_server, identifier: str):
    page.goto(live_server.url + "/")
    assert_accessible(page)
    page.get_by_label("Utilisateur").fill(identifier)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", name="Bonjour Camille", level=1)).to_be_visible()


def children(page):
    return page.get_by_role("region", name="Enfants")


def adults(page):
    return page.get_by_role("region", name="Adultes")


def test_the_demo_citizen_adds_a_child_then_corrects_the_first_name(
    page, live_server, demo_citizen
):
    log_in_from_home(page, live_server, demo_citizen.identifier)
    assert_accessible(page)

    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Compte", exact=True
    ).click()
    expect(page.get_by_role("heading", name="Mon compte", level=1)).to_be_visible()
    expect(adults(page)).to_contain_text("Thomas Pierre MARTIN")
    expect(children(page)).to_contain_text("Léa Juliette MARTIN")
    expect(children(page)).to_contain_text("Hugo MARTIN")
    assert_accessible(page)

    # « Ajouter un enfant »: the family name is the account's.
    page.get_by_role("link", name="Ajouter un enfant").click()
    expect(page.get_by_role("heading", name="Ajouter un enfant", level=1)).to_be_visible()
    expect(page.get_by_label("Nom", exact=True)).to_have_value("MARTIN")
    assert_accessible(page)

    # A forgotten first name is caught, with the error summary on top.
    page.get_by_label("Fille", exact=True).check()
    page.get_by_label("Date de naissance").fill(born_years_ago(4).isoformat())
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_role("alert")).to_contain_text("Le formulaire contient une erreur")
    expect(page.get_by_label("Nom", exact=True)).to_have_value("MARTIN")
    assert_accessible(page)

    page.get_by_label("Prénoms").fill("Zoé")
    page.get_by_label("Lieu de naissance").fill("Villeneuve-sur-Example")
    page.get_by_label("Classe").fill("Petite section")
    page.get_by_role("button", name="Continuer").click()

    expect(
        page.get_by_role("heading", name="Vérifiez les informations de l'enfant", level=1)
    ).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Zoé")
    assert_accessible(page)
    page.get_by_role("button", name="Valider").click()

    expect(page.get_by_role("heading", name="Mon compte", level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Zoé MARTIN fait maintenant partie")
    expect(children(page)).to_contain_text("Zoé MARTIN")
    assert_accessible(page)

    # Her sheet, then « Modifier » and the review of the change.
    children(page).get_by_role("link", name="Voir la fiche de Zoé MARTIN").click()
    expect(page.get_by_role("heading", name="Zoé MARTIN", level=1)).to_be_visible()
    expect(page.get_by_text("Petite section")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Modifier", exact=True).click()
    expect(page.get_by_label("Prénoms")).to_have_value("Zoé")
    expect(page.get_by_label("Classe")).to_have_value("Petite section")
    assert_accessible(page)
    page.get_by_label("Prénoms").fill("Zoé Rose")
    page.get_by_role("button", name="Continuer").click()

    expect(page.get_by_role("heading", name="Vérifiez les modifications", level=1)).to_be_visible()
    row = page.get_by_role("row", name="Prénoms")
    expect(row).to_contain_text("Zoé")
    expect(row).to_contain_text("Zoé Rose")
    assert_accessible(page)
    page.get_by_role("button", name="Valider").click()

    expect(page.get_by_role("heading", name="Zoé Rose MARTIN", level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Les modifications sont enregistrées.")
    assert_accessible(page)

    page.get_by_role("link", name="Retour à mon compte").click()
    expect(children(page)).to_contain_text("Zoé Rose MARTIN")
    expect(adults(page)).not_to_contain_text("Zoé")
    assert_accessible(page)

    zoe = Member.objects.get(household__account=demo_citizen, first_names="Zoé Rose")
    assert not zoe.is_adult
    assert zoe.school_class == "Petite section"


def test_the_demo_citizen_removes_a_child_after_confirming(page, live_server, demo_citizen):
    log_in_from_home(page, live_server, demo_citizen.identifier)
    page.goto(live_server.url + "/compte/")
    children(page).get_by_role("link", name="Voir la fiche de Hugo MARTIN").click()
    page.get_by_role("link", name="Retirer du foyer").click()

    expect(
        page.get_by_role("heading", name="Retirer Hugo MARTIN du foyer", level=1)
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Retirer du foyer").click()

    expect(page.get_by_role("status")).to_contain_text("Hugo MARTIN ne fait plus partie")
    expect(children(page)).not_to_contain_text("Hugo")
    assert_accessible(page)


def test_a_pending_citizen_reads_the_household_but_is_told_why_nothing_can_change(
    page, live_server, transactional_db
):
    pending = PendingUserFactory(first_name="Camille", last_name="DURAND")
    log_in_from_home(page, live_server, pending.identifier)
    page.goto(live_server.url + "/compte/")

    expect(adults(page)).to_contain_text("Camille DURAND")
    expect(page.get_by_text(LOCKED).first).to_be_visible()
    expect(page.get_by_role("link", name="Ajouter un enfant")).to_have_count(0)
    assert_accessible(page)

    response = page.goto(live_server.url + "/compte/membres/ajouter-un-enfant/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Modification impossible pour le moment"
    )
    expect(page.get_by_text(LOCKED)).to_be_visible()
    assert_accessible(page)
