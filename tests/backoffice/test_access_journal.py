"""The access journal: each opening of a citizen's data by staff leaves one row, which
superusers read (by staff member, by citizen), nobody edits, and purge drops after 6 months."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from backoffice.models import AccessEntry
from households.services import household_get_or_create
from procedures import services
from tests.factories import ClerkFactory, UserFactory, role_group
from tests.procedures.conftest import upload
from tests.procedures.factories import DocumentFactory, bulky_waste, complete_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return UserFactory(identifier="chef", is_staff=True, is_superuser=True)


@pytest.fixture
def environment_clerk():
    user = ClerkFactory(identifier="propre")
    user.groups.add(role_group("Service Environnement"))
    return user


@pytest.fixture
def pickup(citizen, environment_clerk):
    procedure = bulky_waste()
    procedure.theme.groups.add(role_group("Service Environnement"))
    requirement = DocumentFactory(procedure=procedure)
    draft = services.request_draft_save(
        account=citizen,
        procedure=procedure,
        member=None,
        answers=complete_answers(procedure, {"objets": "Canapé"}),
        uploads=[(requirement, "", upload("justificatif.pdf"))],
    )
    return services.request_submit(citizen_request=draft, by=citizen)


def entries() -> list[tuple]:
    return list(
        AccessEntry.objects.order_by("pk").values_list(
            "staff_identifier", "kind", "citizen_identifier"
        )
    )


def test_opening_an_account_a_household_a_request_its_document_and_pdf_writes_one_row_each(
    client, clerk, environment_clerk, citizen, pickup
):
    client.force_login(clerk)
    client.get(reverse("admin:accounts_user_change", args=[citizen.pk]))
    household = household_get_or_create(account=citizen)
    client.get(reverse("admin:households_household_change", args=[household.pk]))
    client.get(reverse("admin:accounts_user_changelist"))  # A list opens nobody's data.
    client.force_login(environment_clerk)
    client.get(reverse("admin:procedures_request_change", args=[pickup.pk]))
    document = pickup.documents.get()
    client.get(reverse("admin:procedures_request_document", args=[pickup.pk, document.pk]))
    client.get(reverse("admin:procedures_request_pdf", args=[pickup.pk]))
    assert entries() == [
        (clerk.identifier, "account", citizen.identifier),
        (clerk.identifier, "household", citizen.identifier),
        ("propre", "request", citizen.identifier),
        ("propre", "document", citizen.identifier),
        ("propre", "pdf", citizen.identifier),
    ]


def test_what_one_may_not_open_leaves_no_row(client, clerk, citizen, pickup):
    client.force_login(clerk)  # « Accueil » processes no request.
    response = client.get(reverse("admin:procedures_request_change", args=[pickup.pk]))
    assert response.status_code == 403
    assert entries() == []


def test_superusers_read_the_journal_by_staff_member_and_by_citizen(
    client, clerk, superuser, citizen, other_citizen
):
    client.force_login(clerk)
    client.get(reverse("admin:accounts_user_change", args=[citizen.pk]))
    client.get(reverse("admin:accounts_user_change", args=[other_citizen.pk]))
    client.force_login(superuser)
    url = reverse("admin:backoffice_accessentry_changelist")
    by_citizen = client.get(url, {"citizen_identifier": citizen.identifier})
    assert [e.citizen for e in by_citizen.context["cl"].result_list] == [citizen]
    by_staff = client.get(url, {"staff__id__exact": clerk.pk})
    assert len(by_staff.context["cl"].result_list) == 2
    assert client.get(url, {"staff__id__exact": superuser.pk}).context["cl"].result_count == 0


def test_nobody_edits_the_journal_not_even_a_superuser(client, clerk, superuser, citizen):
    client.force_login(clerk)
    client.get(reverse("admin:accounts_user_change", args=[citizen.pk]))
    entry = AccessEntry.objects.get()
    client.force_login(superuser)
    change = reverse("admin:backoffice_accessentry_change", args=[entry.pk])
    assert client.get(change).status_code == 200  # Read-only.
    client.post(change, {"staff_identifier": "quelquun", "kind": "pdf"})
    assert (
        client.post(
            reverse("admin:backoffice_accessentry_delete", args=[entry.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert client.get(reverse("admin:backoffice_accessentry_add")).status_code == 403
    entry.refresh_from_db()
    assert (entry.staff_identifier, entry.kind) == (clerk.identifier, "account")
    client.force_login(clerk)
    assert client.get(change).status_code == 403


def test_purge_drops_the_rows_older_than_six_months(clerk, citizen):
    from backoffice import journal

    old = journal.access_record(
        staff=clerk, kind=journal.Kind.ACCOUNT, obj=citizen, citizen=citizen
    )
    AccessEntry.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=184))
    recent = journal.access_record(
        staff=clerk, kind=journal.Kind.ACCOUNT, obj=citizen, citizen=citizen
    )
    out = StringIO()
    call_command("purge", "--dry-run", stdout=out)
    assert "  1 consultation(s) du journal des agents\n" in out.getvalue()
    call_command("purge", stdout=out)
    assert list(AccessEntry.objects.values_list("pk", flat=True)) == [recent.pk]


def test_the_journal_outlives_a_deleted_staff_account(clerk, citizen):
    from backoffice import journal

    journal.access_record(staff=clerk, kind=journal.Kind.ACCOUNT, obj=citizen, citizen=citizen)
    identifier = clerk.identifier
    clerk.delete()
    entry = AccessEntry.objects.get()
    assert entry.staff is None and entry.staff_identifier == identifier


def test_beat_purges_the_journal_daily_and_the_privacy_page_says_how_long(
    client, clerk, citizen, settings
):
    from backoffice import journal
    from citizen_portal.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["purge-access-journal"]
    assert entry["schedule"] <= 86400
    old = journal.access_record(
        staff=clerk, kind=journal.Kind.ACCOUNT, obj=citizen, citizen=citizen
    )
    AccessEntry.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=200))
    app.loader.import_default_modules()  # What a worker does at start: autodiscovery.
    assert app.tasks[entry["task"]].delay().get() == 1
    assert not AccessEntry.objects.exists()

    settings.ACCESS_JOURNAL_RETENTION_DAYS = 90
    page = client.get(reverse("privacy")).content.decode()
    assert "Journal des consultations de vos données par les agents" in page
    assert "90 jours" in page
