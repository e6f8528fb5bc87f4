"""The FAQ's « Le paiement par carte bancaire » in a real browser, each page checked with axe:
the demo citizen puts an invoice in the basket, meets the « Impossible d'ajouter cet
article… » message and closes it with « OK », pays on the simulated card page, and finds
the invoice under « Terminés »."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from demo import families as households_demo
from demo import invoices as payments_demo
from payments.models import Invoice, InvoiceState, Payment, PaymentState
from tests.e2e.axe import assert_accessible
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.e2e

DUPLICATE = (
    "Impossible d'ajouter cet article, vous devez d'abord payer ceux en attente dans votre panier"
)


@pytest.fixture
def demo_citizen(transactional_db, settings):
    settings.PAYMENT_PROVIDER = "simulated"
    citizen = UserFactory(
        identifier="demo",
        first_name="Camille",
        last_name="MARTIN",
        birth_date=date(1985, 4, 12),
        date_joined=timezone.now() - timedelta(days=30),
    )
    households_demo.seed_family(account=citizen)
    payments_demo.seed_invoices(account=citizen)
    return citizen


def log_in(page, live_server, identifier: str):
    page.goto(live_server.url + "/")
    page.get_by_label("Utilisateur").fill(identifier)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", name="Bonjour Camille", level=1)).to_be_visible()


def invoice_row(page, number: str):
    return page.get_by_role("row").filter(has_text=number)


def test_the_demo_citizen_pays_an_invoice_through_the_basket(page, live_server, demo_citizen):
    invoice = (
        Invoice.objects.filter(household__account=demo_citizen, state=InvoiceState.TO_PAY)
        .order_by("-issue_date", "-number")
        .first()
    )
    log_in(page, live_server, demo_citizen.identifier)

    # « Paiements »: every invoice of the last three months, the unpaid ones to add.
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Paiements"
    ).click()
    expect(page.get_by_role("heading", name="Tous les paiements", level=2)).to_be_visible()
    expect(invoice_row(page, invoice.number)).to_contain_text("À payer")
    assert_accessible(page)

    invoice_row(page, invoice.number).get_by_role("button", name="Ajouter au panier").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"La facture n° {invoice.number} est ajoutée à votre panier."
    )
    expect(invoice_row(page, invoice.number)).to_contain_text("Dans votre panier")
    assert_accessible(page)

    # Added again: the FAQ's message, in a dialog closed with « OK ».
    invoice_row(page, invoice.number).get_by_role("button", name="Ajouter au panier").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_have_text(re.compile(re.escape(DUPLICATE)))
    expect(dialog.get_by_role("button", name="OK")).to_be_focused()
    assert_accessible(page)
    dialog.get_by_role("button", name="OK").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    basket_link = page.get_by_role("link", name="Accéder à votre panier")
    expect(basket_link).to_be_focused()
    expect(basket_link).to_have_text("Accéder à votre panier (1 article)")

    # « Accéder à votre panier », then « Payer ».
    basket_link.click()
    expect(page.get_by_role("heading", name="Votre panier", level=1)).to_be_visible()
    expect(invoice_row(page, invoice.number)).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Total")).to_contain_text(
        f"{invoice.amount:.2f}".replace(".", ",")
    )
    assert_accessible(page)
    page.get_by_role("button", name="Payer", exact=True).click()

    # The simulated card page.
    expect(page.get_by_role("heading", name="Paiement par carte (simulation)")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Valider le paiement").click()
    expect(page.get_by_role("heading", name="Paiement accepté", level=1)).to_be_visible()
    assert_accessible(page)

    # « Terminés »: the invoice is there, paid.
    page.get_by_role("navigation", name="Paiements").get_by_role("link", name="Terminés").click()
    expect(page.get_by_role("heading", name="Terminés", level=2)).to_be_visible()
    expect(invoice_row(page, invoice.number)).to_contain_text("Payée le")
    assert_accessible(page)

    payment = Payment.objects.get()
    assert payment.state == PaymentState.PAID
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.PAID
    assert invoice.payment == payment


def test_without_basket_js_the_message_is_a_block_closed_with_ok(page, live_server, demo_citizen):
    # The enhancement fails to load (or JavaScript is off): the server's block remains.
    page.route("**/js/basket.js", lambda route: route.abort())
    invoice = Invoice.objects.filter(state=InvoiceState.TO_PAY).first()
    log_in(page, live_server, demo_citizen.identifier)
    page.goto(live_server.url + "/paiements/")
    for _ in range(2):
        invoice_row(page, invoice.number).get_by_role("button", name="Ajouter au panier").click()
    expect(page.get_by_role("alert")).to_contain_text(DUPLICATE)
    expect(page.get_by_role("dialog")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="OK", exact=True).click()
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.get_by_role("heading", name="Tous les paiements")).to_be_visible()
