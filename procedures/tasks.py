"""Periodic work of the procedures app."""

from celery import shared_task

from procedures import services


@shared_task
def purge_drafts() -> int:
    """Drafts are kept 30 days after their last change."""
    return services.drafts_purge()
