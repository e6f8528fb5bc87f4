"""The demo of issue 25 (demo/decisions.py): documents, steps and routing are in place, and
`run_deadlines` visibly acts on the demo — once."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from procedures.models import DecisionTemplate, Request, RequestState

pytestmark = pytest.mark.django_db(transaction=True)


def command(name: str) -> str:
    out = StringIO()
    call_command(name, stdout=out)
    return out.getvalue()


def test_run_deadlines_closes_the_waiting_permit_and_refuses_the_silent_booking_once():
    command("seed_demo")
    titles = set(DecisionTemplate.objects.values_list("procedure__slug", "title"))
    assert titles == {
        ("permis-de-stationnement", "Autorisation de stationnement"),
        ("reservation-de-salle", "Confirmation de réservation"),
        ("inscription-scolaire", "Attestation d'inscription scolaire"),
    }
    first = command("run_deadlines")
    assert "classées sans suite : 1" in first and "rejets implicites : 1" in first
    assert "courriels aux agents : 1" in first
    permit = Request.objects.get(
        account__identifier="demo-roux", procedure__slug="permis-de-stationnement"
    )
    booking = Request.objects.get(
        account__identifier="demo-leroy", procedure__slug="reservation-de-salle"
    )
    assert permit.state == RequestState.CLOSED and booking.state == RequestState.REFUSED
    second = command("run_deadlines")
    assert "classées sans suite : 0" in second and "rejets implicites : 0" in second
    assert "courriels aux agents : 0" in second


def test_each_school_clerk_opens_its_school_s_registrations_only(client):
    command("seed_demo")
    registrations = Request.objects.filter(procedure__slug="inscription-scolaire").submitted()
    client.force_login(User.objects.get(identifier="coquelicots"))
    for registration in registrations:
        expected = 200 if "Coquelicots" in registration.service_group.name else 404
        url = reverse("admin:procedures_request_change", args=[registration.pk])
        assert client.get(url).status_code == expected, registration.service_group
    assert {r.service_group.name for r in registrations} >= {
        "Service Scolaire — École maternelle Les Coquelicots",
        "Service Scolaire — École élémentaire Jules-Ferry",
    }
