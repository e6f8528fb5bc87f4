"""After `seed_demo`, a newcomer sees a living portal: the demo citizen's requests with their
progress bars and messages, and each clerk's queue in admin, in a real browser with axe."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from demo.people import DEMO_PASSWORDS
from procedures.models import Request, RequestState
from tests.e2e.axe import assert_accessible

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", verbosity=0)


def admin_login(page, live_server, identifier: str):
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Identifiant").fill(identifier)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORDS[identifier])
    page.get_by_role("button", name=re.compile("Connexion")).click()
    page.locator("#content-main").get_by_role("link", name="Demandes", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("demande")


def test_the_demo_citizen_sees_requests_in_every_state_and_unread_messages(page, live_server, demo):
    page.goto(live_server.url + "/")
    page.get_by_label("Utilisateur").fill("demo")
    page.get_by_label("Mot de passe", exact=True).fill(DEMO_PASSWORDS["demo"])
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", name="Bonjour Camille", level=1)).to_be_visible()
    expect(page.get_by_text("Vous n'avez pas encore envoyé de demande.")).to_have_count(0)
    mine = page.get_by_role("region", name="Mes demandes")
    expect(mine.get_by_text(re.compile(r"Étape \d sur 4"))).not_to_have_count(0)
    expect(page.get_by_role("region", name="Mes brouillons")).to_be_visible()
    menu = page.get_by_role("navigation", name="Menu principal")
    expect(
        page.get_by_role("link", name=re.compile(r"^Mes messages \d+ non lus?$"))
    ).to_be_visible()
    assert_accessible(page)

    # The request waiting for a document shows the clerk's question.
    menu.get_by_role("link", name="Demandes", exact=True).click()
    row = page.get_by_role("row").filter(has_text="Inscription à l'accueil périscolaire")
    expect(row).to_contain_text("En attente")
    assert_accessible(page)


def test_the_clerk_opens_the_queue_oldest_first_with_counts_filters_and_search(
    page, live_server, demo
):
    # The school registrations go to their school's group (demo/decisions.py): the clerk of
    # « Les Coquelicots » opens that school's queue.
    admin_login(page, live_server, "coquelicots")
    todo = Request.objects.filter(
        service_group__name="Service Scolaire — École maternelle Les Coquelicots",
        state__in=[RequestState.SUBMITTED, RequestState.IN_PROGRESS],
    ).order_by("submitted_at")
    filters = page.locator("#changelist-filter")
    expect(filters.get_by_role("link", name=f"À traiter : reçues et en cours ({todo.count()})"))
    expect(filters.locator(".selected").first).to_contain_text("À traiter")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(todo.count())
    expect(rows.first).to_contain_text(todo.first().number)
    expect(rows.last).to_contain_text(todo.last().number)
    assert_accessible(page)

    # Waiting for the citizen: since when.
    filters.get_by_role("link", name=re.compile(r"^En attente de pièces")).click()
    expect(rows.first).to_contain_text(re.compile(r"depuis le \d\d/\d\d/\d{4} \(\d+ j\)"))

    # The age of the child concerned: Noah, 3, is the only one in nursery school.
    filters.get_by_role("link", name=re.compile(r"^Toutes \(\d+\)$")).click()
    filters.get_by_role("link", name="3 à 5 ans (maternelle)").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Noah PETIT")

    # Search by number.
    wanted = todo.last().number
    page.goto(live_server.url + "/admin/procedures/request/?state=all")
    page.locator("#searchbar").fill(wanted)
    page.locator("#searchbar").press("Enter")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(wanted)


def test_a_request_near_its_silence_date_is_marked(page, live_server, demo):
    admin_login(page, live_server, "admin")
    bookings = Request.objects.filter(procedure__slug="reservation-de-salle").submitted()
    rows = page.locator("#result_list tbody tr")
    near = bookings.exclude(account__identifier="demo-leroy").get()
    expect(rows.filter(has_text=near.number)).to_contain_text(
        re.compile(r"Dans \d j : \d\d/\d\d/\d{4} \(le silence vaut refus\)")
    )
    # The one run_deadlines refuses (demo/decisions.py): its date passed yesterday.
    passed = bookings.get(account__identifier="demo-leroy")
    expect(rows.filter(has_text=passed.number)).to_contain_text("Délai dépassé")
    assert_accessible(page)
