"""Writing and purging the access journal (see ``backoffice.models.AccessEntry``)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from backoffice.models import AccessEntry

Kind = AccessEntry.Kind


def access_record(*, staff, kind: str, obj, citizen=None) -> AccessEntry:
    """One row per opening; ``citizen`` is the person whose data it is (None when anonymous)."""
    return AccessEntry.objects.create(
        staff=staff,
        staff_identifier=staff.identifier,
        citizen=citizen,
        citizen_identifier=citizen.identifier if citizen else "",
        kind=kind,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
    )


def stale_entries():
    cutoff = timezone.now() - timedelta(days=settings.ACCESS_JOURNAL_RETENTION_DAYS)
    return AccessEntry.objects.filter(at__lt=cutoff)


def access_entries_purge() -> int:
    """Delete the rows past their retention period; returns how many."""
    deleted, _ = stale_entries().delete()
    return deleted
