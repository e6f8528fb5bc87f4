"""Private notes on a request, between the clerks of its service.

Shown on the request's admin page to those who may open it (its service, superusers),
never to the citizen: no citizen page, mail, PDF, archive or export reads
``Request.notes`` (tests/procedures/test_desk_notes.py searches their text in each).
A note is written once; a correction is a new note. It goes with the request (purge,
account closure) and when a kept request leaves its account
(``procedures.services.requests_detach``).
"""

from django.db import transaction
from django.utils.translation import gettext

from accounts.models import User
from procedures.desk.models import RequestNote
from procedures.models import Request

MAX_NOTE_LENGTH = 5000


class NoteError(Exception):
    """A refused note, with a French message for the clerk."""


@transaction.atomic
def request_note_add(*, citizen_request: Request, author: User, text: str) -> RequestNote:
    text = text.strip()
    if not text:
        raise NoteError(gettext("Écrivez la note avant de l'enregistrer."))
    if "\x00" in text:
        # Pasted from some programs; PostgreSQL stores no NUL in text.
        raise NoteError(gettext("La note contient un caractère nul, invisible : retirez-le."))
    if len(text) > MAX_NOTE_LENGTH:
        raise NoteError(
            gettext("Une note compte au plus %(max)s caractères (elle en compte %(count)s).")
            % {"max": MAX_NOTE_LENGTH, "count": len(text)}
        )
    return RequestNote.objects.create(
        request=citizen_request, author=author, author_name=str(author), text=text
    )
