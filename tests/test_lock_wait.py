"""A lock wait that runs out is the portal's 503 « réessayez dans un instant », never a
500, and nothing is half-saved (issue 23). The SQLite side with real processes is in
tests/test_sqlite_concurrency.py."""

import sqlite3
import threading

import pytest
from django.db import OperationalError, connection, connections, transaction
from django.test import Client
from django.urls import reverse

from citizen_portal.busy import is_lock_timeout
from households.services import household_get_or_create
from procedures import services
from procedures.models import Request, RequestState
from tests.procedures.factories import bulky_waste, complete_answers


def wrapped(error: Exception) -> OperationalError:
    try:
        raise error
    except Exception as cause:
        try:
            raise OperationalError(*cause.args) from cause
        except OperationalError as outer:
            return outer


def test_only_a_lock_wait_is_taken_for_busy():
    assert is_lock_timeout(wrapped(sqlite3.OperationalError("database is locked")))
    assert not is_lock_timeout(wrapped(sqlite3.OperationalError("no such table: x")))
    assert not is_lock_timeout(RuntimeError("database is locked"))


@pytest.mark.django_db
@pytest.mark.urls("tests.error_urls")
def test_the_busy_page_is_a_french_503_with_retry_after():
    response = Client(raise_request_exception=False).get("/essai/verrou/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    assert '<html lang="fr">' in page
    assert "réessayez dans un instant" in page
    assert "Code d'erreur : 503" in page


@pytest.mark.django_db(transaction=True)
def test_a_row_lock_held_too_long_gives_503_and_leaves_the_draft_whole(citizen):
    """PostgreSQL: a clerk's transaction holds the request; « Envoyer ma demande » waits
    lock_timeout (short here), then the citizen reads « réessayez dans un instant »."""
    if connection.vendor != "postgresql":
        pytest.skip("lock_timeout de PostgreSQL : vérifié sur PostgreSQL (la CI le fait).")
    household_get_or_create(account=citizen)
    procedure = bulky_waste()
    draft = services.request_draft_save(
        account=citizen, procedure=procedure, member=None, answers=complete_answers(procedure, {})
    )
    holding, release = threading.Event(), threading.Event()

    def hold_the_row():
        try:
            with transaction.atomic():
                Request.objects.select_for_update().get(pk=draft.pk)
                holding.set()
                release.wait(30)
        finally:
            holding.set()
            connections.close_all()

    holder = threading.Thread(target=hold_the_row)
    holder.start()
    try:
        assert holding.wait(30)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '300ms'")
        browser = Client(raise_request_exception=False)
        browser.force_login(citizen)
        response = browser.post(reverse("procedures:summary", args=[draft.pk]))
    finally:
        release.set()
        holder.join(30)
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
    assert response.status_code == 503
    assert "réessayez dans un instant" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == RequestState.DRAFT and draft.number is None
    assert not draft.events.exists()
