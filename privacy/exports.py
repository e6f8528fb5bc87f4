"""The citizen's archive: asked from the page, built by the worker, kept a day.

The page never waits: ``data_export_request`` writes a row and queues the task after
commit (in the embedded default, tasks run eagerly, so the archive is ready when the
page comes back); the page offers the download once the row says « prête ».
"""

import logging
import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from common.files import atomic_with_files
from common.queueing import enqueue_on_commit
from privacy.archive import archive_write
from privacy.models import DataExport

log = logging.getLogger(__name__)
State = DataExport.State
# A pending archive older than this was lost (a worker that died): the citizen may ask again.
PENDING_PATIENCE = timedelta(minutes=30)


def exports_for_account(account: User, *, now=None):
    """The citizen's archives still within their lifetime, newest first."""
    now = now or timezone.now()
    lifetime = timedelta(hours=settings.DATA_EXPORT_LIFETIME_HOURS)
    return DataExport.objects.filter(account=account, requested_at__gte=now - lifetime)


@transaction.atomic
def data_export_request(*, account: User) -> DataExport:
    """« Préparer mes données »: one archive at a time; a second click returns the first."""
    User.objects.select_for_update().filter(pk=account.pk).first()
    recent = timezone.now() - PENDING_PATIENCE
    pending = exports_for_account(account).filter(state=State.PENDING, requested_at__gte=recent)
    existing = pending.first()
    if existing is not None:
        return existing
    export = DataExport.objects.create(account=account)
    from privacy import tasks

    enqueue_on_commit(tasks.build_data_export, export.pk)
    return export


def data_export_build(*, pk: int) -> bool:
    """Build the archive of a pending row; False when there is nothing (left) to build."""
    export = DataExport.objects.select_related("account").filter(pk=pk, state=State.PENDING).first()
    if export is None:
        return False
    try:
        with tempfile.TemporaryFile() as target:
            archive_write(account=export.account, target=target)
            size = target.tell()
            target.seek(0)
            with atomic_with_files():
                locked = DataExport.objects.select_for_update().filter(pk=pk).first()
                if locked is None or locked.state != State.PENDING:
                    return False  # Deleted (account closed) or built by another worker.
                locked.file.save("archive.zip", File(target), save=False)
                locked.state, locked.size, locked.ready_at = State.READY, size, timezone.now()
                locked.save(update_fields=["file", "state", "size", "ready_at"])
    except Exception:
        log.exception("data export %s failed", pk)
        DataExport.objects.filter(pk=pk, state=State.PENDING).update(state=State.FAILED)
        raise
    return True


def stale_exports(*, now=None):
    """Archives past their lifetime (DATA_EXPORT_LIFETIME_HOURS), built or not."""
    lifetime = timedelta(hours=settings.DATA_EXPORT_LIFETIME_HOURS)
    return DataExport.objects.filter(requested_at__lt=(now or timezone.now()) - lifetime)


@transaction.atomic
def exports_purge(*, now=None) -> int:
    """Delete them; their files follow after commit (privacy.receivers)."""
    return stale_exports(now=now).delete()[0]
