"""What a request tells its citizen, and when: one call per event, into the outbox.

Which message a transition sends is declared on the transition itself
(``Request``'s ``@transition(custom=...)``, read through procedures.transitions).
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from notifications.models import MessageKind
from notifications.services import message_queue
from notifications.topics import request_topic
from procedures.decisions.files import DECISION_ATTACHMENT, decision_file_name
from procedures.models import DecisionOutcome
from procedures.queue import silence_end
from procedures.steps import step_text
from procedures.transitions import transition_named


def follow_url(citizen_request) -> str:
    if citizen_request.account_id is None:
        return settings.SITE_URL + reverse("procedures:track", args=[citizen_request.tracking_code])
    return settings.SITE_URL + reverse("procedures:detail", args=[citizen_request.pk])


def reminder_sentence(citizen_request) -> str:
    appointment = citizen_request.appointment_date
    day = appointment.strftime("%d/%m/%Y") if appointment else ""
    template = (
        citizen_request.procedure.reminder_text or "la date fixée pour votre demande est le {date}"
    )
    return template.replace("{date}", day)


IMPLICIT = DecisionOutcome.IMPLICIT_ACCEPTANCE


def context_for(citizen_request, event, *, step_text: str = "", document=None) -> dict:
    return {
        # The procedure's own words for this step (procedures.steps), printed as text.
        "step_text": step_text,
        # The attached document is announced by the facts block, not twice.
        "document": document
        if document is None or not document.outcome.startswith("acceptation_")
        else None,
        "silence_date": silence_end(citizen_request),
        "reminder_sentence": reminder_sentence(citizen_request),
        "request": citizen_request,
        "procedure": citizen_request.procedure,
        "event": event,
        "comment": event.comment,
        "follow_url": follow_url(citizen_request),
        "received_at": citizen_request.submitted_at,
    }


def event_dedupe_key(citizen_request_pk: int, event_pk: int) -> str:
    """One message per event of the history (the demo finds it by this key to date it)."""
    return f"{request_topic(citizen_request_pk)}:event:{event_pk}"


def queue(citizen_request, event, kind, template, *, step_text: str = "", document=None):
    attachment = None
    if document is not None:
        attachment = (decision_file_name(document), DECISION_ATTACHMENT, document.pk)
    return message_queue(
        kind=kind,
        template=template,
        context=context_for(citizen_request, event, step_text=step_text, document=document),
        to_email=citizen_request.contact_email,
        account=citizen_request.account,
        topic=request_topic(citizen_request.pk),
        dedupe_key=event_dedupe_key(citizen_request.pk, event.pk),
        attachment=attachment,
    )


def reminder_time(day) -> datetime:
    """The day before, at 8:00 Paris time (TIME_ZONE)."""
    moment = datetime.combine(day - timedelta(days=1), time(settings.REMINDER_HOUR))
    return timezone.make_aware(moment)


def request_changed(citizen_request, event, *, document=None) -> None:
    """Called inside the transaction of every transition (services.record); ``document``:
    what the decision produced (procedures.decisions), attached to its mail."""
    transition = transition_named(event.transition)
    if transition is None:
        return
    text = step_text(citizen_request.procedure, transition.name)
    if transition.message is None:
        if text:  # The procedure speaks where the machine is silent (« Prendre en charge »).
            event.comment = text
            queue(citizen_request, event, MessageKind.INFORMATION, "request_information")
        return
    queue(citizen_request, event, *transition.message, step_text=text, document=document)
    if transition.sets_appointment and citizen_request.appointment_date:
        reminder_schedule(citizen_request, event)


def reminder_schedule(citizen_request, event) -> None:
    appointment = citizen_request.appointment_date
    if appointment < timezone.localdate():
        return
    topic = request_topic(citizen_request.pk)
    message_queue(
        kind=MessageKind.REMINDER,
        template="request_reminder",
        context=context_for(citizen_request, event),
        to_email=citizen_request.contact_email,
        account=citizen_request.account,
        topic=topic,
        send_after=max(reminder_time(appointment), timezone.now()),
        dedupe_key=f"{topic}:reminder:{appointment.isoformat()}",
    )
