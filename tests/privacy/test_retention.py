"""A citizen walked through every retention period with time-machine: the mail before
deletion, the deletion, what stays, and for how long."""

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.management import call_command

from accounts.models import AccountEvent, User
from households.models import Household, HouseholdEvent
from notifications.models import Message, MessageKind, MessageStatus
from payments.models import Invoice, Payment
from privacy.models import DeletionNotice
from procedures import services as procedures
from procedures.models import Request, RequestDocument
from tests.privacy.conftest import files_on_disk, make_full, sent_request
from tests.procedures.factories import bulky_waste

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
T0 = datetime(2026, 1, 5, 10, tzinfo=PARIS)


def purge(capture, *args) -> str:
    out = StringIO()
    with capture(execute=True):
        call_command("purge", *args, stdout=out)
    return out.getvalue()


def line(out: str, count: int, label: str) -> bool:
    return f"  {count} {label}\n" in out


@pytest.fixture
def walked(citizen, clerk, time_machine, django_capture_on_commit_callbacks):
    """The full household at T0, every request decided, last login at T0."""
    time_machine.move_to(T0, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        full = make_full(citizen, clerk)
        procedures.request_transition(
            citizen_request=full.sent, name="refuse", by=clerk, comment="Non"
        )
        procedures.request_transition(citizen_request=full.civil_status, name="complete", by=clerk)
    User.objects.filter(pk=citizen.pk).update(last_login=T0)
    return full


def test_an_inactive_citizen_is_warned_then_deleted_and_what_the_law_keeps_stays_its_time(
    walked, time_machine, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    email = walked.citizen.email
    assert len([f for f in files_on_disk() if f.startswith("documents/")]) == 2

    # 334 days: nothing yet.
    time_machine.move_to(T0 + timedelta(days=334), tick=False)
    mail.outbox.clear()
    out = purge(capture)
    assert line(out, 0, "avis de suppression pour inactivité (mails)")
    assert mail.outbox == []

    # 336 days (a year minus 30 days, passed): the mail, once.
    time_machine.move_to(T0 + timedelta(days=336), tick=False)
    assert line(purge(capture, "--dry-run"), 1, "avis de suppression pour inactivité (mails)")
    assert mail.outbox == []
    out = purge(capture)
    assert line(out, 1, "avis de suppression pour inactivité (mails)")
    assert [m.to for m in mail.outbox] == [[email]]
    notice = mail.outbox[0]
    assert notice.subject.startswith("Votre compte sera supprimé le 6 janvier 2027")
    assert "il suffit de vous connecter" in notice.body
    time_machine.move_to(T0 + timedelta(days=350), tick=False)
    purge(capture)
    assert len(mail.outbox) == 1
    assert User.objects.filter(pk=walked.citizen.pk).exists()

    # A year and two days: the account goes, and a mail says so.
    time_machine.move_to(T0 + timedelta(days=367), tick=False)
    out = purge(capture, "--dry-run")
    assert line(out, 1, "compte(s) inactif(s) supprimé(s)")
    out = purge(capture)
    assert line(out, 1, "compte(s) inactif(s) supprimé(s)")
    assert not User.objects.filter(pk=walked.citizen.pk).exists()
    assert not Household.objects.exists() and not HouseholdEvent.objects.exists()
    assert not AccountEvent.objects.exists() and not DeletionNotice.objects.exists()
    assert not RequestDocument.objects.exists()
    assert [f for f in files_on_disk() if f.startswith("documents/")] == []
    assert mail.outbox[-1].subject == "Votre compte a été supprimé"
    assert mail.outbox[-1].to == [email]
    # What stays: the civil-status request, detached; the invoices and the payment.
    kept = Request.objects.get()
    assert kept.pk == walked.civil_status.pk and kept.account is None
    assert kept.contact_email == ""
    assert Invoice.objects.filter(household=None).count() == 2
    assert Invoice.objects.get(pk=walked.paid_invoice.pk).debtor_name == "Camille MARTIN"
    assert Payment.objects.get().household is None

    # Five years after the decision, the civil-status request goes too.
    time_machine.move_to(T0 + timedelta(days=5 * 365), tick=False)
    purge(capture)
    assert Request.objects.count() == 1
    time_machine.move_to(T0 + timedelta(days=5 * 366 + 1), tick=False)
    out = purge(capture)
    assert line(out, 1, "demande(s) au terme de leur conservation")
    assert not Request.objects.exists()

    # Ten years after they were issued, the invoices and the payment.
    time_machine.move_to(T0 + timedelta(days=10 * 365 - 20), tick=False)
    purge(capture)
    assert Invoice.objects.count() == 2
    time_machine.move_to(T0 + timedelta(days=10 * 366), tick=False)
    out = purge(capture)
    assert line(out, 2, "facture(s) au terme de leur conservation")
    assert not Invoice.objects.exists() and not Payment.objects.exists()
    # And the mails about the deletion, a year after they were sent.
    assert not Message.objects.exists()


def test_a_login_after_the_mail_keeps_the_account(
    walked, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(T0 + timedelta(days=336), tick=False)
    purge(django_capture_on_commit_callbacks)
    assert DeletionNotice.objects.count() == 1
    User.objects.filter(pk=walked.citizen.pk).update(last_login=T0 + timedelta(days=340))
    time_machine.move_to(T0 + timedelta(days=400), tick=False)
    out = purge(django_capture_on_commit_callbacks)
    assert line(out, 0, "compte(s) inactif(s) supprimé(s)")
    assert User.objects.filter(pk=walked.citizen.pk).exists()
    # Warned again a year after that login, not before.
    time_machine.move_to(T0 + timedelta(days=340 + 336), tick=False)
    mail.outbox.clear()
    purge(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1


def test_an_account_with_a_request_still_open_is_left_alone(
    citizen, clerk, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(T0, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        make_full(citizen, clerk)  # A request sent, not decided.
    time_machine.move_to(T0 + timedelta(days=800), tick=False)
    out = purge(django_capture_on_commit_callbacks)
    assert line(out, 0, "avis de suppression pour inactivité (mails)")
    assert line(out, 0, "compte(s) inactif(s) supprimé(s)")
    assert User.objects.filter(pk=citizen.pk).exists()


def test_an_active_citizens_requests_go_five_years_after_the_decision_with_their_files(
    citizen, clerk, time_machine, django_capture_on_commit_callbacks
):
    procedure = bulky_waste()
    time_machine.move_to(T0, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        old = sent_request(citizen, procedure)
        procedures.request_transition(citizen_request=old, name="refuse", by=clerk, comment="Non")
    time_machine.move_to(T0 + timedelta(days=3 * 365), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        recent = sent_request(citizen, procedure)
        procedures.request_transition(
            citizen_request=recent, name="refuse", by=clerk, comment="Non"
        )
    time_machine.move_to(T0 + timedelta(days=5 * 365 + 2), tick=False)
    User.objects.filter(pk=citizen.pk).update(last_login=T0 + timedelta(days=5 * 365))
    out = purge(django_capture_on_commit_callbacks)
    assert line(out, 1, "demande(s) au terme de leur conservation")
    assert list(Request.objects.values_list("pk", flat=True)) == [recent.pk]
    assert files_on_disk() == [recent.documents.get().file.name]


def test_login_traces_sessions_failed_messages_and_old_values_go_after_their_period(
    citizen, time_machine, django_capture_on_commit_callbacks
):
    from accounts.services import account_update
    from households.services import household_get_or_create

    time_machine.move_to(T0, tick=False)
    household_get_or_create(account=citizen)
    account_update(account=citizen, by=citizen, phone="07 11 11 11 11")
    common = {"ip_address": "192.0.2.1", "user_agent": "Firefox", "username": "cit00001"}
    AccessAttempt.objects.create(failures_since_start=1, get_data="", post_data="", **common)
    AccessFailureLog.objects.create(**common)
    AccessLog.objects.create(**common)
    session = SessionStore()
    session["x"] = 1
    session.create()
    Message.objects.create(
        kind=MessageKind.INFORMATION,
        account=citizen,
        to_email=citizen.email,
        subject="Échec",
        body_text="…",
        body_html="…",
        status=MessageStatus.FAILED,
    )

    time_machine.move_to(T0 + timedelta(days=31), tick=False)
    User.objects.filter(pk=citizen.pk).update(last_login=T0 + timedelta(days=31))
    out = purge(django_capture_on_commit_callbacks)
    assert line(out, 2, "tentative(s) de connexion échouée(s)")
    assert line(out, 1, "session(s) expirée(s)")
    assert not AccessAttempt.objects.exists() and not AccessFailureLog.objects.exists()
    assert AccessLog.objects.exists() and not Session.objects.exists()
    assert Message.objects.exists()

    time_machine.move_to(T0 + timedelta(days=184), tick=False)
    User.objects.filter(pk=citizen.pk).update(last_login=T0 + timedelta(days=184))
    out = purge(django_capture_on_commit_callbacks)
    assert line(out, 1, "journal(aux) de connexion")
    assert line(out, 1, "message(s) en échec")
    assert not AccessLog.objects.exists()
    assert not Message.objects.filter(status=MessageStatus.FAILED).exists()
    assert AccountEvent.objects.get(kind="updated").changes["phone"]["new"] == "07 11 11 11 11"

    time_machine.move_to(T0 + timedelta(days=366), tick=False)
    User.objects.filter(pk=citizen.pk).update(last_login=T0 + timedelta(days=366))
    out = purge(django_capture_on_commit_callbacks)
    assert line(
        out, 3, "historique(s) dont les anciennes valeurs sont effacées"
    )  # Account, holder added, holder synced.
    event = AccountEvent.objects.get(kind="updated")
    assert event.changes == {"champs_modifies": ["phone"]}
    assert "07 11" not in str(HouseholdEvent.objects.values_list("changes", flat=True))
    out = purge(django_capture_on_commit_callbacks)
    assert line(out, 0, "historique(s) dont les anciennes valeurs sont effacées")


def test_beat_runs_the_whole_purge_nightly(settings):
    from citizen_portal.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["purge-nightly"]
    assert entry["schedule"].hour == {3}
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
    assert isinstance(app.tasks[entry["task"]].delay().get(), dict)


def test_the_privacy_page_reads_the_periods_from_settings(client, db, settings):
    settings.ACCOUNT_INACTIVITY_DAYS = 730
    settings.REQUEST_RETENTION_YEARS = 6
    settings.TECHNICAL_LOG_RETENTION_DAYS = 365
    settings.DATA_EXPORT_LIFETIME_HOURS = 48
    page = client.get("/donnees-personnelles/").content.decode()
    assert "au plus tard 2 ans après votre dernière connexion" in page
    assert "6 ans après la décision" in page
    assert "48 heures après sa préparation" in page
