"""Paying a régie's group through PayFiP: eopayment's real code (zeep, the WSDL it ships)
against the simulated PayFiP's web service and page, accepted, refused, abandoned,
expired; the notification before or after the return, replayed, or never (reconcile);
an unknown idop, a tampered amount, a hung or refusing service."""

import html
import socket
import time
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
import time_machine
import zeep
from django.urls import reverse
from django.utils import timezone

from payments import payfip_simulator
from payments.models import (
    Invoice,
    InvoiceState,
    Payment,
    PaymentState,
    ProviderEvent,
    SimulatedPayfipOperation,
)
from payments.providers import eopayment_api
from payments.providers.eopayment_provider import refdet_of
from payments.services import basket_add_invoice, payments_reconcile
from payments.services.retention import invoices_purge
from tests.payments.factories import InvoiceFactory
from tests.payments.payfip_fake import in_process_session, payfip_regie

pytestmark = pytest.mark.django_db

PAY = reverse("payments:pay")
BASKET = reverse("payments:basket")


@pytest.fixture
def adapter(monkeypatch, settings):
    settings.PAYFIP_SIMULATOR_ENABLED = True
    session, adapter = in_process_session()
    monkeypatch.setattr(eopayment_api, "SESSION", session)
    return adapter


@pytest.fixture
def regie(db):
    return payfip_regie()


@pytest.fixture
def group(household, payer, regie):
    """Two canteen invoices of the régie in the basket: 103,25 €."""
    invoices = [
        InvoiceFactory(household=household, regie=regie, amount=Decimal("60.00")),
        InvoiceFactory(household=household, regie=regie, amount=Decimal("43.25")),
    ]
    for invoice in invoices:
        basket_add_invoice(invoice=invoice, by=payer)
    return invoices


def states(invoices) -> set[str]:
    return {Invoice.objects.get(pk=invoice.pk).state for invoice in invoices}


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def start(client, regie) -> tuple[Payment, SimulatedPayfipOperation]:
    response = client.post(PAY, {"regie": regie.pk})
    assert response.status_code == 302, response
    assert reverse("payments:payfip_simulator_page") in response["Location"]
    payment = Payment.objects.get()
    operation = SimulatedPayfipOperation.objects.get(idop=payment.provider_reference)
    return payment, operation


def answer(client, operation, outcome) -> str:
    """The citizen's button on PayFiP's page; where PayFiP sends them back."""
    page = reverse("payments:payfip_simulator_page") + f"?idop={operation.idop}"
    assert client.get(page).status_code == 200
    response = client.post(page, {"outcome": outcome})
    assert response.status_code == 302
    return path_of(response["Location"])


def notify(operation) -> int:
    operation.refresh_from_db()
    return payfip_simulator.notification_send(operation=operation)


def test_the_basket_offers_to_pay_the_regies_group_with_its_count_and_total(
    payer_client, group, adapter
):
    page = payer_client.get(BASKET).content.decode()
    assert "Payer les 2 factures de la Régie scolaire et périscolaire — 103,25" in page


def test_pressing_payer_asks_payfip_for_an_idop_with_our_reference_email_and_urls(
    payer_client, group, payer, regie, adapter
):
    payment, operation = start(payer_client, regie)
    assert payment.regie == regie and payment.provider == "payfip_simule"
    assert operation.refdet == refdet_of(payment)
    assert operation.amount_cents == 10325
    assert operation.email == payer.email
    assert operation.numcli == "123456" and operation.mode == "T"
    assert operation.notification_url.endswith(f"/paiements/notification/{regie.code}/")
    assert operation.return_url.endswith(reverse("payments:outcome", args=[payment.pk]))
    assert adapter.paths == [reverse("payments:payfip_simulator_ws")]


def test_paid_with_the_notification_before_the_return(
    payer_client, group, regie, adapter, acknowledged_payments
):
    payment, operation = start(payer_client, regie)
    back = answer(payer_client, operation, "payer")
    assert notify(operation) == 200
    payment.refresh_from_db()
    assert payment.state == PaymentState.PAID
    page = payer_client.get(back).content.decode()
    assert "Paiement accepté" in page
    assert states(group) == {InvoiceState.PAID}
    assert acknowledged_payments() == [payment.pk]


def test_paid_with_the_return_before_the_notification_then_the_notification_replayed(
    payer_client, group, regie, adapter, acknowledged_payments
):
    payment, operation = start(payer_client, regie)
    back = answer(payer_client, operation, "payer")
    assert f"idop={operation.idop}" in back
    assert "Paiement accepté" in payer_client.get(back).content.decode()
    assert notify(operation) == 200
    url = reverse("payments:eopayment_notification", args=[regie.code])
    again = adapter.client.post(url, f"idOp={operation.idop}", "application/x-www-form-urlencoded")
    assert again.content == b"replayed"
    assert acknowledged_payments() == [payment.pk]
    assert ProviderEvent.objects.get().payment == payment


def test_never_notified_nor_returned_the_reconciliation_settles_it_once(
    payer_client, group, regie, adapter, acknowledged_payments
):
    payment, operation = start(payer_client, regie)
    answer(payer_client, operation, "payer")
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        counts = payments_reconcile()
    assert counts == {PaymentState.PAID: 1}
    notify(operation)
    assert acknowledged_payments() == [payment.pk]


def test_refused_the_payment_fails_and_the_basket_reopens(payer_client, group, regie, adapter):
    payment, operation = start(payer_client, regie)
    back = answer(payer_client, operation, "refuser")
    assert "Paiement refusé" in payer_client.get(back).content.decode()
    payment.refresh_from_db()
    assert payment.state == PaymentState.FAILED
    assert "Payer les 2 factures" in payer_client.get(BASKET).content.decode()


def test_abandoned_on_payfip_the_payment_ends_once_payfip_stops_waiting(
    payer_client, group, regie, adapter
):
    payment, operation = start(payer_client, regie)
    back = answer(payer_client, operation, "abandonner")
    # eopayment reads PayFiP's « A » as still waiting for 2 minutes (the idop is alive).
    assert "Paiement en cours de confirmation" in payer_client.get(back).content.decode()
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        assert "Paiement expiré" in payer_client.get(back).content.decode()
    payment.refresh_from_db()
    assert payment.state == PaymentState.EXPIRED


def test_an_expired_idop_cannot_be_paid_and_the_delay_is_said_in_french(
    payer_client, group, regie, adapter
):
    payment, operation = start(payer_client, regie)
    page = reverse("payments:payfip_simulator_page") + f"?idop={operation.idop}"
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        content = payer_client.get(page).content.decode()
        assert "Cette opération a expiré" in content
        payer_client.post(page, {"outcome": "payer"})
        resumed = html.unescape(
            payer_client.post(PAY, {"regie": regie.pk}, follow=True).content.decode()
        )
        assert "Le Trésor public n'accepte pas un second paiement des mêmes factures" in resumed
        abandon = reverse("payments:abandon")
        refused = html.unescape(
            payer_client.post(abandon, {"regie": regie.pk}, follow=True).content.decode()
        )
        assert "Le Trésor public n'accepte pas un second paiement" in refused
    operation.refresh_from_db()
    assert operation.result == ""
    with time_machine.travel(timezone.now() + timedelta(minutes=21)):
        assert payments_reconcile() == {PaymentState.EXPIRED: 1}
        second, _operation = start_again(payer_client, regie)
    assert second.pk != payment.pk and refdet_of(second) != refdet_of(payment)


def start_again(client, regie):
    response = client.post(PAY, {"regie": regie.pk})
    assert response.status_code == 302
    payment = Payment.objects.get(state=PaymentState.PENDING)
    return payment, SimulatedPayfipOperation.objects.get(idop=payment.provider_reference)


def test_the_same_reference_twice_within_the_delay_is_refused_by_payfip(regie, adapter):
    arguments = {
        "numcli": "123456",
        "saisie": "T",
        "montant": "1000",
        "refdet": "2026REF1",
        "mel": "camille@example.org",
        "urlnotif": "http://127.0.0.1:8000/n",
        "urlredirect": "http://127.0.0.1:8000/r",
    }
    payfip_simulator.operation_create(arguments)
    with pytest.raises(payfip_simulator.Fault) as refused:
        payfip_simulator.operation_create(arguments)
    assert refused.value.code == "A8"


def test_two_tabs_paying_the_same_group_share_one_payment_and_one_idop(
    payer_client, group, regie, adapter
):
    first = payer_client.post(PAY, {"regie": regie.pk})["Location"]
    second = payer_client.post(PAY, {"regie": regie.pk})["Location"]
    assert first == second
    assert Payment.objects.count() == 1 and SimulatedPayfipOperation.objects.count() == 1


def test_a_notification_about_an_unknown_idop_changes_nothing(payer_client, group, regie, adapter):
    url = reverse("payments:eopayment_notification", args=[regie.code])
    response = adapter.client.post(url, "idOp=0123abcd", "application/x-www-form-urlencoded")
    assert response.content == b"unknown"
    assert (
        adapter.client.post(url, "nothing=1", "application/x-www-form-urlencoded").status_code
        == 400
    )


def test_a_tampered_amount_fails_the_payment_and_flags_the_sum_for_refund(
    payer_client, group, regie, adapter
):
    payment, operation = start(payer_client, regie)
    SimulatedPayfipOperation.objects.filter(pk=operation.pk).update(amount_cents=100)
    answer(payer_client, operation, "payer")
    notify(operation)
    payment.refresh_from_db()
    assert payment.state == PaymentState.FAILED
    assert payment.refund_due == Decimal("1.00")
    assert states(group) == {InvoiceState.TO_PAY}


def test_a_return_naming_another_idop_is_not_believed(payer_client, group, regie, adapter):
    payment, operation = start(payer_client, regie)
    outcome = reverse("payments:outcome", args=[payment.pk])
    page = payer_client.get(f"{outcome}?idop=forged").content.decode()
    assert "Paiement en cours de confirmation" in page


@pytest.mark.parametrize("amount", [Decimal("0.99"), Decimal("99999.99") + Decimal("1.00")])
def test_payfip_limits_refuse_the_group_in_french_before_anything_opens(
    payer_client, household, payer, regie, adapter, amount
):
    invoices = [InvoiceFactory(household=household, regie=regie, amount=amount)]
    if amount > 1:
        invoices.append(InvoiceFactory(household=household, regie=regie, amount=amount))
    for invoice in invoices:
        basket_add_invoice(invoice=invoice, by=payer)
    page = html.unescape(payer_client.post(PAY, {"regie": regie.pk}, follow=True).content.decode())
    assert "accepte de 1 € à 100\u202f000 €" in page
    assert not Payment.objects.exists()


def test_payfip_requires_the_citizens_email(payer_client, group, payer, regie, adapter):
    type(payer).objects.filter(pk=payer.pk).update(email="")
    page = html.unescape(payer_client.post(PAY, {"regie": regie.pk}, follow=True).content.decode())
    assert "demande une adresse électronique" in page
    assert not Payment.objects.exists()


@pytest.fixture
def hung_service():
    """A socket that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/securite"
    listener.close()


@pytest.fixture
def refusing_service():
    """A port nobody listens on."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return f"http://127.0.0.1:{port}/securite"


@pytest.mark.parametrize("service", ["hung_service", "refusing_service"])
def test_a_hung_or_refusing_payfip_keeps_the_basket_within_the_timeout(
    request, payer_client, group, regie, settings, service
):
    settings.PAYFIP_SIMULATOR_ENABLED = True
    settings.PAYFIP_SIMULATOR_URL = request.getfixturevalue(service)
    settings.PAYMENT_PROVIDER_TIMEOUT = 1
    began = time.monotonic()
    page = html.unescape(payer_client.post(PAY, {"regie": regie.pk}, follow=True).content.decode())
    assert time.monotonic() - began < 4
    assert "Le service de paiement ne répond pas" in page
    payment = Payment.objects.get()
    assert payment.is_pending and not payment.provider_reference


def test_the_simulated_payfip_is_a_404_when_it_is_off(client, settings):
    settings.PAYFIP_SIMULATOR_ENABLED = False
    assert client.get(reverse("payments:payfip_simulator_page") + "?idop=x").status_code == 404
    assert (
        client.post(reverse("payments:payfip_simulator_ws"), b"<x/>", "text/xml").status_code == 404
    )


def test_the_simulator_serves_eopaymants_wsdl_with_its_own_address(client, settings):
    settings.PAYFIP_SIMULATOR_ENABLED = True
    wsdl = client.get(reverse("payments:payfip_simulator_ws") + "?wsdl").content.decode()
    assert "recupererDetailPaiementSecurise" in wsdl
    assert "payfip.gouv.fr" not in wsdl


def test_the_purge_deletes_the_simulated_operations_after_a_day(
    payer_client, group, regie, adapter
):
    start(payer_client, regie)
    invoices_purge()
    assert SimulatedPayfipOperation.objects.count() == 1
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        invoices_purge()
    assert not SimulatedPayfipOperation.objects.exists()


@pytest.mark.parametrize("service", ["hung_service", "refusing_service"])
def test_a_notification_while_payfip_hangs_or_refuses_answers_503_within_the_timeout(
    request, payer_client, group, regie, adapter, monkeypatch, settings, service
):
    payment, operation = start(payer_client, regie)
    answer(payer_client, operation, "payer")
    monkeypatch.setattr(eopayment_api, "SESSION", None)
    settings.PAYFIP_SIMULATOR_URL = request.getfixturevalue(service)
    settings.PAYMENT_PROVIDER_TIMEOUT = 1
    url = reverse("payments:eopayment_notification", args=[regie.code])
    began = time.monotonic()
    response = payer_client.post(url, f"idOp={operation.idop}", "application/x-www-form-urlencoded")
    assert time.monotonic() - began < 4
    assert response.status_code == 503
    payment.refresh_from_db()
    assert payment.is_pending
    assert ProviderEvent.objects.get().processed_at is None  # PayFiP's next try is handled.


def test_a_soap_client_reads_the_served_wsdl_and_its_schemas_and_calls_the_service(adapter):
    session = eopayment_api.SESSION
    url = "http://testserver" + reverse("payments:payfip_simulator_ws") + "?wsdl"
    client = zeep.Client(url, transport=zeep.Transport(session=session))
    request_type = client.get_type(
        "{http://securite.service.tpa.cp.finances.gouv.fr/reponse}RecupererDetailClientRequest"
    )
    answer = client.service.recupererDetailClient(request_type(numCli="123456"))
    assert answer.numcli == "123456"
