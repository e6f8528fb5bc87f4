"""A request's transitions are described once, on the model: the admin's buttons, the
history's words, the messages and the progress bar are all built from that description,
so adding a step is one edit in models.py."""

import pytest
from django.template.loader import get_template

from notifications.models import MessageKind
from procedures import progress, transitions
from procedures.models import Request, RequestState
from procedures.transitions import REQUIRED_KEYS


def test_every_transition_of_the_model_says_its_label_comment_rule_message_and_step():
    declared = {
        fsm_transition.name: fsm_transition.custom
        for fsm_transition in Request._meta.get_field("state").get_all_transitions(Request)
    }
    assert set(declared) == {known.name for known in transitions.request_transitions()}
    for name, custom in declared.items():
        assert custom.keys() >= REQUIRED_KEYS, name
        assert str(custom["label"]).strip(), name
        assert isinstance(custom["clerk_button"], bool), name
        assert isinstance(custom["comment_required"], bool), name
        if custom["message"] is not None:
            kind, template = custom["message"]
            assert kind in MessageKind.values, name
            get_template(f"notifications/{template}.txt")  # The mail exists.
            get_template(f"notifications/{template}_subject.txt")
            get_template(f"notifications/{template}.html")


def test_the_admin_buttons_come_from_the_model_in_its_order_with_their_exact_labels():
    buttons = [(known.name, str(known.label)) for known in transitions.clerk_transitions()]
    assert buttons == [
        ("start", "Prendre en charge"),
        ("ask_citizen", "Demander des pièces ou informations"),
        ("accept", "Accepter"),
        ("refuse", "Refuser"),
        ("complete", "Terminer"),
    ]
    needs_comment = {
        known.name for known in transitions.clerk_transitions() if known.comment_required
    }
    assert needs_comment == {"ask_citizen", "refuse"}


def test_the_history_names_every_transition_the_citizen_makes_too():
    labels = {known.name: str(known.label) for known in transitions.request_transitions()}
    assert labels["submit"] == "Envoi par le demandeur"
    assert labels["citizen_reply"] == "Réponse du demandeur"
    assert labels["cancel"] == "Annulation par le demandeur"


def test_the_messages_are_those_the_faq_lists():
    messages = {known.name: known.message for known in transitions.request_transitions()}
    assert messages == {
        "submit": (MessageKind.ACKNOWLEDGEMENT, "request_submitted"),
        "start": None,
        "ask_citizen": (MessageKind.INFORMATION, "request_information"),
        "citizen_reply": (MessageKind.ACKNOWLEDGEMENT, "request_reply"),
        "accept": (MessageKind.DECISION, "request_decision"),
        "refuse": (MessageKind.DECISION, "request_decision"),
        "complete": (MessageKind.INFORMATION, "request_done"),
        "cancel": (MessageKind.ACKNOWLEDGEMENT, "request_cancelled"),
        "withdraw": None,  # The closure's own mail lists the requests it stops.
        "inform": (MessageKind.INFORMATION, "request_information"),
        # The deadlines' (issue 25): each a « Décision prise ».
        "close_unanswered": (MessageKind.DECISION, "request_closed"),
        "accept_implicitly": (MessageKind.DECISION, "request_implicit_acceptance"),
        "refuse_implicitly": (MessageKind.DECISION, "request_implicit_refusal"),
    }


def test_every_state_has_one_progress_step_built_from_the_transitions_into_it():
    assert set(progress.STEP_OF_STATE) == set(RequestState.values)
    assert progress.STEP_OF_STATE == {
        RequestState.DRAFT: 0,
        RequestState.SUBMITTED: 1,
        RequestState.IN_PROGRESS: 2,
        RequestState.WAITING: 2,
        RequestState.ACCEPTED: 3,
        RequestState.REFUSED: 4,
        RequestState.DONE: 4,
        RequestState.CANCELLED: 4,
        RequestState.CLOSED: 4,
    }
    for known in transitions.request_transitions():
        if known.target is None:
            assert known.progress_step is None, known.name  # The state stays.
        else:
            assert 0 < known.progress_step <= progress.STEPS, known.name


def test_a_transition_that_forgets_part_of_its_description_is_refused(monkeypatch):
    accepts = [
        fsm_transition  # One per source state.
        for fsm_transition in Request._meta.get_field("state").get_all_transitions(Request)
        if fsm_transition.name == "accept"
    ]
    incomplete = {key: value for key, value in accepts[0].custom.items() if key != "message"}
    for accept in accepts:
        monkeypatch.setattr(accept, "custom", incomplete)
    transitions.request_transitions.cache_clear()
    try:
        with pytest.raises(LookupError, match="message"):
            transitions.request_transitions()
    finally:
        monkeypatch.undo()
        transitions.request_transitions.cache_clear()
