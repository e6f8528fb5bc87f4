"""Where requests tell the notifications app what happened: one call per event.

The messages themselves (acknowledgement, decision, information, reminders)
belong to the notifications app; procedures only says which event occurred.
"""

from django.dispatch import Signal

# Sent inside the transaction of the change, with ``request`` and ``event`` (a
# RequestEvent). The notifications app writes its outbox rows from it.
request_event = Signal()


def request_changed(request, event) -> None:
    request_event.send(sender=type(request), request=request, event=event)
