"""Deadlines that act: time-machine walks each one, twice in a row, with no second effect;
a clerk deciding while run_deadlines runs makes one decision and one mail (PostgreSQL)."""

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections

from households.services import household_get_or_create
from notifications.models import Message, MessageKind
from procedures import deadlines, services
from procedures.models import DecisionDocument, Procedure, Request, RequestEvent, RequestState
from tests.backoffice import personas
from tests.factories import UserFactory
from tests.procedures.decisions_helpers import sent_request
from tests.procedures.factories import ProcedureFactory, ThemeFactory

PARIS = ZoneInfo("Europe/Paris")
START = datetime(2030, 3, 4, 9, 0, tzinfo=PARIS)  # A Monday.


def at(days: int, hour: int = 9):
    return time_machine.travel(START + timedelta(days=days, hours=hour - 9), tick=False)


def run_twice() -> tuple[deadlines.DeadlinesReport, deadlines.DeadlinesReport]:
    return deadlines.deadlines_run(), deadlines.deadlines_run()


@pytest.fixture
def theme():
    return ThemeFactory(title="Voirie", slug="delais-voirie")


@pytest.fixture
def service(theme):
    return personas.service_clerk(theme)


def waiting(citizen, service, procedure):
    with at(0):
        sent = sent_request(citizen, procedure)
        services.request_transition(citizen_request=sent, name="start", by=service)
        services.request_transition(
            citizen_request=sent, name="ask_citizen", by=service, comment="Le justificatif."
        )
    return sent


@pytest.mark.django_db
def test_waiting_for_the_citizen_a_reminder_then_the_closure_each_once(citizen, service, theme):
    procedure = ProcedureFactory(theme=theme, waiting_reminder_days=10, waiting_closure_days=20)
    sent = waiting(citizen, service, procedure)
    with at(9):
        first, second = run_twice()
        assert first.reminders == second.reminders == 0
    with at(10):
        first, second = run_twice()
    assert (first.reminders, second.reminders) == (1, 0)
    reminder = Message.objects.get(kind=MessageKind.REMINDER)
    assert "attend toujours" in reminder.body_text and "Le justificatif." in reminder.body_text
    with at(19):
        assert deadlines.deadlines_run().closures == 0
    with at(20):
        first, second = run_twice()
    assert (first.closures, second.closures) == (1, 0)
    sent.refresh_from_db()
    assert sent.state == RequestState.CLOSED
    assert sent.get_state_display() == "Classée sans suite"
    assert RequestEvent.objects.filter(request=sent, transition="close_unanswered").count() == 1
    closing = Message.objects.filter(subject__contains="classée sans suite")
    assert closing.count() == 1
    assert Message.objects.filter(kind=MessageKind.REMINDER).count() == 1


@pytest.mark.django_db
def test_an_answer_of_the_citizen_stops_the_closure(citizen, service, theme):
    procedure = ProcedureFactory(theme=theme, waiting_closure_days=20)
    sent = waiting(citizen, service, procedure)
    with at(15):
        services.request_reply(citizen_request=sent, by=citizen, message="Voici la pièce.")
    with at(25):
        assert deadlines.deadlines_run().closures == 0
    sent.refresh_from_db()
    assert sent.state == RequestState.IN_PROGRESS


@pytest.mark.django_db
def test_the_clerks_get_one_digest_a_day_of_the_requests_nobody_took(citizen, service, theme):
    procedure = ProcedureFactory(theme=theme, untaken_alert_days=3)
    with at(0):
        sent = sent_request(citizen, procedure)
    with at(2):
        assert deadlines.deadlines_run().digests == 0
    with at(3):
        first, second = run_twice()
    assert (first.digests, second.digests) == (1, 0)
    digest = Message.objects.get(to_email=service.email)
    assert sent.number in digest.body_text
    assert digest.account is None  # Not in any citizen's « Messages ».
    with at(4):
        assert deadlines.deadlines_run().digests == 1  # The next day, again.
        services.request_transition(citizen_request=sent, name="start", by=service)
    with at(5):
        assert deadlines.deadlines_run().digests == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rule", "state", "subject"),
    [
        (Procedure.Silence.ACCEPTANCE, RequestState.ACCEPTED, "Décision implicite d'acceptation"),
        (Procedure.Silence.REFUSAL, RequestState.REFUSED, "Décision implicite de rejet"),
    ],
)
def test_the_silence_rule_decides_the_day_after_its_date_once(citizen, theme, rule, state, subject):
    procedure = ProcedureFactory(theme=theme, silence_rule=rule, silence_delay_days=60)
    with at(0):
        sent = sent_request(citizen, procedure)
    with at(60, hour=23):
        first, second = run_twice()
        assert first.implicit_acceptances + first.implicit_refusals == 0
    with at(61, hour=7):
        first, second = run_twice()
    assert (
        first.implicit_acceptances + first.implicit_refusals,
        second.implicit_acceptances + second.implicit_refusals,
    ) == (1, 0)
    sent.refresh_from_db()
    assert sent.state == state
    decision = Message.objects.get(subject__startswith=subject)
    if state == RequestState.ACCEPTED:
        assert "L. 232-3" in decision.body_text
        attestation = DecisionDocument.objects.get(request=sent)
        assert attestation.title == "Attestation de décision implicite d'acceptation"
        assert attestation.decided_on == (START + timedelta(days=60)).date()
        assert decision.attachment_builder == "decision-document"
    else:
        assert "Voies et délais de recours" in decision.body_text
        assert "tribunal administratif" in decision.body_html
        assert not DecisionDocument.objects.filter(request=sent).exists()


@pytest.mark.django_db
def test_run_deadlines_reports_what_it_did(citizen, theme, capsys):
    procedure = ProcedureFactory(
        theme=theme, silence_rule=Procedure.Silence.ACCEPTANCE, silence_delay_days=1
    )
    with at(0):
        sent_request(citizen, procedure)
    with at(2):
        call_command("run_deadlines")
        call_command("run_deadlines")
    out = capsys.readouterr().out.splitlines()
    assert "acceptations implicites : 1" in out[0]
    assert "acceptations implicites : 0" in out[1]


def race_once(procedure, service, outcomes: list) -> tuple[list, int, list[str]]:
    """A clerk accepts while run_deadlines refuses by silence, at the same instant."""
    citizen = UserFactory()
    household_get_or_create(account=citizen)
    with at(0):
        sent = sent_request(citizen, procedure)
    mail.outbox.clear()
    barrier = threading.Barrier(2)
    errors = []

    def clerk_accepts():
        try:
            barrier.wait()
            services.request_transition(
                citizen_request=Request.objects.get(pk=sent.pk), name="accept", by=service
            )
            outcomes.append("clerk")
        except services.RequestError:
            outcomes.append("deadline")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    def deadline_runs():
        try:
            barrier.wait()
            deadlines.deadlines_run()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    with at(31):
        threads = [threading.Thread(target=clerk_accepts), threading.Thread(target=deadline_runs)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    decisions = RequestEvent.objects.filter(
        request=sent, transition__in=["accept", "refuse_implicitly"]
    ).count()
    return errors, decisions, [m.subject for m in mail.outbox if m.subject.startswith("Décision")]


@pytest.mark.django_db(transaction=True)
def test_a_clerk_deciding_while_the_deadline_acts_makes_one_decision_and_one_mail():
    if connection.vendor != "postgresql":
        pytest.skip("Concurrency is checked on PostgreSQL (CI runs it).")
    theme = ThemeFactory(title="Voirie", slug="course-voirie")
    service = personas.service_clerk(theme)
    procedure = ProcedureFactory(
        theme=theme, silence_rule=Procedure.Silence.REFUSAL, silence_delay_days=30
    )
    outcomes = []
    for round_ in range(4):  # Either may win; each round must end with one decision.
        errors, decisions, decision_mails = race_once(procedure, service, outcomes)
        assert errors == [], round_
        assert decisions == 1, round_
        assert len(decision_mails) == 1, decision_mails
    assert len(outcomes) == 4  # Who won is the scheduler's; one decision each time is the point.
