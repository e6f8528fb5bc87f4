"""Régies: one payment per régie, whatever is posted or raced; their secrets typed once
and never shown again nor logged; a clerk limited to his régies."""

import html
import logging
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from payments.models import Basket, BasketLine, Payment, PaymentLine, Provider, Regie
from payments.providers.eopayment_provider import EopaymentProvider
from payments.regie_settings import options_of
from payments.services import basket_add_invoice, payment_start
from privacy.archive import money_data
from tests.backoffice import personas
from tests.payments.factories import InvoiceFactory, own, page_queries
from tests.payments.payfip_fake import card_regie, payfip_regie

pytestmark = pytest.mark.django_db

PAY = reverse("payments:pay")
BASKET = reverse("payments:basket")


@pytest.fixture
def regies(settings):
    settings.PAYFIP_SIMULATOR_ENABLED = True
    return payfip_regie(), card_regie()


@pytest.fixture
def two_groups(household, payer, regies):
    school, music = regies
    invoices = {
        "school": [
            InvoiceFactory(household=household, regie=school, amount=Decimal("60.00")),
            InvoiceFactory(household=household, regie=school, amount=Decimal("43.25")),
        ],
        "music": [InvoiceFactory(household=household, regie=music, amount=Decimal("85.00"))],
    }
    for group in invoices.values():
        for invoice in group:
            basket_add_invoice(invoice=invoice, by=payer)
    return invoices


def test_the_basket_shows_one_group_and_one_button_per_regie(payer_client, two_groups):
    page = html.unescape(payer_client.get(BASKET).content.decode())
    assert "Payer les 2 factures de la Régie scolaire et périscolaire — 103,25" in page
    assert "Payer la facture de la Régie du conservatoire — 85,00" in page
    assert "Accéder à votre panier (3 articles)" in page
    assert Basket.objects.count() == 2


def test_paying_one_regie_takes_only_its_invoices(payer_client, two_groups, regies):
    school, music = regies
    response = payer_client.post(PAY, {"regie": music.pk})
    assert response["Location"].startswith("/paiements/paiement/")
    payment = Payment.objects.get()
    assert payment.regie == music and payment.provider == Provider.SIMULATED
    assert payment.amount == Decimal("85.00")
    assert {line.invoice for line in payment.lines.all()} == set(two_groups["music"])
    # The other group stays free to change and to pay.
    page = payer_client.get(BASKET).content.decode()
    assert "Un paiement est en cours pour ce panier" in page
    assert "Payer les 2 factures de la Régie scolaire" in page


@pytest.mark.parametrize("posted", ["", "abc", "987654"])
def test_a_posted_regie_without_a_basket_pays_nothing(payer_client, two_groups, posted):
    page = html.unescape(payer_client.post(PAY, {"regie": posted}, follow=True).content.decode())
    assert "Votre panier est vide." in page
    assert not Payment.objects.exists()


def test_another_households_regie_basket_is_never_reached(
    client, other_household, two_groups, regies
):
    school, _music = regies
    client.force_login(other_household.account)
    client.post(PAY, {"regie": school.pk})
    assert not Payment.objects.exists()


def test_payer_by_direct_url_is_refused(payer_client, two_groups):
    assert payer_client.get(PAY).status_code == 405


def test_an_invoice_of_another_regie_cannot_join_a_payment_at_payment_time(
    household, payer, two_groups, regies
):
    school, music = regies
    stray = two_groups["music"][0]
    # As if a line had slipped in (SQLite has no trigger; the service checks again).
    if connection.vendor == "postgresql":
        pytest.skip("the database refuses the line itself: see the next test")
    BasketLine.objects.filter(invoice=stray).update(
        basket=Basket.objects.get(household=household, regie=school)
    )
    payment = payment_start(household=household, by=payer, regie=school)
    assert stray.pk not in set(payment.lines.values_list("invoice_id", flat=True))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL triggers")
def test_postgresql_refuses_a_line_of_another_regie(household, payer, two_groups, regies):
    school, music = regies
    school_basket = Basket.objects.get(household=household, regie=school)
    with pytest.raises(IntegrityError), transaction.atomic():
        BasketLine.objects.filter(invoice=two_groups["music"][0]).update(basket=school_basket)
    payment = payment_start(household=household, by=payer, regie=school)
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentLine.objects.create(
            payment=payment, invoice=two_groups["music"][0], amount=Decimal("85.00")
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        BasketLine.objects.create(basket=school_basket, invoice=InvoiceFactory(household=household))


def test_the_faq_message_stays_for_an_invoice_of_a_regie_being_paid(
    payer_client, household, payer, two_groups, regies
):
    school, _music = regies
    payer_client.post(PAY, {"regie": school.pk})
    late = InvoiceFactory(household=household, regie=school)
    payer_client.post(reverse("payments:basket_add", args=[late.pk]))
    page = html.unescape(payer_client.get(reverse("payments:index")).content.decode())
    assert (
        "Impossible d'ajouter cet article, vous devez d'abord payer ceux en attente dans "
        "votre panier" in page
    )


def regie_added(admin_client, **fields):
    """The admin's « Ajouter régie » posted with these fields (no domain, no clerk)."""
    data = {
        "name": "Régie des sports",
        "code": "sports",
        "payfip_numcli": "",
        "payfip_mode": "T",
        "options": "{}",
        "domains-TOTAL_FORMS": "0",
        "domains-INITIAL_FORMS": "0",
        "clerks-TOTAL_FORMS": "0",
        "clerks-INITIAL_FORMS": "0",
        **fields,
    }
    return admin_client.post(reverse("admin:payments_regie_add"), data)


def test_secrets_are_typed_once_never_shown_and_never_logged(admin_client, caplog, settings):
    settings.PAYFIP_SIMULATOR_ENABLED = True
    response = regie_added(
        admin_client,
        backend=Provider.SYSTEMPAY,
        options='{"vads_site_id": "12345678", "vads_ctx_mode": "TEST"}',
        new_secrets="secret_test=TRES-SECRET-42",
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    regie = Regie.objects.get(code="sports")
    assert regie.secrets == {"secret_test": "TRES-SECRET-42"}
    page = admin_client.get(reverse("admin:payments_regie_change", args=[regie.pk]))
    assert "TRES-SECRET-42" not in page.content.decode()
    assert "secret_test" in page.content.decode()
    with caplog.at_level(logging.DEBUG):
        EopaymentProvider(Provider.SYSTEMPAY, regie).backend()
    assert "initializing with options" in caplog.text
    assert "TRES-SECRET-42" not in caplog.text


def test_a_secret_in_options_is_refused(admin_client):
    response = regie_added(admin_client, backend=Provider.PAYBOX, options='{"shared_secret": "x"}')
    assert response.status_code == 200
    assert not Regie.objects.exists()


def test_secrets_may_come_from_the_environment_or_a_file(monkeypatch, tmp_path):
    regie = Regie.objects.create(
        name="Régie des sports",
        code="sports",
        backend=Provider.SYSTEMPAY,
        secrets={"secret_test": "from-admin"},
    )
    assert options_of(regie)["secret_test"] == "from-admin"
    secret_file = tmp_path / "key"
    secret_file.write_text("from-file\n")
    monkeypatch.setenv("REGIE_SPORTS_SECRET_TEST_FILE", str(secret_file))
    assert options_of(regie)["secret_test"] == "from-file"


def test_the_simulated_payfip_cannot_be_chosen_in_production(admin_client, settings):
    settings.PAYFIP_SIMULATOR_ENABLED = False
    response = regie_added(admin_client, backend=Provider.PAYFIP_SIMULATED, payfip_numcli="123456")
    assert "PayFiP simulé n&#x27;est possible qu&#x27;en démonstration" in response.content.decode()


def test_a_regie_clerk_lists_only_his_regies_invoices(client, household, regies):
    school, music = regies
    mine = InvoiceFactory(household=household, regie=school)
    theirs = InvoiceFactory(household=household, regie=music)
    clerk = personas.billing_clerk()
    school.clerks.create(user=clerk)
    client.force_login(clerk)
    listed = client.get(reverse("admin:payments_invoice_changelist")).context["cl"].result_list
    assert {invoice.pk for invoice in listed} == {mine.pk}
    url = reverse("admin:payments_invoice_change", args=[theirs.pk])
    assert client.get(url).status_code == 404


def test_the_basket_of_two_regies_one_being_paid_costs_four_queries_of_its_own(
    payer_client, household, payer, two_groups, regies
):
    school, music = regies
    payment_start(household=household, by=payer, regie=music)
    for invoice in InvoiceFactory.create_batch(10, household=household, regie=school):
        basket_add_invoice(invoice=invoice, by=payer)
    # The household, the baskets with their régies, their lines, the pending payments.
    assert len(own(page_queries(payer_client, BASKET))) == 4


def test_the_archive_telecharger_mes_donnees_names_each_invoices_regie(payer, two_groups):
    regies = {invoice["regie"] for invoice in money_data(payer)["factures"]}
    assert regies == {"Régie scolaire et périscolaire", "Régie du conservatoire"}
