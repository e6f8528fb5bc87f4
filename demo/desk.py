"""The demo's desk: some open requests handled by a clerk of their service, one given
to a colleague, a few with a note — so that « Mes demandes », « Non attribuées » and
« Notes internes » show something. Safe to run again: a request already handled or
already noted is left as it is."""

from django.contrib.auth.models import Group
from django.db.models import Q

from accounts.models import User
from demo.citizen_requests import demo_identifiers
from demo.people import DEMO_STAFF
from procedures.desk.assignment import request_assign
from procedures.desk.notes import request_note_add
from procedures.models import Request
from procedures.routing import handled_by

NOTES = (
    "Appelé la famille le 3/12, attend le certificat de radiation.",
    "Pièce d'identité lisible ; adresse vérifiée au fichier des électeurs.",
)


def seed() -> int:
    """Returns how many requests are handled by a demo clerk."""
    handled = 0
    for identifier, (role, _first, _last) in DEMO_STAFF.items():
        if not role.startswith("Service "):
            continue
        clerk = User.objects.get(identifier=identifier)
        colleague = (
            User.objects.filter(groups__name=role, is_active=True).exclude(pk=clerk.pk).first()
        )
        requests = (
            Request.objects.open()
            .filter(
                # The requests the role's queue shows: routed to it, or of its themes.
                Q(account__identifier__in=demo_identifiers()),
                handled_by(Group.objects.filter(name=role)),
            )
            .select_related("procedure")
            .order_by("submitted_at", "pk")
            .distinct()
        )
        for index, citizen_request in enumerate(requests[:3]):
            if citizen_request.assignee_id is None and index < 2:
                assignee = colleague if (index == 1 and colleague) else clerk
                request_assign(citizen_request=citizen_request, assignee=assignee, by=clerk)
            if not citizen_request.notes.exists() and index < len(NOTES):
                request_note_add(citizen_request=citizen_request, author=clerk, text=NOTES[index])
        handled += Request.objects.filter(assignee__groups__name=role).distinct().count()
    return handled
