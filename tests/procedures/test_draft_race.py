"""A draft saved in one tab while another tab sends it (issue 23): the save waits for the
sending's lock, reads the request again, and refuses; the sent request keeps its state,
its number and its history."""

import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from households.services import household_get_or_create
from procedures import services
from procedures.models import Request, RequestEvent, RequestState
from tests.procedures.factories import bulky_waste, complete_answers

HOLD_SECONDS = 0.5


def a_draft(citizen):
    household_get_or_create(account=citizen)
    procedure = bulky_waste()
    draft = services.request_draft_save(
        account=citizen,
        procedure=procedure,
        member=None,
        answers=complete_answers(procedure, {}),
    )
    return procedure, draft


def save_over(citizen, procedure, stale):
    """The other tab's « Enregistrer le brouillon », from its copy read as a draft."""
    return services.request_draft_save(
        account=citizen,
        procedure=procedure,
        member=None,
        answers={"objets": "Écrasé ?"},
        citizen_request=stale,
    )


def assert_still_sent(pk: int, number: str) -> None:
    sent = Request.objects.get(pk=pk)
    assert sent.state == RequestState.SUBMITTED
    assert sent.number == number
    assert RequestEvent.objects.filter(request=sent, transition="submit").count() == 1


@pytest.mark.django_db
def test_a_stale_draft_saved_after_the_sending_is_refused(citizen):
    procedure, draft = a_draft(citizen)
    stale = Request.objects.get(pk=draft.pk)  # the other tab's copy, read while a draft
    sent = services.request_submit(citizen_request=draft, by=citizen)
    with pytest.raises(services.RequestError, match="déjà été envoyée"):
        save_over(citizen, procedure, stale)
    assert_still_sent(sent.pk, sent.number)
    assert Request.objects.get(pk=sent.pk).answers != {"objets": "Écrasé ?"}


@pytest.mark.django_db
def test_saving_a_draft_writes_only_the_drafts_own_fields(citizen):
    procedure, draft = a_draft(citizen)
    with CaptureQueriesContext(connection) as queries:
        services.request_draft_save(
            account=citizen,
            procedure=procedure,
            member=None,
            answers={"objets": "Une armoire"},
            citizen_request=draft,
        )
    updates = [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 1
    assert '"state"' not in updates[0] and '"number"' not in updates[0]
    assert Request.objects.get(pk=draft.pk).answers == {"objets": "Une armoire"}


@pytest.mark.django_db(transaction=True)
def test_a_draft_saved_while_another_connection_sends_it_waits_then_refuses(citizen):
    """Two connections on PostgreSQL: the sending holds the row while the save arrives."""
    if connection.vendor != "postgresql":
        pytest.skip("Deux connexions simultanées : vérifié sur PostgreSQL (la CI le fait).")
    procedure, draft = a_draft(citizen)
    stale = Request.objects.get(pk=draft.pk)
    locked, outcome = threading.Event(), {}

    def send_in_another_tab():
        try:
            with transaction.atomic():
                outcome["sent"] = services.request_submit(citizen_request=draft, by=citizen)
                locked.set()
                time.sleep(HOLD_SECONDS)  # the other tab's save arrives meanwhile
        finally:
            locked.set()
            connections.close_all()

    sender = threading.Thread(target=send_in_another_tab)
    sender.start()
    assert locked.wait(30)
    started = time.monotonic()
    with pytest.raises(services.RequestError, match="déjà été envoyée"):
        save_over(citizen, procedure, stale)
    waited = time.monotonic() - started
    sender.join(30)
    assert waited >= HOLD_SECONDS / 2, "the save did not wait for the sending's lock"
    sent = outcome["sent"]
    assert_still_sent(sent.pk, sent.number)
