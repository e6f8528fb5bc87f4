"""What a request tells its citizen, and when: one call per event, into the outbox."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from notifications.models import MessageKind
from notifications.services import message_queue

# transition → (kind of message, template)
MESSAGES = {
    "submit": (MessageKind.ACKNOWLEDGEMENT, "request_submitted"),
    "cancel": (MessageKind.ACKNOWLEDGEMENT, "request_cancelled"),
    "citizen_reply": (MessageKind.ACKNOWLEDGEMENT, "request_reply"),
    "accept": (MessageKind.DECISION, "request_decision"),
    "refuse": (MessageKind.DECISION, "request_decision"),
    "ask_citizen": (MessageKind.INFORMATION, "request_information"),
    "inform": (MessageKind.INFORMATION, "request_information"),
    "complete": (MessageKind.INFORMATION, "request_done"),
}


def follow_url(request) -> str:
    if request.account_id is None:
        return settings.SITE_URL + reverse("procedures:track", args=[request.tracking_code])
    return settings.SITE_URL + reverse("procedures:detail", args=[request.pk])


def reminder_sentence(request) -> str:
    day = request.appointment_date.strftime("%d/%m/%Y") if request.appointment_date else ""
    template = request.procedure.reminder_text or "la date fixée pour votre demande est le {date}"
    return template.replace("{date}", day)


def context_for(request, event) -> dict:
    return {
        "reminder_sentence": reminder_sentence(request),
        "request": request,
        "procedure": request.procedure,
        "event": event,
        "comment": event.comment,
        "follow_url": follow_url(request),
        "received_at": request.submitted_at,
    }


def queue(request, event, kind, template):
    return message_queue(
        kind=kind,
        template=template,
        context=context_for(request, event),
        to_email=request.contact_email,
        account=request.account,
        topic=f"request:{request.pk}",
        dedupe_key=f"request:{request.pk}:event:{event.pk}",
    )


def reminder_time(day) -> datetime:
    """The day before, at 8:00 Paris time (TIME_ZONE)."""
    moment = datetime.combine(day - timedelta(days=1), time(settings.REMINDER_HOUR))
    return timezone.make_aware(moment)


def request_changed(request, event) -> None:
    """Called inside the transaction of every transition (services.record)."""
    kind_and_template = MESSAGES.get(event.transition)
    if kind_and_template is None:
        return
    queue(request, event, *kind_and_template)
    if event.transition == "accept" and request.appointment_date:
        reminder_schedule(request, event)


def reminder_schedule(request, event) -> None:
    if request.appointment_date < timezone.localdate():
        return
    at = max(reminder_time(request.appointment_date), timezone.now())
    message_queue(
        kind=MessageKind.REMINDER,
        template="request_reminder",
        context=context_for(request, event),
        to_email=request.contact_email,
        account=request.account,
        topic=f"request:{request.pk}",
        send_after=at,
        dedupe_key=f"request:{request.pk}:reminder:{request.appointment_date.isoformat()}",
    )
