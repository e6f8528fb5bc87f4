"""Periodic work of the payments app (the beat schedule is in settings)."""

from celery import shared_task

from payments import services


@shared_task
def reconcile_payments() -> dict:
    """Every 5 minutes: settle the payments pending for more than 15 minutes."""
    return dict(services.payments_reconcile())
