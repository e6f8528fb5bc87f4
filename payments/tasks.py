"""Periodic work of the payments app (the beat schedule is in settings)."""

import requests
from celery import shared_task

from payments import services


@shared_task
def reconcile_payments() -> dict:
    """Every 5 minutes: settle the payments pending for more than 15 minutes."""
    return dict(services.payments_reconcile())


@shared_task(autoretry_for=(requests.RequestException,), retry_backoff=30, max_retries=5)
def payfip_simulator_notify(operation_pk: int) -> int:
    """The simulated PayFiP's server notification, sent after the citizen's answer."""
    from payments import payfip_simulator

    operation = payfip_simulator.Operation.objects.get(pk=operation_pk)
    return payfip_simulator.notification_send(operation=operation)
