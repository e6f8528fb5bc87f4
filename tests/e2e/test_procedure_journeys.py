"""The demo's procedures in a real browser, each of our pages checked with axe: the demo
citizen enrols a child at school, the Environnement clerk accepts a request in admin, a
draft is resumed."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from demo import catalogue as procedures_demo
from demo import families as households_demo
from demo import people as accounts_demo
from procedures import services
from procedures.models import Procedure, Request, RequestState
from tests.e2e.axe import assert_accessible

pytestmark = pytest.mark.e2e

NUMBER_RE = re.compile(r"\d{4}-\d{6}")
PASSWORDS = accounts_demo.DEMO_PASSWORDS
SCHOOL = "Inscription scolaire"
CANTEEN = "Inscription à la restauration scolaire"
BULKY_WASTE = "Collecte des encombrants"
PAPER = "À apporter sur papier : le service vous contactera pour vous inviter au Guichet Unique."
GUICHET_UNIQUE = (
    "Des pièces justificatives n'ont pas été jointes : le service qui instruit votre demande "
    "vous contactera et vous demandera de vous présenter au Guichet Unique avec vos "
    "documents papier."
)


@pytest.fixture
def demo_data(transactional_db):
    """The data of `manage.py seed_demo`, so that the journeys are the demo's."""
    accounts_demo.seed()
    households_demo.seed()
    procedures_demo.seed()
    return User.objects.get(identifier="demo")


def log_in_from_home(page, live_server, identifier: str = "demo"):
    page.goto(live_server.url + "/")
    assert_accessible(page)
    page.get_by_label("Utilisateur").fill(identifier)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORDS[identifier])
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", name="Bonjour Camille", level=1)).to_be_visible()
    assert_accessible(page)


def tab(page, name: str):
    return page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name=name, exact=True
    )


def open_procedure(page, theme: str, title: str):
    """« Services en ligne » → the theme → the procedure, each page checked."""
    tab(page, "Services en ligne").click()
    expect(page.get_by_role("heading", name="Services en ligne", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=theme, exact=True).click()
    expect(page.get_by_role("heading", name=theme, level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    assert_accessible(page)


def child(page, first_names: str):
    """The radio of a child in « Personne concernée » (its label ends with the birth date)."""
    group = page.get_by_role("group", name="Personne concernée")
    return group.get_by_role("radio", name=re.compile(rf"^{first_names} MARTIN \("))


def answers(page):
    # A form not cut into pages has one, « Votre demande », in the récapitulatif.
    return page.get_by_role("region", name="Votre demande")


def answer_row(page, label: str):
    return (
        answers(page)
        .locator(".summary-list__row")
        .filter(has=page.get_by_role("term").filter(has_text=re.compile(rf"^{re.escape(label)}$")))
    )


def test_the_demo_citizen_enrols_a_child_at_school_and_follows_the_request(
    page, live_server, demo_data
):
    september = date(timezone.localdate().year + 1, 9, 1)
    log_in_from_home(page, live_server)
    open_procedure(page, "Scolaire et périscolaire", SCHOOL)

    # Only the children are offered; Léa is chosen.
    expect(page.get_by_role("group", name="Personne concernée").get_by_role("radio")).to_have_count(
        2
    )
    expect(child(page, "Hugo")).to_be_visible()
    child(page, "Léa Juliette").check()
    page.get_by_role("group", name="École souhaitée").get_by_label(
        "École élémentaire Jules-Ferry"
    ).check()
    page.get_by_label("Niveau à la rentrée").select_option("CM2")
    page.get_by_label("Date d'entrée souhaitée").fill(september.isoformat())
    # No document: they will be brought on paper.
    page.get_by_role("button", name="Continuer vers le récapitulatif").click()

    expect(page.get_by_role("heading", name="Récapitulatif", level=1)).to_be_visible()
    who = page.get_by_role("region", name="Personne concernée")
    expect(who).to_contain_text("Léa Juliette MARTIN")
    expect(answer_row(page, "École souhaitée")).to_contain_text("École élémentaire Jules-Ferry")
    expect(answer_row(page, "Niveau à la rentrée")).to_contain_text("CM2")
    expect(answer_row(page, "Date d'entrée souhaitée")).to_contain_text(
        september.strftime("%d/%m/%Y")
    )
    expect(answer_row(page, "Commentaire")).to_contain_text("—")
    expect(answers(page).get_by_role("link", name=re.compile(r"^Modifier :"))).to_have_count(4)
    expect(
        answers(page).get_by_role("link", name="Modifier cette page : Votre demande")
    ).to_be_visible()
    documents = page.get_by_role("region", name="Pièces justificatives")
    expect(documents.get_by_text(PAPER)).to_have_count(3)
    assert_accessible(page)

    # « Modifier » the level: back to the form, at that field, with every answer kept.
    answers(page).get_by_role("link", name="Modifier : Niveau à la rentrée").click()
    expect(page).to_have_url(re.compile(r"/demandes/brouillon/\d+/page/1/#id_f_niveau$"))
    expect(page.get_by_role("heading", name=SCHOOL, level=1)).to_be_visible()
    expect(child(page, "Léa Juliette")).to_be_checked()
    expect(page.get_by_label("École élémentaire Jules-Ferry")).to_be_checked()
    expect(page.get_by_label("Niveau à la rentrée")).to_have_value("CM2")
    expect(page.get_by_label("Date d'entrée souhaitée")).to_have_value(september.isoformat())
    assert_accessible(page)
    page.get_by_label("Niveau à la rentrée").select_option("CM1")
    page.get_by_role("button", name="Continuer vers le récapitulatif").click()

    expect(page.get_by_role("heading", name="Récapitulatif", level=1)).to_be_visible()
    expect(answer_row(page, "Niveau à la rentrée")).to_contain_text("CM1")
    expect(answer_row(page, "Niveau à la rentrée")).not_to_contain_text("CM2")
    assert Request.objects.filter(account=demo_data).count() == 1
    assert_accessible(page)

    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page.get_by_role("heading", name="Votre demande est envoyée", level=1)).to_be_visible()
    main = page.locator("main")
    expect(main).to_contain_text(NUMBER_RE)
    expect(main).to_contain_text(GUICHET_UNIQUE)
    sent = Request.objects.get(account=demo_data)
    assert sent.state == RequestState.SUBMITTED
    assert NUMBER_RE.fullmatch(sent.number)
    assert sent.answers["niveau"] == "CM1"
    assert sent.member.first_names == "Léa Juliette"
    expect(main.locator("strong", has_text=sent.number)).to_be_visible()
    assert_accessible(page)

    # « Accueil »: the request with its progress bar.
    tab(page, "Accueil").click()
    mine = page.get_by_role("region", name="Mes demandes")
    item = mine.get_by_role("listitem").filter(has_text=SCHOOL)
    expect(item).to_contain_text(sent.number)
    expect(item).to_contain_text("Étape 1 sur 4 : Reçue")
    expect(page.get_by_role("region", name="Mes brouillons")).to_have_count(0)
    assert_accessible(page)

    # « Demandes »: the number, today's date and the child.
    tab(page, "Demandes").click()
    expect(page.get_by_role("heading", name="Demandes", level=1)).to_be_visible()
    row = page.get_by_role("row").filter(has_text=sent.number)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(SCHOOL)
    expect(row).to_contain_text(timezone.localdate().strftime("%d/%m/%Y"))
    expect(row).to_contain_text("Léa Juliette MARTIN")
    expect(row).to_contain_text("Étape 1 sur 4 : Reçue")
    assert_accessible(page)

    # The number opens the PDF in a new tab (axe has nothing to check in a PDF).
    with page.context.expect_page() as new_tab:
        row.get_by_role("link", name=re.compile(rf"^{sent.number}")).click()
    pdf_page = new_tab.value
    pdf_page.wait_for_load_state("commit")
    assert pdf_page.url == f"{live_server.url}/demandes/{sent.pk}/pdf/"
    response = page.request.get(pdf_page.url)
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


@pytest.fixture
def bulky_waste_request(demo_data):
    """A request of the demo citizen, « Reçue », waiting for the clerk."""
    procedure = Procedure.objects.get(title=BULKY_WASTE)
    assert procedure.has_appointment
    wished = timezone.localdate() + timedelta(days=10)
    draft = services.request_draft_save(
        account=demo_data,
        procedure=procedure,
        member=None,
        answers={
            "date_souhaitee": wished.isoformat(),
            "description_objets": "Un canapé trois places et un réfrigérateur.",
            "volume_estime": "2",
            "acces": "Rez-de-chaussée",
        },
    )
    return services.request_submit(citizen_request=draft, by=demo_data)


def test_a_clerk_accepts_a_request_in_admin_and_the_citizen_sees_it_accepted(
    page, live_server, open_page, bulky_waste_request
):
    collection_day = timezone.localdate() + timedelta(days=14)
    number = bulky_waste_request.number

    page.goto(live_server.url + "/admin/")
    expect(page.get_by_role("button", name=re.compile("Connexion"))).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Identifiant").fill("environnement")
    page.get_by_label("Mot de passe").fill(PASSWORDS["environnement"])
    page.get_by_role("button", name=re.compile("Connexion")).click()

    content = page.locator("#content-main")
    expect(content.get_by_role("link", name="Demandes", exact=True)).to_be_visible()
    assert_accessible(page)
    content.get_by_role("link", name="Demandes", exact=True).click()

    expect(content.get_by_role("link", name=number)).to_be_visible()
    assert_accessible(page)
    content.get_by_role("link", name=number).click()

    expect(page.locator("#content")).to_contain_text(number)
    processing = page.get_by_role("region", name="Traiter la demande")
    expect(processing.get_by_role("button", name="Prendre en charge")).to_be_visible()
    assert_accessible(page)
    processing.get_by_role("button", name="Prendre en charge").click()

    expect(
        page.get_by_text(f"La demande {number} est maintenant « En cours de traitement ».")
    ).to_be_visible()
    expect(processing.get_by_role("button", name="Prendre en charge")).to_have_count(0)
    accept = processing.get_by_role("group", name="Accepter")
    expect(accept).to_be_visible()
    assert_accessible(page)
    accept.get_by_label("Date de passage").fill(collection_day.isoformat())
    accept.get_by_role("button", name="Accepter").click()

    expect(page.get_by_text(f"La demande {number} est maintenant « Acceptée ».")).to_be_visible()
    assert_accessible(page)
    bulky_waste_request.refresh_from_db()
    assert bulky_waste_request.state == RequestState.ACCEPTED
    assert bulky_waste_request.appointment_date == collection_day

    # The citizen, in another browser context, sees the new state.
    citizen_page = open_page()
    try:
        log_in_from_home(citizen_page, live_server)
        tab(citizen_page, "Demandes").click()
        row = citizen_page.get_by_role("row").filter(has_text=number)
        expect(row).to_contain_text(BULKY_WASTE)
        expect(row).to_contain_text("Étape 3 sur 4 : Acceptée")
        assert_accessible(citizen_page)
    finally:
        citizen_page.context.close()


def test_a_draft_is_saved_then_resumed_from_home_to_its_summary(page, live_server, demo_data):
    log_in_from_home(page, live_server)
    open_procedure(page, "Scolaire et périscolaire", CANTEEN)

    child(page, "Hugo").check()
    jours = page.get_by_role("group", name="Jours de restauration")
    jours.get_by_label("Lundi").check()
    jours.get_by_label("Jeudi").check()
    page.get_by_label("Végétarien").check()
    page.get_by_role("button", name="Enregistrer le brouillon").click()

    expect(page.get_by_role("heading", name="Bonjour Camille", level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Votre brouillon est enregistré.")
    drafts = page.get_by_role("region", name="Mes brouillons")
    item = drafts.get_by_role("listitem").filter(has_text=CANTEEN)
    expect(item).to_contain_text("Hugo MARTIN")
    expect(item).to_contain_text(timezone.localdate().strftime("%d/%m/%Y"))
    expect(page.get_by_role("region", name="Mes demandes")).not_to_contain_text(CANTEEN)
    draft = Request.objects.get(account=demo_data)
    assert draft.state == RequestState.DRAFT and not draft.number
    assert_accessible(page)

    item.get_by_role("link", name=f"Reprendre : {CANTEEN}").click()
    expect(page.get_by_role("heading", name="Récapitulatif", level=1)).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}/demandes/brouillon/{draft.pk}/recapitulatif/")
    expect(page.get_by_role("region", name="Personne concernée")).to_contain_text("Hugo MARTIN")
    expect(answer_row(page, "Jours de restauration")).to_contain_text("Lundi, Jeudi")
    expect(answer_row(page, "Régime alimentaire")).to_contain_text("Végétarien")
    expect(page.get_by_role("button", name="Envoyer ma demande")).to_be_visible()
    assert_accessible(page)


JUSTIFICATIF = Path(__file__).resolve().parent.parent / "data" / "justificatif.pdf"
PROOF_OF_ADDRESS = "Justificatif de domicile de moins de 3 mois"


def test_an_empty_draft_is_kept_with_its_document_and_completed_before_sending(
    page, live_server, demo_data
):
    log_in_from_home(page, live_server)
    open_procedure(page, "Scolaire et périscolaire", SCHOOL)

    # Nothing answered, one document attached: the draft is kept as it is.
    page.get_by_label(PROOF_OF_ADDRESS).set_input_files(JUSTIFICATIF)
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_role("heading", name="Bonjour Camille", level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Votre brouillon est enregistré.")
    draft = Request.objects.get(account=demo_data)
    assert draft.state == RequestState.DRAFT
    assert [d.original_name for d in draft.documents.all()] == ["justificatif.pdf"]
    assert_accessible(page)

    # Resumed, its summary says what is missing and offers no « Envoyer ».
    drafts = page.get_by_role("region", name="Mes brouillons")
    drafts.get_by_role("link", name=f"Reprendre : {SCHOOL}").click()
    expect(page.get_by_role("heading", name="Récapitulatif", level=1)).to_be_visible()
    missing = page.get_by_role("alert")
    expect(missing).to_contain_text("Votre demande est incomplète")
    for label in ("Personne concernée", "École souhaitée", "Niveau à la rentrée"):
        expect(missing.get_by_role("link", name=label)).to_be_visible()
    expect(page.get_by_role("button", name="Envoyer ma demande")).to_have_count(0)
    expect(page.get_by_role("region", name="Pièces justificatives")).to_contain_text(
        "justificatif.pdf"
    )
    assert_accessible(page)

    # « Continuer vers le récapitulatif » still checks the required answers.
    missing.get_by_role("link", name="Compléter ma demande").click()
    expect(page.get_by_role("heading", name=SCHOOL, level=1)).to_be_visible()
    page.get_by_role("button", name="Continuer vers le récapitulatif").click()
    expect(page.get_by_role("heading", name=re.compile("Le formulaire contient"))).to_be_visible()
    expect(page.get_by_text("Ce champ est obligatoire.").first).to_be_visible()
    assert_accessible(page)

    child(page, "Hugo").check()
    page.get_by_role("group", name="École souhaitée").get_by_label(
        "École élémentaire Jules-Ferry"
    ).check()
    page.get_by_label("Niveau à la rentrée").select_option("CE2")
    page.get_by_label("Date d'entrée souhaitée").fill(
        date(timezone.localdate().year + 1, 9, 1).isoformat()
    )
    page.get_by_role("button", name="Continuer vers le récapitulatif").click()
    expect(page.get_by_role("heading", name="Récapitulatif", level=1)).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page.get_by_role("heading", name="Votre demande est envoyée", level=1)).to_be_visible()
    sent = Request.objects.get(account=demo_data)
    assert sent.state == RequestState.SUBMITTED
    assert [d.original_name for d in sent.documents.all()] == ["justificatif.pdf"]
