"""What `seed_demo` shows of the clerk's desk (demo/desk.py): requests handled by the
demo clerks, one given to a colleague of « Service Scolaire et périscolaire », notes."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from procedures.models import AssignmentEvent, Request, RequestNote

pytestmark = pytest.mark.django_db(transaction=True)


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_the_demo_has_handled_requests_a_colleague_and_notes(client):
    output = seed()
    sacha = User.objects.get(identifier="scolaire")
    camille = User.objects.get(identifier="cantine")
    assert Request.objects.filter(assignee=sacha).exists()
    assert Request.objects.filter(assignee=camille).exists()
    assert RequestNote.objects.filter(author=sacha).exists()
    assert "Demandes attribuées à un agent" in output

    client.force_login(sacha)
    mine = client.get(
        reverse("admin:procedures_request_changelist"), {"attribution": "mine", "state": "all"}
    )
    assert {r.assignee for r in mine.context["cl"].result_list} == {sacha}
    unassigned = Request.objects.filter(
        assignee__isnull=True, procedure__theme__slug="scolaire-et-periscolaire"
    ).exclude(state="draft")
    page = client.get(reverse("admin:procedures_request_change", args=[unassigned.first().pk]))
    assert "Camille CANTINE" in page.content.decode()


def test_a_second_run_assigns_and_notes_nothing_more():
    seed()
    counts = (AssignmentEvent.objects.count(), RequestNote.objects.count())
    seed()
    assert (AssignmentEvent.objects.count(), RequestNote.objects.count()) == counts
