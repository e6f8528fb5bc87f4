"""Every retention period of « Données personnelles », applied: one category per line of
the page's table, each able to count (``purge --dry-run``) and to purge.

The periods are settings (``citizen_portal/settings.py``, with their legal reason);
the page reads the same settings, so what it says is what this module does.
"""

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module
from pathlib import Path

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from accounts.models import AccountEvent
from appointments import retention as appointments_retention
from backoffice import journal
from common.private_storage import private_storage
from households.models import HouseholdEvent
from notifications.services import (
    failed_messages_purge,
    failed_messages_to_purge,
    sent_messages_purge,
    sent_messages_to_purge,
)
from payments.services import retention as payments_retention
from privacy import exports, inactivity
from privacy.models import DataExport
from procedures import services as procedures
from procedures.models import Request, RequestDocument
from procedures.pdf import PDF_DIR

# History rows whose old values are gone keep only which fields changed, under this key.
ERASED = "champs_modifies"


def days_ago(now, days: int):
    return now - timedelta(days=days)


# Login traces, sessions, history values: rows with no service of their own app for
# their end; their retention lives here.


def failed_logins(now):
    limit = days_ago(now, settings.LOGIN_ATTEMPT_RETENTION_DAYS)
    return (
        AccessAttempt.objects.filter(attempt_time__lt=limit),
        AccessFailureLog.objects.filter(attempt_time__lt=limit),
    )


def login_logs(now):
    return AccessLog.objects.filter(
        attempt_time__lt=days_ago(now, settings.TECHNICAL_LOG_RETENTION_DAYS)
    )


def expired_sessions(now):
    return Session.objects.filter(expire_date__lt=now)


def sessions_clear(now) -> int:
    """What ``clearsessions`` does, with a count."""
    count = expired_sessions(now).count()
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    return count


def histories_with_values(now):
    limit = days_ago(now, settings.HISTORY_VALUES_RETENTION_DAYS)
    return [
        model.objects.filter(at__lt=limit).exclude(changes={}).exclude(changes__has_key=ERASED)
        for model in (AccountEvent, HouseholdEvent)
    ]


@transaction.atomic
def history_values_erase(now) -> int:
    """Keep that a field changed, not what it was: {"email": {"old", "new"}} → the names."""
    count = 0
    for queryset in histories_with_values(now):
        for event in queryset.select_for_update().only("pk", "changes"):
            event.changes = {ERASED: sorted(event.changes)}
            event.save(update_fields=["changes"])
            count += 1
    return count


# Files that no row names


def named_files() -> set[str]:
    names = set(RequestDocument.objects.values_list("file", flat=True))
    names.update(DataExport.objects.exclude(file="").values_list("file", flat=True))
    return names


def orphan_files(now) -> list[str]:
    """Private files older than ORPHAN_FILE_GRACE_HOURS that no row names: a document or
    an archive without its row, the cached PDFs of a request that is gone."""
    root = Path(private_storage.path(""))
    if not root.is_dir():
        return []
    limit = (now - timedelta(hours=settings.ORPHAN_FILE_GRACE_HOURS)).timestamp()
    named = named_files()
    requests = set(Request.objects.values_list("pk", flat=True))
    orphans = []
    for folder, _dirs, files in os.walk(root):
        for file_name in files:
            path = Path(folder) / file_name
            name = path.relative_to(root).as_posix()
            if path.stat().st_mtime >= limit:
                continue  # Perhaps a row being saved right now.
            parts = name.split("/")
            if parts[0] == PDF_DIR:
                if len(parts) == 3 and parts[1].isdigit() and int(parts[1]) in requests:
                    continue
            elif name in named:
                continue
            orphans.append(name)
    return orphans


def orphan_files_delete(now) -> int:
    orphans = orphan_files(now)
    for name in orphans:
        private_storage.delete(name)
    return len(orphans)


def count_all(querysets) -> int:
    return sum(queryset.count() for queryset in querysets)


def delete_all(querysets) -> int:
    return sum(queryset.delete()[0] for queryset in querysets)


@dataclass(frozen=True)
class Category:
    label: str
    count: Callable
    purge: Callable


def by_keyword(label: str, selector: Callable, purger: Callable) -> Category:
    """A category whose services take ``now=`` and whose selector is a queryset."""
    return Category(label, lambda now: selector(now=now).count(), lambda now: purger(now=now))


def by_rows(label: str, querysets: Callable) -> Category:
    """Rows that nothing else needs: ``querysets(now)`` lists them, counted, then deleted."""
    return Category(
        label, lambda now: count_all(querysets(now)), lambda now: delete_all(querysets(now))
    )


CATEGORIES = (
    by_keyword(
        "avis de suppression pour inactivité (mails)",
        inactivity.accounts_to_warn,
        inactivity.inactive_accounts_warn,
    ),
    by_keyword(
        "compte(s) inactif(s) supprimé(s)",
        inactivity.accounts_to_delete,
        inactivity.inactive_accounts_delete,
    ),
    by_keyword("brouillon(s)", procedures.stale_drafts, procedures.drafts_purge),
    by_keyword(
        "demande(s) sans compte",
        procedures.stale_anonymous_requests,
        procedures.anonymous_requests_purge,
    ),
    by_keyword(
        "demande(s) au terme de leur conservation",
        procedures.stale_requests,
        procedures.requests_purge,
    ),
    by_keyword(
        "facture(s) au terme de leur conservation",
        payments_retention.stale_invoices,
        payments_retention.invoices_purge,
    ),
    by_keyword(
        "rendez-vous au terme de leur conservation",
        appointments_retention.stale_bookings,
        appointments_retention.bookings_purge,
    ),
    by_keyword("message(s) envoyé(s)", sent_messages_to_purge, sent_messages_purge),
    by_keyword("message(s) en échec", failed_messages_to_purge, failed_messages_purge),
    by_rows("tentative(s) de connexion échouée(s)", failed_logins),
    by_rows("journal(aux) de connexion", lambda now: [login_logs(now)]),
    Category(
        "consultation(s) du journal des agents",
        lambda now: journal.stale_entries().count(),
        lambda now: journal.access_entries_purge(),
    ),
    Category("session(s) expirée(s)", lambda now: expired_sessions(now).count(), sessions_clear),
    Category(
        "historique(s) dont les anciennes valeurs sont effacées",
        lambda now: count_all(histories_with_values(now)),
        history_values_erase,
    ),
    by_keyword(
        "archive(s) « Télécharger mes données »", exports.stale_exports, exports.exports_purge
    ),
    # Last: the files of the rows deleted above are gone once their transaction committed.
    Category("fichier(s) sans ligne", lambda now: len(orphan_files(now)), orphan_files_delete),
)


def count_all_categories(*, now=None) -> dict[str, int]:
    """What ``purge`` would do, by category (``--dry-run``)."""
    now = now or timezone.now()
    return {category.label: category.count(now) for category in CATEGORIES}


def purge_all(*, now=None) -> dict[str, int]:
    """Apply every period, one category after the other, each in its own transactions."""
    now = now or timezone.now()
    return {category.label: category.purge(now) for category in CATEGORIES}
