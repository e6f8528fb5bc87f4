from celery import shared_task

from backoffice import journal


@shared_task
def purge_access_journal() -> int:
    """The access journal is kept ACCESS_JOURNAL_RETENTION_DAYS (six months), not longer."""
    return journal.access_entries_purge()
