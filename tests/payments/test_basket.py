"""The basket: one open per household, the FAQ's exact refusal closed with « OK », paid and
cancelled invoices kept out, another household's objects answering 404."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.html import escape

from payments.models import Basket, BasketLine, BasketState
from payments.services import (
    BasketRefused,
    basket_add_invoice,
    basket_remove_invoice,
    invoice_cancel,
    invoice_settle_at_counter,
    payment_start,
)
from tests.payments.factories import InvoiceFactory, own, page_queries

pytestmark = pytest.mark.django_db

DUPLICATE = (
    "Impossible d'ajouter cet article, vous devez d'abord payer ceux en attente dans votre panier"
)
INDEX = reverse("payments:index")
BASKET = reverse("payments:basket")


def add(client, invoice):
    return client.post(reverse("payments:basket_add", args=[invoice.pk]))


def test_adding_an_invoice_puts_it_in_the_households_basket(payer_client, invoice, household):
    response = add(payer_client, invoice)
    assert response.status_code == 302
    assert response["Location"] == INDEX
    basket = Basket.objects.get(household=household)
    assert basket.state == BasketState.OPEN
    assert list(basket.lines.values_list("invoice", flat=True)) == [invoice.pk]
    page = payer_client.get(INDEX).content.decode()
    assert f"La facture n° {invoice.number} est ajoutée à votre panier." in page
    assert "Dans votre panier" in page


def test_adding_it_again_refuses_with_the_faqs_exact_words_and_an_ok(payer_client, invoice):
    add(payer_client, invoice)
    payer_client.get(INDEX)  # the success message is read
    response = add(payer_client, invoice)
    assert BasketLine.objects.filter(invoice=invoice).count() == 1
    page = payer_client.get(response["Location"]).content.decode()
    # Without JavaScript: a message block with an « OK » link back to the page.
    assert f"<p data-refusal-text>{escape(DUPLICATE)}</p>" in page
    assert f'href="{INDEX}" data-refusal-ok>OK</a>' in page
    assert "js/basket.js" in page
    # « OK » (reloading the page) and the message is gone.
    assert "data-refusal-text" not in payer_client.get(INDEX).content.decode()


def test_the_service_refuses_a_duplicate_with_the_exact_message(invoice, payer):
    basket_add_invoice(invoice=invoice, by=payer)
    with pytest.raises(BasketRefused) as refusal:
        basket_add_invoice(invoice=invoice, by=payer)
    assert str(refusal.value) == DUPLICATE


def test_an_invoice_being_paid_cannot_be_added_nor_another_one(household, payer):
    first, second = InvoiceFactory.create_batch(2, household=household)
    basket_add_invoice(invoice=first, by=payer)
    payment_start(household=household, by=payer)
    for invoice in (first, second):
        with pytest.raises(BasketRefused) as refusal:
            basket_add_invoice(invoice=invoice, by=payer)
        assert str(refusal.value) == DUPLICATE


def test_the_database_refuses_a_second_open_basket_for_a_household(household):
    Basket.objects.create(household=household)
    with pytest.raises(IntegrityError), transaction.atomic():
        Basket.objects.create(household=household)


def test_the_database_refuses_an_invoice_in_two_baskets(household, other_household, invoice):
    mine = Basket.objects.create(household=household)
    BasketLine.objects.create(basket=mine, invoice=invoice)
    theirs = Basket.objects.create(household=other_household)
    with pytest.raises(IntegrityError), transaction.atomic():
        BasketLine.objects.create(basket=theirs, invoice=invoice)


def test_a_paid_invoice_is_refused(invoice, payer):
    invoice_settle_at_counter(invoice=invoice, by=payer)
    with pytest.raises(BasketRefused, match="Cette facture est déjà payée."):
        basket_add_invoice(invoice=invoice, by=payer)


def test_a_cancelled_invoice_is_refused(invoice, payer, clerk):
    invoice_cancel(invoice=invoice, by=clerk)
    with pytest.raises(BasketRefused, match="annulée"):
        basket_add_invoice(invoice=invoice, by=payer)


def test_a_paid_or_cancelled_invoice_leaves_the_basket(household, payer, clerk):
    paid, cancelled, kept = InvoiceFactory.create_batch(3, household=household)
    for invoice in (paid, cancelled, kept):
        basket_add_invoice(invoice=invoice, by=payer)
    invoice_settle_at_counter(invoice=paid, by=clerk)
    invoice_cancel(invoice=cancelled, by=clerk)
    assert list(BasketLine.objects.values_list("invoice", flat=True)) == [kept.pk]


def test_the_citizen_removes_an_invoice(payer_client, invoice, payer):
    basket_add_invoice(invoice=invoice, by=payer)
    response = payer_client.post(reverse("payments:basket_remove", args=[invoice.pk]))
    assert response["Location"] == BASKET
    assert not BasketLine.objects.exists()
    page = payer_client.get(BASKET).content.decode()
    assert "Votre panier est vide." in page


def test_nothing_can_be_removed_while_the_basket_is_being_paid(household, invoice, payer):
    basket_add_invoice(invoice=invoice, by=payer)
    payment_start(household=household, by=payer)
    with pytest.raises(BasketRefused, match="Un paiement est en cours"):
        basket_remove_invoice(invoice=invoice, by=payer)
    assert BasketLine.objects.filter(invoice=invoice).exists()


def test_the_basket_lists_its_invoices_and_the_total_computed_from_them(
    payer_client, household, payer
):
    for amount in ("12.50", "30.10"):
        basket_add_invoice(invoice=InvoiceFactory(household=household, amount=amount), by=payer)
    page = payer_client.get(BASKET).content.decode()
    assert "12,50\u00a0€" in page and "30,10\u00a0€" in page
    assert "42,60\u00a0€" in page
    assert ">Payer</button>" in page


def test_another_households_invoice_cannot_be_added_nor_removed(payer_client, other_household):
    theirs = InvoiceFactory(household=other_household)
    assert add(payer_client, theirs).status_code == 404
    remove = reverse("payments:basket_remove", args=[theirs.pk])
    assert payer_client.post(remove).status_code == 404
    assert not BasketLine.objects.exists()


def test_adding_and_removing_need_a_post(payer_client, invoice):
    assert payer_client.get(reverse("payments:basket_add", args=[invoice.pk])).status_code == 405
    assert not BasketLine.objects.exists()


def test_the_basket_costs_the_same_queries_for_1_or_30_invoices(payer_client, household, payer):
    basket_add_invoice(invoice=InvoiceFactory(household=household), by=payer)
    one = page_queries(payer_client, BASKET)
    for invoice in InvoiceFactory.create_batch(29, household=household):
        basket_add_invoice(invoice=invoice, by=payer)
    thirty = page_queries(payer_client, BASKET)
    assert len(thirty) == len(one)
    # Ours: the household, the baskets (one per régie) with their régies, their lines with
    # their invoices (the count beside « Accéder à votre panier » is theirs).
    assert len(own(thirty)) == 3, own(thirty)
