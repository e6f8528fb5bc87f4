import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import AccountEvent
from tests.factories import ANSWER, PASSWORD, UserFactory

FORGOTTEN = reverse("accounts:password_forgotten")
LOGIN = reverse("accounts:login")


def ask_question(client, identifier):
    return client.post(FORGOTTEN, {"identifier": identifier})


def answer(client, identifier, text, **extra):
    return client.post(FORGOTTEN, {"identifier": identifier, "answer": text}, **extra)


def question_on(page: str) -> str:
    return re.search(r'id="security-question">(.*?)</legend>', page).group(1)


def temporary_password_from_mail() -> str:
    return re.search(r"Mot de passe temporaire : (\S+)", mail.outbox[-1].body).group(1)


@pytest.fixture
def reset(client, citizen, django_capture_on_commit_callbacks):
    """The citizen answered the question right and received a temporary password."""
    with django_capture_on_commit_callbacks(execute=True):
        answer(client, citizen.identifier, ANSWER)
    return temporary_password_from_mail()


@pytest.mark.django_db
def test_it_shows_the_security_question_of_the_identifier(client, citizen):
    page = ask_question(client, citizen.identifier).content.decode()
    assert citizen.get_security_question_display().replace("'", "&#x27;") in page
    assert "Confirmer" in page


@pytest.mark.django_db
def test_the_identifier_is_posted_never_read_from_the_address(client, citizen):
    page = client.get(FORGOTTEN, {"identifiant": citizen.identifier}).content.decode()
    assert 'id="security-question"' not in page
    assert 'method="post"' in page and 'name="csrfmiddlewaretoken"' in page


@pytest.mark.django_db
def test_without_an_identifier_it_asks_for_one(client):
    page = client.get(FORGOTTEN).content.decode()
    assert 'name="identifier"' in page
    assert "Utilisateur" in page


@pytest.mark.django_db
def test_an_unknown_identifier_looks_exactly_like_a_known_one(
    client, citizen, django_capture_on_commit_callbacks
):
    unknown_page = ask_question(client, "zzzzzzzz").content.decode()
    assert "Confirmer" in unknown_page
    # A made-up question, and a stable one: asking twice does not reveal the trick.
    assert question_on(unknown_page)
    assert question_on(unknown_page) == question_on(
        ask_question(client, "zzzzzzzz").content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        unknown = answer(client, "zzzzzzzz", "Médor")
        known_wrong = answer(client, citizen.identifier, "faux")
        known_right = answer(client, citizen.identifier, ANSWER)
    assert unknown["Location"] == known_wrong["Location"] == known_right["Location"]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [citizen.email]


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["medor", "  MÉDOR ", "Medor"])
def test_the_answer_ignores_case_accents_and_surrounding_spaces(
    client, citizen, typed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer(client, citizen.identifier, typed)
    assert len(mail.outbox) == 1
    assert "Mot de passe temporaire" in mail.outbox[0].body


@pytest.mark.django_db
def test_a_wrong_answer_sends_nothing(client, citizen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        answer(client, citizen.identifier, "Rex")
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_temporary_password_works_once_and_forces_a_new_password(client, citizen, reset):
    assert (
        client.post(LOGIN, {"username": citizen.identifier, "password": reset}).status_code == 302
    )
    response = client.get(reverse("home"))
    assert response["Location"] == reverse("accounts:password_change")
    citizen.refresh_from_db()
    assert citizen.password_change_required and not citizen.temporary_password
    client.logout()
    # Single use: the same temporary password is refused the second time.
    assert (
        client.post(LOGIN, {"username": citizen.identifier, "password": reset}).status_code == 200
    )


@pytest.mark.django_db
def test_the_old_password_keeps_working_until_then(client, citizen, reset):
    assert (
        client.post(LOGIN, {"username": citizen.identifier, "password": PASSWORD}).status_code
        == 302
    )
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_the_temporary_password_expires_after_one_hour(client, citizen, time_machine):
    time_machine.move_to("2026-11-27 10:00 +01:00", tick=False)
    from accounts.services import temporary_password_issue

    raw = temporary_password_issue(account=citizen)
    time_machine.move_to("2026-11-27 11:01 +01:00", tick=False)
    assert client.post(LOGIN, {"username": citizen.identifier, "password": raw}).status_code == 200


@pytest.mark.django_db
def test_the_forced_change_sets_the_new_password_and_mails_the_citizen(
    client, citizen, reset, django_capture_on_commit_callbacks
):
    client.post(LOGIN, {"username": citizen.identifier, "password": reset})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:password_change"),
            {"password1": "Nouveau-Mot2passe!", "password2": "Nouveau-Mot2passe!"},
        )
    assert response["Location"] == reverse("home")
    citizen.refresh_from_db()
    assert citizen.check_password("Nouveau-Mot2passe!")
    assert not citizen.password_change_required
    assert client.get(reverse("home")).status_code == 200  # still logged in
    assert "mot de passe a été changé" in mail.outbox[-1].subject
    kinds = set(AccountEvent.objects.filter(account=citizen).values_list("kind", flat=True))
    assert {"password_reset", "temporary_password_used", "password_changed"} <= kinds


@pytest.mark.django_db
def test_lost_password_answers_are_throttled(client, settings):
    citizen = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        answer(client, citizen.identifier, "faux")
    response = answer(client, citizen.identifier, ANSWER)
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()


@pytest.mark.django_db
def test_staff_cannot_reset_through_the_citizen_path(
    client, clerk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer(client, clerk.identifier, ANSWER)
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_broker_that_is_down_never_turns_into_an_error_page(
    client, citizen, django_capture_on_commit_callbacks
):
    from unittest import mock

    from accounts import tasks

    down = mock.patch.object(tasks.send_temporary_password, "delay", side_effect=OSError("down"))
    with down, django_capture_on_commit_callbacks(execute=True):
        response = answer(client, citizen.identifier, ANSWER)
    assert response["Location"] == reverse("accounts:password_forgotten_done")
