"""A régie on a bank's system through eopayment (Systempay here): « Payer » shows the
bank's signed form on our page (one button, no script), the bank's signed notification
pays the invoices once, a forged one is refused; its secret never reaches the logs."""

import logging
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlencode

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from payments.models import InvoiceState, Payment, PaymentState, Provider, Regie, RegieDomain
from payments.providers.eopayment_provider import EopaymentProvider
from payments.services import basket_add_invoice, payments_reconcile
from tests.payments.factories import InvoiceFactory

pytestmark = pytest.mark.django_db

SECRET = "SYSTEMPAY-SECRET-1234"
SERVICE = "https://paiement.systempay.fr/vads-payment/"


@pytest.fixture
def regie():
    regie = Regie.objects.create(
        name="Régie des sports",
        code="sports",
        backend=Provider.SYSTEMPAY,
        options={
            "vads_site_id": "12345678",
            "vads_ctx_mode": "TEST",
            "service_url": SERVICE,
            "vads_payment_config": "SINGLE",
        },
        secrets={"secret_test": SECRET},
    )
    RegieDomain.objects.create(regie=regie, domain="extrascolaire")
    return regie


@pytest.fixture
def payment(payer_client, household, payer, regie):
    invoice = InvoiceFactory(household=household, regie=regie, amount=Decimal("48.00"))
    basket_add_invoice(invoice=invoice, by=payer)
    response = payer_client.post(reverse("payments:pay"), {"regie": regie.pk})
    assert response["Location"].endswith("/banque/")
    return Payment.objects.get()


def test_payer_shows_the_banks_signed_form_with_one_button(payer_client, payment):
    page = payer_client.get(reverse("payments:bank_form", args=[payment.pk])).content.decode()
    assert f'action="{SERVICE}"' in page
    assert 'name="signature"' in page and 'name="vads_amount" value="4800"' in page
    assert "Continuer vers la page de paiement de la banque" in page
    assert "submit()" not in page  # No script posts it: the citizen's click does.


def test_another_citizen_cannot_open_the_banks_form(client, other_household, payment):
    client.force_login(other_household.account)
    assert client.get(reverse("payments:bank_form", args=[payment.pk])).status_code == 404


def bank_notification(payment, regie, *, status="AUTHORISED", forge=False) -> bytes:
    fields = dict(payment.checkout_form["fields"])
    fields.pop("signature")
    fields |= {"vads_trans_status": status, "vads_auth_result": "00", "vads_result": "00"}
    backend = EopaymentProvider(Provider.SYSTEMPAY, regie).backend().backend
    fields["signature"] = "forged" if forge else backend.signature(fields)
    return urlencode(fields).encode()


def test_the_banks_signed_notification_pays_once_and_a_replay_changes_nothing(
    client, payment, regie, acknowledged_payments, caplog
):
    url = reverse("payments:eopayment_notification", args=[regie.code])
    body = bank_notification(payment, regie)
    with caplog.at_level(logging.DEBUG):
        response = client.post(url, body, "application/x-www-form-urlencoded")
    assert response.content == b"settled"
    client.post(url, body, "application/x-www-form-urlencoded")
    payment.refresh_from_db()
    assert payment.state == PaymentState.PAID
    assert payment.lines.get().invoice.state == InvoiceState.PAID
    assert acknowledged_payments() == [payment.pk]
    assert "generating signature" in caplog.text and SECRET not in caplog.text


def test_a_forged_notification_is_refused(client, payment, regie):
    url = reverse("payments:eopayment_notification", args=[regie.code])
    body = bank_notification(payment, regie, forge=True)
    response = client.post(url, body, "application/x-www-form-urlencoded")
    assert response.status_code == 400
    payment.refresh_from_db()
    assert payment.is_pending


def test_form_action_allows_payfip_and_the_banks_declared(payer_client, payment):
    policy = payer_client.get(reverse("payments:basket"))["Content-Security-Policy"]
    assert "https://www.payfip.gouv.fr" in policy.split("form-action", 1)[1].split(";")[0]


def test_without_a_notification_the_bank_payment_ends_after_an_hour(payer_client, payment, regie):
    refused = payer_client.post(reverse("payments:abandon"), {"regie": regie.pk}, follow=True)
    assert "peut encore aboutir sur la page de la banque" in refused.content.decode()
    assert payments_reconcile() == {}
    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        assert payments_reconcile() == {PaymentState.EXPIRED: 1}
