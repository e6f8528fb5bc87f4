"""Two régies in a real browser, each page checked with axe and kept for the Nu checker:
the demo citizen's basket shows one group per régie; the conservatoire's is paid on the
simulated card page, the school's on the simulated PayFiP, through eopayment's real
SOAP client calling this live server, with the notification PayFiP sends."""

import re

import pytest
from playwright.sync_api import expect

from demo import invoices as payments_demo
from demo import regies as regies_demo
from payments.models import Invoice, InvoiceState, Payment, PaymentState, SimulatedPayfipOperation
from tests.e2e.axe import assert_accessible
from tests.e2e.test_payment_journey import demo_citizen, log_in  # noqa: F401 (a fixture)


@pytest.fixture
def regies_on_the_live_server(transactional_db, settings, live_server):
    """The demo's régies, the simulated PayFiP called by eopayment on this live server."""
    settings.PAYFIP_SIMULATOR_ENABLED = True
    settings.SITE_URL = live_server.url
    settings.PAYFIP_SIMULATOR_URL = ""
    return regies_demo.seed()


@pytest.fixture
def regies_citizen(regies_on_the_live_server, request):
    """The payment journey's demo citizen (its fixture, imported); seeded again, the
    invoices to pay join their domain's régie, as on a demo seeded before the régies."""
    citizen = request.getfixturevalue("demo_citizen")
    payments_demo.seed_invoices(account=citizen)
    return citizen


def add_every_invoice_to_pay(page):
    for number in Invoice.objects.filter(state=InvoiceState.TO_PAY).values_list(
        "number", flat=True
    ):
        row = page.get_by_role("row").filter(has_text=number)
        row.get_by_role("button", name="Ajouter au panier").click()
        expect(page.get_by_role("status")).to_contain_text(
            f"La facture n° {number} est ajoutée à votre panier."
        )


def test_the_demo_citizen_pays_the_two_regies_one_after_the_other(
    page, live_server, regies_citizen
):
    log_in(page, live_server, regies_citizen.identifier)
    page.goto(live_server.url + "/paiements/")
    add_every_invoice_to_pay(page)

    page.get_by_role("link", name=re.compile("Accéder à votre panier")).click()
    expect(page.get_by_role("heading", name="Régie du conservatoire", level=2)).to_be_visible()
    expect(
        page.get_by_role("heading", name="Régie scolaire et périscolaire", level=2)
    ).to_be_visible()
    assert_accessible(page)

    # The conservatoire: two piano invoices on the simulated card page.
    page.get_by_role(
        "button", name="Payer les 2 factures de la Régie du conservatoire — 170,00 €"
    ).click()
    expect(page.get_by_role("heading", name="Paiement par carte (simulation)")).to_be_visible()
    page.get_by_role("button", name="Valider le paiement").click()
    expect(page.get_by_role("heading", name="Paiement accepté", level=1)).to_be_visible()
    assert_accessible(page)

    # The school: the simulated PayFiP, through eopayment.
    page.get_by_role("link", name=re.compile("Accéder à votre panier")).click()
    expect(page.get_by_role("heading", name="Régie du conservatoire")).to_have_count(0)
    school = page.get_by_role(
        "button", name=re.compile("Payer les 5 factures de la Régie scolaire")
    )
    school.click()
    expect(page.get_by_role("heading", name=re.compile("PayFiP"), level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Payer", exact=True).click()
    expect(page.get_by_role("heading", name="Paiement accepté", level=1)).to_be_visible()
    assert_accessible(page)

    payments = {payment.regie.code: payment for payment in Payment.objects.all()}
    assert {code: p.state for code, p in payments.items()} == {
        "conservatoire": PaymentState.PAID,
        "scolaire": PaymentState.PAID,
    }
    operation = SimulatedPayfipOperation.objects.get()
    assert operation.notified_at is not None  # PayFiP's server notification came too.
    assert not Invoice.objects.filter(state=InvoiceState.TO_PAY).exists()
    page.goto(live_server.url + "/paiements/panier/")
    expect(page.get_by_text("Votre panier est vide.")).to_be_visible()
