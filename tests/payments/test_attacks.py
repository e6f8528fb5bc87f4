"""Attacks on the basket's posted régie: a value ``str.isdigit()`` accepts and ``int()``
refuses (« ² », thousands of digits) pays nothing and is no 500."""

from urllib.parse import urlencode

import hypothesis
import pytest
from django.urls import reverse
from hypothesis import strategies as st

from payments.models import Payment, Provider, ProviderEvent, Regie
from tests.payments.payfip_fake import card_regie, payfip_regie
from tests.payments.test_regies import regies, two_groups  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("posted", ["²", "①", "9" * 5000])
@pytest.mark.parametrize("name", ["payments:pay", "payments:abandon"])
def test_a_regie_int_refuses_is_no_500(payer_client, two_groups, posted, name):  # noqa: F811
    response = payer_client.post(reverse(name), {"regie": posted})
    assert response.status_code == 302
    assert response["Location"] == reverse("payments:basket")
    assert not Payment.objects.exists()


def notification_regies() -> list[Regie]:
    """One régie of each kind a town declares: PayFiP (simulated), a bank's system, the
    portal's own simulated card page."""
    payfip, card = payfip_regie(), card_regie()
    bank = Regie.objects.create(
        name="Régie des sports",
        code="sports",
        backend=Provider.SYSTEMPAY,
        options={"vads_site_id": "12345678", "vads_ctx_mode": "TEST"},
        secrets={"secret_test": "SYSTEMPAY-SECRET-1234"},
    )
    return [payfip, card, bank]


NOTICE_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=300)
NOTICE_FIELDS = st.dictionaries(
    st.sampled_from(["idOp", "idop", "vads_trans_id", "signature", "vads_order_id", "x", ""]),
    NOTICE_TEXT,
    max_size=4,
)


@hypothesis.settings(max_examples=60, suppress_health_check=list(hypothesis.HealthCheck))
@hypothesis.given(fields=NOTICE_FIELDS, raw=NOTICE_TEXT, as_query=st.booleans())
def test_a_regies_notification_url_answers_any_input_below_500(
    client, settings, fields, raw, as_query
):
    settings.PAYFIP_SIMULATOR_ENABLED = True
    if not Regie.objects.exists():
        notification_regies()
    for regie in Regie.objects.all():
        url = reverse("payments:eopayment_notification", args=[regie.code])
        if as_query:
            response = client.get(url + "?" + (urlencode(fields) or raw))
        else:
            body = urlencode(fields) if fields else raw
            response = client.post(url, body, "application/x-www-form-urlencoded")
        assert response.status_code < 500, (regie.backend, fields, raw)
    assert not Payment.objects.exists()


def test_a_regie_on_the_simulated_card_page_has_no_notification_url(client):
    """It was a 500 (eopayment has no « simulated » backend) on the demo's conservatoire."""
    regie = card_regie()
    url = reverse("payments:eopayment_notification", args=[regie.code])
    assert client.post(url, "idOp=1", "application/x-www-form-urlencoded").status_code == 404


def test_notifications_about_unknown_idops_leave_no_row_behind(client, settings):
    """A row per unknown idop, with no payment, was never purged: anyone could fill the
    table by posting « idOp=… » to a PayFiP régie's public notification URL."""
    settings.PAYFIP_SIMULATOR_ENABLED = True
    regie = payfip_regie()
    url = reverse("payments:eopayment_notification", args=[regie.code])
    for number in range(3):
        response = client.post(url, f"idOp=inconnu{number}", "application/x-www-form-urlencoded")
        assert response.content == b"unknown"
    assert not ProviderEvent.objects.exists()


def test_a_secret_typed_in_a_form_refused_for_another_field_is_not_shown_back(admin_client):
    """« Les valeurs ne sont plus jamais affichées »: not even on the page that refuses
    the form for another field's sake."""
    from tests.payments.test_regies import regie_added

    response = regie_added(
        admin_client,
        backend=Provider.SYSTEMPAY,
        options="pas du JSON",
        new_secrets="secret_test=TRES-SECRET-42",
    )
    assert response.status_code == 200
    assert not Regie.objects.exists()
    assert "TRES-SECRET-42" not in response.content.decode()


@pytest.mark.parametrize("amount", ["²", "①", "9" * 5000])
def test_the_simulated_payfip_refuses_an_amount_int_refuses_with_its_fault(amount):
    """The SOAP endpoint of a demo server is public: « ² » was a ValueError, not fault A3."""
    from payments import payfip_simulator

    arguments = {
        "numcli": "123456",
        "saisie": "T",
        "montant": amount,
        "refdet": "2026REF1",
        "mel": "camille@example.org",
        "urlnotif": "http://127.0.0.1:8000/n",
        "urlredirect": "http://127.0.0.1:8000/r",
    }
    with pytest.raises(payfip_simulator.Fault) as refused:
        payfip_simulator.operation_create(arguments)
    assert refused.value.code == "A3"


@pytest.mark.parametrize(
    "urls",
    [
        ("http://evil.example/n", "http://127.0.0.1:8000/r"),
        ("http://127.0.0.1:8000/n", "https://evil.example/r"),
        ("http://127.0.0.1:8000/n", "javascript:alert(1)//127.0.0.1:8000"),
        ("http://10.0.0.1/admin", "http://127.0.0.1:8000/r"),
    ],
)
def test_the_simulated_payfip_calls_back_only_the_portals_it_serves(urls, settings):
    """Its web service is public on a demo server: an address of the caller's choosing
    would make it an open redirect and a sender of POSTs to internal addresses."""
    from payments import payfip_simulator

    settings.PAYFIP_SIMULATOR_CALLBACK_HOSTS = ["127.0.0.1:8000"]
    arguments = {
        "numcli": "123456",
        "saisie": "T",
        "montant": "1000",
        "refdet": "2026REF9",
        "mel": "camille@example.org",
        "urlnotif": urls[0],
        "urlredirect": urls[1],
    }
    with pytest.raises(payfip_simulator.Fault) as refused:
        payfip_simulator.operation_create(arguments)
    assert refused.value.code == "A6"
