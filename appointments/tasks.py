"""Thin Celery tasks of the appointments: they call a service."""

from celery import shared_task

from appointments.ants.calls import calls_push


@shared_task(soft_time_limit=300, time_limit=330)
def push_ants_calls() -> dict:
    """The declarations and deletions due to the ANTS (after a booking, and every minute)."""
    return calls_push()
