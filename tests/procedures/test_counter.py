"""« Saisie au guichet »: a clerk fills a request for a citizen (procedures/counter.py)."""

import pytest
from django.urls import reverse

from notifications.models import Message, MessageKind
from procedures.models import Request, RequestEvent, RequestState, Street
from tests.backoffice import personas
from tests.procedures.factories import demo_form

pytestmark = pytest.mark.django_db

COUNTER = reverse("admin:procedures_request_counter")


@pytest.fixture
def report():
    return demo_form("signaler-un-probleme")


def start(client, procedure, citizen):
    return client.post(COUNTER, {"procedure": procedure.pk, "identifier": citizen.identifier})


def test_the_front_desk_fills_and_sends_a_request_for_a_citizen(client, clerk, citizen, report):
    client.force_login(clerk)
    response = start(client, report, citizen)
    draft = Request.objects.get()
    assert draft.account == citizen and draft.entered_by == clerk and draft.is_draft
    page = reverse("admin:procedures_request_counter_page", args=[draft.pk, 1])
    assert response["Location"] == page
    assert "Étape 1 sur 1 : Votre signalement" in client.get(page).content.decode()
    street = Street.objects.get(name="Place du Marché")
    response = client.post(
        page,
        {
            "f_type_probleme": "Éclairage public",
            "f_numero_lampadaire": "EP-7",
            "f_adresse__numero": "2",
            "f_adresse__voie": str(street.pk),
            "f_description": "Le lampadaire clignote.",
        },
    )
    summary = reverse("admin:procedures_request_counter_summary", args=[draft.pk])
    assert response["Location"] == summary
    assert "EP-7" in client.get(summary).content.decode()
    client.post(summary)
    sent = Request.objects.get()
    assert sent.state == RequestState.SUBMITTED and sent.number
    event = RequestEvent.objects.get(request=sent, transition="submit")
    assert (event.actor, event.by_staff, event.comment) == (clerk, True, "Saisie au guichet")
    # The citizen receives the same acknowledgement as when sending it themselves.
    ack = Message.objects.get(account=citizen, kind=MessageKind.ACKNOWLEDGEMENT)
    assert sent.number in ack.subject or sent.number in ack.body_text
    assert sent.address and sent.contact_email == citizen.email


def test_a_service_fills_only_its_own_procedures(client, citizen, report, other_service_clerk):
    client.force_login(other_service_clerk)
    response = start(client, report, citizen)
    assert response.status_code == 200 and "procedure" in response.context["form"].errors
    assert not Request.objects.exists()


def test_a_clerk_reaches_only_the_counter_drafts_they_started(client, clerk, citizen, report):
    own = Request.objects.create(procedure=report, account=citizen)
    client.force_login(clerk)
    page = reverse("admin:procedures_request_counter_page", args=[own.pk, 1])
    assert client.get(page).status_code == 404
    colleague = personas.colleague()
    started = Request.objects.create(procedure=report, account=citizen, entered_by=colleague)
    page = reverse("admin:procedures_request_counter_page", args=[started.pk, 1])
    assert client.get(page).status_code == 404


def test_an_unknown_or_staff_identifier_is_refused(client, clerk, report):
    client.force_login(clerk)
    response = client.post(COUNTER, {"procedure": report.pk, "identifier": clerk.identifier})
    assert response.context["form"].errors["identifier"] == [
        "Aucun compte validé d'usager n'a cet identifiant."
    ]


def test_roles_without_the_permission_are_refused(client):
    client.force_login(personas.billing_clerk())
    assert client.get(COUNTER).status_code == 403
