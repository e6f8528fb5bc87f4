"""Which service group handles a request: the procedure's routing, else its theme's groups.

A procedure may name a choice field (``Procedure.routing_field``, « École souhaitée »)
whose answers each send the request to one group (``ProcedureRoute``); the group is
written on the request when it is sent (``Request.service_group``), so that editing the
routes later moves no request already in a queue. A request without a routed group goes
to the groups of its procedure's theme, as before routing existed.

The admin's scope (procedures.admin), the households a service may read
(households.selectors) and the digest of procedures.deadlines all read it here.
"""

from django.contrib.auth.models import Group
from django.db.models import Q, QuerySet

from procedures.models import Procedure, Request


def routed_group(*, procedure: Procedure, answers: dict) -> Group | None:
    """The group the answer to the routing field chooses, or None (the theme's groups)."""
    if not procedure.routing_field:
        return None
    answer = answers.get(procedure.routing_field)
    if not isinstance(answer, str) or not answer:
        return None
    route = procedure.routes.select_related("group").filter(answer=answer).first()
    return route.group if route is not None else None


def handling_groups(citizen_request: Request) -> list[Group]:
    if citizen_request.service_group_id is not None:
        return [citizen_request.service_group]
    return list(citizen_request.procedure.theme.groups.all())


def handled_by(groups, *, path: str = "") -> Q:
    """The requests (at ``path``) that ``groups`` handle: routed to one of them, or not
    routed and of a theme one of them handles."""
    prefix = f"{path}__" if path else ""
    return Q(**{f"{prefix}service_group__in": groups}) | Q(
        **{f"{prefix}service_group": None, f"{prefix}procedure__theme__groups__in": groups}
    )


def requests_for_staff(queryset: QuerySet[Request], user) -> QuerySet[Request]:
    """A clerk's requests: those of their groups; a superuser's: all."""
    if user.is_superuser:
        return queryset
    handled = Request.objects.filter(handled_by(user.groups.all())).values("pk")
    return queryset.filter(pk__in=handled)
