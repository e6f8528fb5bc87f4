"""The desk on the request's admin page: its handler, the colleagues it may go to, the
service's notes, and the three POST views that change them.

``RequestAdmin`` (procedures.admin) takes this mixin: each view is reached only through
``visible_request`` (404 outside the user's themes) and needs the process permission
(403), exactly as the transitions do.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from common.validators import small_number
from procedures.desk import assignment, notes
from procedures.desk.assignment import AssigneeFilter
from procedures.models import Request

__all__ = ["AssigneeFilter", "DeskAdminMixin"]


class DeskAdminMixin:
    @admin.display(description=_("attribuée à"), ordering="assignee__last_name")
    def assignee_name(self, obj: Request) -> str:
        return obj.assignee.get_full_name() or str(obj.assignee) if obj.assignee_id else "—"

    def desk_context(self, request, obj: Request) -> dict:
        can_process = self.has_process_permission(request)
        colleagues = list(assignment.colleagues_for(obj)) if can_process else []
        return {
            "can_process": can_process,
            "assignee": obj.assignee,
            "is_mine": obj.assignee_id == request.user.pk,
            "may_take": can_process and assignment.may_handle(request.user, obj),
            "colleagues": [c for c in colleagues if c.pk != obj.assignee_id],
            "assignment_events": list(obj.assignment_events.select_related("actor")),
            "notes": list(obj.notes.all()),
            "max_note_length": notes.MAX_NOTE_LENGTH,
            "assign_url": reverse("admin:procedures_request_assign", args=[obj.pk]),
            "release_url": reverse("admin:procedures_request_release", args=[obj.pk]),
            "note_url": reverse("admin:procedures_request_note", args=[obj.pk]),
        }

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        if obj is not None:
            context["desk"] = self.desk_context(request, obj)
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def get_urls(self):
        def wrap(view):
            return self.admin_site.admin_view(require_POST(view))

        return [
            path("<int:pk>/attribution/", wrap(self.assign_view), name="procedures_request_assign"),
            path(
                "<int:pk>/liberation/", wrap(self.release_view), name="procedures_request_release"
            ),
            path("<int:pk>/notes/", wrap(self.note_view), name="procedures_request_note"),
            *super().get_urls(),
        ]

    def desk_request(self, request, pk) -> Request:
        if not self.has_process_permission(request):
            raise PermissionDenied
        return self.visible_request(request, pk)

    def back_to(self, citizen_request: Request, anchor: str = "desk"):
        url = reverse("admin:procedures_request_change", args=[citizen_request.pk])
        return redirect(f"{url}#{anchor}")

    def assign_view(self, request, pk):
        citizen_request = self.desk_request(request, pk)
        chosen = request.POST.get("assignee", "")
        if chosen == "me":
            assignee = request.user
        else:
            candidates = assignment.colleagues_for(citizen_request)
            pk = small_number(chosen)
            assignee = candidates.filter(pk=pk).first() if pk is not None else None
        if assignee is None:
            self.message_user(
                request, gettext("Choisissez un agent du service à qui attribuer la demande."),
                messages.ERROR,
            )  # fmt: skip
            return self.back_to(citizen_request)
        try:
            assignment.request_assign(
                citizen_request=citizen_request, assignee=assignee, by=request.user
            )
        except assignment.AssignmentError as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self.message_user(
                request,
                gettext("La demande %(number)s est attribuée à %(name)s.")
                % {"number": citizen_request.number, "name": assignee.get_full_name() or assignee},
                messages.SUCCESS,
            )
        return self.back_to(citizen_request)

    def release_view(self, request, pk):
        citizen_request = self.desk_request(request, pk)
        assignment.request_release(citizen_request=citizen_request, by=request.user)
        self.message_user(
            request,
            gettext("La demande %(number)s n'est plus attribuée.")
            % {"number": citizen_request.number},
            messages.SUCCESS,
        )
        return self.back_to(citizen_request)

    def note_view(self, request, pk):
        citizen_request = self.desk_request(request, pk)
        try:
            notes.request_note_add(
                citizen_request=citizen_request,
                author=request.user,
                text=request.POST.get("text", ""),
            )
        except notes.NoteError as error:
            self.message_user(request, str(error), messages.ERROR)
            return self.back_to(citizen_request, "note-text")
        self.message_user(request, gettext("La note est enregistrée."), messages.SUCCESS)
        return self.back_to(citizen_request, "notes")
