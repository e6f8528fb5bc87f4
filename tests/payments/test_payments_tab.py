"""The « Paiements » tab: the last 3 months, « Terminés » and « Tous les paiements », PDFs."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from payments.calendar import months_before
from payments.services import basket_add_invoice, invoice_settle_at_counter
from tests.payments.factories import InvoiceFactory, own, page_queries

pytestmark = pytest.mark.django_db

INDEX = reverse("payments:index")


@pytest.mark.parametrize(
    "url",
    [INDEX, reverse("payments:basket"), reverse("payments:outcome", args=[1])],
)
def test_an_anonymous_visitor_is_sent_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_lists_the_invoices_of_the_last_three_months_only(payer_client, household):
    today = timezone.localdate()
    InvoiceFactory(household=household, number="F-RECENT", issue_date=today - timedelta(days=3))
    InvoiceFactory(household=household, number="F-LIMIT", issue_date=months_before(today, 3))
    InvoiceFactory(
        household=household,
        number="F-OLD",
        issue_date=months_before(today, 3) - timedelta(days=1),
    )
    page = payer_client.get(INDEX).content.decode()
    assert "F-RECENT" in page
    assert "F-LIMIT" in page
    assert "F-OLD" not in page


def test_terminés_shows_the_paid_invoices_and_tous_les_paiements_shows_them_all(
    payer_client, household, payer
):
    paid = InvoiceFactory(household=household, number="F-PAID")
    InvoiceFactory(household=household, number="F-TOPAY")
    invoice_settle_at_counter(invoice=paid, by=payer)

    everything = payer_client.get(INDEX).content.decode()
    assert "F-PAID" in everything and "F-TOPAY" in everything
    assert everything.count("Ajouter au panier") == 1  # only the invoice to pay

    finished = payer_client.get(INDEX, {"rubrique": "termines"}).content.decode()
    assert "F-PAID" in finished
    assert "F-TOPAY" not in finished
    assert "Payée le" in finished


def test_every_page_has_the_basket_link_on_the_left_with_its_count(payer_client, invoice, payer):
    basket_add_invoice(invoice=invoice, by=payer)
    for url in (INDEX, reverse("payments:basket")):
        page = payer_client.get(url).content.decode()
        assert "Accéder à votre panier (1 article)" in page, url


def test_another_households_invoices_never_show(payer_client, other_household):
    InvoiceFactory(household=other_household, number="F-OTHER")
    assert "F-OTHER" not in payer_client.get(INDEX).content.decode()


def test_an_invoice_downloads_as_a_pdf(payer_client, invoice):
    response = payer_client.get(reverse("payments:invoice_pdf", args=[invoice.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(BytesIO(b"".join(response.streaming_content))).pages[0].extract_text()
    assert f"Facture n° {invoice.number}" in text
    assert "42,35" in text
    # Built once: the second download comes from the cache.
    again = payer_client.get(reverse("payments:invoice_pdf", args=[invoice.pk]))
    assert again.status_code == 200


def test_another_households_invoice_pdf_is_a_404(payer_client, other_household):
    theirs = InvoiceFactory(household=other_household)
    response = payer_client.get(reverse("payments:invoice_pdf", args=[theirs.pk]))
    assert response.status_code == 404


def test_the_tab_costs_the_same_queries_for_1_or_30_invoices(payer_client, household, payer):
    first = InvoiceFactory(household=household)
    basket_add_invoice(invoice=first, by=payer)
    one = page_queries(payer_client, INDEX)
    InvoiceFactory.create_batch(29, household=household)
    thirty = page_queries(payer_client, INDEX)
    assert len(thirty) == len(one)
    # Ours: the invoices with their basket's state, which gives the basket count too.
    # The household is reached through the account.
    assert len(own(thirty)) == 1, own(thirty)


def test_an_old_invoice_left_in_the_basket_counts_in_the_link_but_is_not_listed(
    payer_client, household, payer
):
    old = InvoiceFactory(household=household, number="F-ANCIENNE")
    basket_add_invoice(invoice=old, by=payer)
    basket_add_invoice(invoice=InvoiceFactory(household=household), by=payer)
    old.issue_date = months_before(timezone.localdate(), 5)
    old.save()
    page = payer_client.get(INDEX).content.decode()
    assert "(2 articles)" in page
    assert "F-ANCIENNE" not in page
