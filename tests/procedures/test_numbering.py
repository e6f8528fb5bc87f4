"""Numbers under concurrent submissions: PostgreSQL only (SQLite serialises writers anyway)."""

import threading

import pytest
from django.db import connection, connections

from households.services import household_get_or_create
from procedures import services
from procedures.models import Request
from tests.factories import UserFactory
from tests.procedures.factories import bulky_waste, complete_answers

SUBMISSIONS = 12


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_unique_numbers_without_gap():
    if connection.vendor != "postgresql":
        pytest.skip("Concurrency is checked on PostgreSQL (CI runs it).")
    procedure = bulky_waste()
    drafts = []
    for _ in range(SUBMISSIONS):
        citizen = UserFactory()
        household_get_or_create(account=citizen)
        drafts.append(
            (
                citizen,
                services.request_draft_save(
                    account=citizen,
                    procedure=procedure,
                    member=None,
                    answers=complete_answers(procedure, {}),
                ),
            )
        )
    barrier = threading.Barrier(SUBMISSIONS)
    errors = []

    def submit(citizen, draft):
        try:
            barrier.wait()
            services.request_submit(citizen_request=draft, by=citizen)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=pair) for pair in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    serials = sorted(int(n.split("-")[1]) for n in Request.objects.values_list("number", flat=True))
    assert serials == list(range(1, SUBMISSIONS + 1))
