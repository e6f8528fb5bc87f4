"""Celery tasks of the outbox; they take primary keys and call the services."""

from celery import shared_task

from notifications import services


# Under STALE_CLAIM (10 min): a worker still sending is never mistaken for a dead one.
# The soft limit ends a stuck attempt as an error (retried); the hard one kills it.
@shared_task(bind=True, acks_late=True, soft_time_limit=240, time_limit=300)
def deliver_message(self, pk: int) -> str:
    outcome, delay = services.message_deliver(pk)
    if outcome == "retry" and not self.request.is_eager:
        # The row is already back to pending with its next time: the beat would find
        # it too, the retry only makes it prompt.
        self.apply_async(args=[pk], countdown=delay)
    return outcome


@shared_task
def requeue_due_messages() -> int:
    return services.messages_requeue()
