"""Each procedure's own steps: which clerk's actions it offers, its messages, its comments.

The state machine stays django-fsm's: steps only narrow it. A crafted POST of an action
the procedure does not use is refused like an illegal one, with nothing changed."""

import pytest
from django.urls import reverse

from notifications.models import Message, MessageTemplate
from procedures import services, transitions
from procedures.models import ProcedureStep, RequestEvent, RequestState, StepAction
from tests.backoffice import personas
from tests.procedures.decisions_helpers import sent_request
from tests.procedures.factories import ProcedureFactory, ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def theme():
    return ThemeFactory(title="État civil", slug="steps-etat-civil")


@pytest.fixture
def service(theme):
    return personas.service_clerk(theme)


@pytest.fixture
def simple(theme):
    """A simple procedure: accepted or refused at once, no « En cours », no pieces asked."""
    procedure = ProcedureFactory(theme=theme, title="Réservation simple")
    ProcedureStep.objects.create(procedure=procedure, action=StepAction.ACCEPT)
    ProcedureStep.objects.create(procedure=procedure, action=StepAction.REFUSE)
    return procedure


def test_the_step_actions_are_the_machine_s_clerk_buttons():
    assert set(StepAction.values) == {t.name for t in transitions.clerk_transitions()}


def test_the_admin_offers_only_the_procedure_s_actions(client, service, citizen, simple):
    sent = sent_request(citizen, simple)
    client.force_login(service)
    page = client.get(reverse("admin:procedures_request_change", args=[sent.pk]))
    names = [button["name"] for button in page.context["transitions"]]
    assert names == ["accept", "refuse"]


def test_a_procedure_without_steps_offers_every_action_as_before(client, service, citizen, theme):
    sent = sent_request(citizen, ProcedureFactory(theme=theme))
    client.force_login(service)
    page = client.get(reverse("admin:procedures_request_change", args=[sent.pk]))
    assert [b["name"] for b in page.context["transitions"]] == ["start", "accept", "refuse"]


def test_a_crafted_post_of_an_unused_action_is_refused_and_changes_nothing(
    client, service, citizen, simple
):
    sent = sent_request(citizen, simple)
    messages_before = Message.objects.count()
    client.force_login(service)
    url = reverse("admin:procedures_request_transition", args=[sent.pk, "start"])
    response = client.post(url, {"comment": ""}, follow=True)
    sent.refresh_from_db()
    assert sent.state == RequestState.SUBMITTED
    told = [str(message) for message in response.context["messages"]]
    assert told == ["Cette démarche n'utilise pas cette action."]
    assert RequestEvent.objects.filter(request=sent).count() == 1  # The sending only.
    assert Message.objects.count() == messages_before


def test_a_step_may_require_a_comment_the_machine_does_not(service, citizen, simple):
    step = simple.steps.get(action=StepAction.ACCEPT)
    step.comment_required = True
    step.save()
    sent = sent_request(citizen, simple)
    with pytest.raises(services.RequestError, match="commentaire est obligatoire"):
        services.request_transition(citizen_request=sent, name="accept", by=service)
    sent.refresh_from_db()
    assert sent.state == RequestState.SUBMITTED


def test_a_refusal_keeps_its_reason_whatever_the_step_says(service, citizen, simple):
    sent = sent_request(citizen, simple)
    with pytest.raises(services.RequestError):
        services.request_transition(citizen_request=sent, name="refuse", by=service)


def test_the_step_s_message_template_is_sent_with_the_decision(
    service, citizen, simple, mailoutbox
):
    template = MessageTemplate.objects.create(
        title="Clés de la salle", body="Retirez les clés au Guichet Unique la veille."
    )
    simple.steps.filter(action=StepAction.ACCEPT).update(message_template=template)
    sent = sent_request(citizen, simple)
    services.request_transition(citizen_request=sent, name="accept", by=service)
    decision = Message.objects.filter(subject__contains="acceptée").get()
    assert "Retirez les clés au Guichet Unique la veille." in decision.body_text
    assert "Retirez les clés au Guichet Unique la veille." in decision.body_html


def test_a_step_s_message_speaks_where_the_machine_is_silent(service, citizen, theme):
    procedure = ProcedureFactory(theme=theme)
    template = MessageTemplate.objects.create(title="Prise en charge", body="Nous étudions.")
    ProcedureStep.objects.create(
        procedure=procedure, action=StepAction.START, message_template=template
    )
    ProcedureStep.objects.create(procedure=procedure, action=StepAction.ACCEPT)
    sent = sent_request(citizen, procedure)
    services.request_transition(citizen_request=sent, name="start", by=service)
    assert Message.objects.filter(body_text__contains="Nous étudions.").count() == 1
