"""What `manage.py seed_demo` shows a newcomer: requests in every state, messages, a draft,
a basket, and a queue for every demo clerk (demo/citizen_requests.py)."""

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import AccountStatus, User
from demo.citizen_requests import QUESTION
from demo.people import DEMO_STAFF
from notifications.models import Message
from payments.models import BasketLine
from procedures.admin import restrict_to_handled_themes
from procedures.models import Request, RequestEvent, RequestState

pytestmark = pytest.mark.django_db(transaction=True)


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    return {
        "requests": sorted(Request.objects.values_list("procedure__slug", "account_id", "state")),
        "events": RequestEvent.objects.count(),
        "messages": Message.objects.count(),
        "basket_lines": BasketLine.objects.count(),
        "accounts": User.objects.count(),
    }


def test_the_demo_household_has_a_request_in_every_state_and_a_draft():
    output = seed()
    demo = User.objects.get(identifier="demo")
    states = set(Request.objects.filter(account=demo).values_list("state", flat=True))
    # « Classée sans suite » is the neighbour's that run_deadlines closes (demo.decisions).
    assert states == set(RequestState.values) - {RequestState.CLOSED}
    assert "Demandes de démonstration : 1 « Brouillon »" in output

    waiting = Request.objects.get(account=demo, state=RequestState.WAITING)
    question = waiting.events.get(transition="ask_citizen")
    assert question.comment == QUESTION and question.by_staff
    done = Request.objects.get(account=demo, state=RequestState.DONE)
    assert list(done.events.values_list("transition", flat=True)) == [
        "submit", "start", "accept", "complete"
    ]  # fmt: skip
    assert all(e.at < done.events.last().at for e in done.events.all()[:3])

    mine = Message.objects.filter(account=demo)
    assert mine.filter(read_at__isnull=True).exists()
    assert mine.filter(read_at__isnull=False).exists()
    assert BasketLine.objects.filter(basket__household__account=demo).count() == 1
    assert User.objects.filter(status=AccountStatus.PENDING).count() == 1


def test_every_demo_service_clerk_has_a_queue():
    seed()
    for identifier, (role, *_) in DEMO_STAFF.items():
        if not role.startswith("Service "):
            continue
        clerk = User.objects.get(identifier=identifier)
        queue = restrict_to_handled_themes(
            Request.objects.open(), clerk, theme_path="procedure__theme"
        )
        assert queue.filter(state=RequestState.SUBMITTED).exists(), identifier
        assert queue.filter(state=RequestState.IN_PROGRESS).exists(), identifier


def test_a_second_run_adds_nothing():
    seed()
    first = snapshot()
    seed()
    assert snapshot() == first
