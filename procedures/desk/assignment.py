"""Who handles a request: « Je m'en occupe », « Attribuer à » a colleague, « Libérer ».

A request is handled by one clerk of its service at most (``Request.assignee``). The
colleagues one may assign it to are the active staff of the groups that handle its
theme: a request never goes to someone who cannot open it. Each change writes an
``AssignmentEvent`` in the same transaction; none is sent or shown to the citizen.
"""

from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from procedures.desk.models import AssignmentEvent
from procedures.models import Request


class AssignmentError(Exception):
    """A refused change, with a French message for the clerk."""


def colleagues_for(citizen_request: Request) -> QuerySet[User]:
    """The staff who may handle the request: active members of a group of its theme."""
    return (
        User.objects.filter(
            is_active=True, is_staff=True, groups__theme=citizen_request.procedure.theme_id
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def may_handle(user: User, citizen_request: Request) -> bool:
    return user.is_superuser or colleagues_for(citizen_request).filter(pk=user.pk).exists()


def name_of(user: User | None) -> str:
    return str(user) if user is not None else ""


@transaction.atomic
def request_assign(*, citizen_request: Request, assignee: User, by: User) -> Request:
    """Give the request to ``assignee`` (``by`` itself for « Je m'en occupe »).

    Locks the row: two clerks pressing « Je m'en occupe » together end with one
    handler and one history row each, in order. Assigning to the current handler
    changes nothing and writes nothing."""
    locked = Request.objects.select_for_update().get(pk=citizen_request.pk)
    if not may_handle(assignee, locked):
        raise AssignmentError(
            gettext("%(name)s ne fait pas partie du service qui traite cette demande.")
            % {"name": assignee}
        )
    if locked.assignee_id == assignee.pk:
        return locked
    kind = AssignmentEvent.Kind.TAKEN if assignee.pk == by.pk else AssignmentEvent.Kind.ASSIGNED
    return handler_change(locked, assignee=assignee, by=by, kind=kind)


@transaction.atomic
def request_release(*, citizen_request: Request, by: User) -> Request:
    """Nobody handles the request any more: it is back in « Non attribuées »."""
    locked = Request.objects.select_for_update().get(pk=citizen_request.pk)
    if locked.assignee_id is None:
        return locked
    return handler_change(locked, assignee=None, by=by, kind=AssignmentEvent.Kind.RELEASED)


def handler_change(locked: Request, *, assignee: User | None, by: User, kind: str) -> Request:
    """Save the new handler of a locked request and write its history row."""
    previous = locked.assignee
    locked.assignee = assignee
    locked.save(update_fields=["assignee", "updated_at"])
    AssignmentEvent.objects.create(
        request=locked,
        actor=by,
        kind=kind,
        previous_name=name_of(previous),
        assignee_name=name_of(assignee),
    )
    return locked


MINE = "mine"
NOBODY = "nobody"


class AssigneeFilter(admin.SimpleListFilter):
    """The queue's « Mes demandes » and « Non attribuées »."""

    title = _("attribution")
    parameter_name = "attribution"

    def lookups(self, request, model_admin):
        return [(MINE, _("Mes demandes")), (NOBODY, _("Non attribuées"))]

    def queryset(self, request, queryset):
        if self.value() == MINE:
            return queryset.filter(assignee=request.user)
        if self.value() == NOBODY:
            return queryset.filter(assignee__isnull=True)
        return queryset
