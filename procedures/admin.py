"""The clerks' processing of requests (the catalogue's admin is ``procedures.catalogue.admin``).

A service sees the requests of the themes its groups handle; a
superuser sees all; anything else is 404. The request page is read-only: a
request moves only through the transitions of ``services.request_transition``.
Opening a request, one of its documents or its PDF writes a row of the access
journal (``backoffice.journal``).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from backoffice import journal
from backoffice.scoping import ScopedAdminMixin
from notifications.models import MessageTemplate
from procedures import counter, queue, routing, selectors, services, steps, transitions
from procedures.catalogue import admin as catalogue_admin  # noqa: F401 registers the catalogue
from procedures.decisions import admin as decisions_admin  # noqa: F401 the procedure's previews
from procedures.desk.admin import AssigneeFilter, DeskAdminMixin
from procedures.models import Request, RequestDocument, RequestEvent, Theme
from procedures.views.requests import document_response

PROCESS_PERMISSION = "procedures.change_request"
VIEW_PERMISSIONS = ("procedures.view_request", PROCESS_PERMISSION)


def handled_themes(user) -> QuerySet[Theme]:
    """The themes that the user's groups handle."""
    return Theme.objects.filter(groups__in=user.groups.all())


def restrict_to_handled_themes(queryset: QuerySet, user, *, theme_path: str) -> QuerySet:
    if user.is_superuser:
        return queryset
    return queryset.filter(**{f"{theme_path}__in": handled_themes(user)})


# The requests


class RequestEventInline(admin.TabularInline):
    """The whole history, clerks' names included."""

    model = RequestEvent
    extra = 0
    can_delete = False
    fields = ("at", "action", "from_state", "to_state", "actor_name", "comment")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    def has_view_permission(self, request, obj=None):
        return any(request.user.has_perm(perm) for perm in VIEW_PERMISSIONS)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("action"))
    def action(self, event):
        known = transitions.transition_named(event.transition)
        return known.label if known is not None else event.transition

    @admin.display(description=_("par"))
    def actor_name(self, event):
        if event.actor is None:
            return "—"
        if event.by_staff:
            return gettext("%(actor)s (mairie)") % {"actor": event.actor}
        return str(event.actor)


class TransitionForm(forms.Form):
    comment = forms.CharField(required=False, max_length=5000)
    appointment_date = forms.DateField(
        required=False, error_messages={"invalid": _("La date de passage n'est pas valide.")}
    )


@admin.register(Request)
class RequestAdmin(DeskAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    change_form_template = "admin/procedures/request/change_form.html"
    list_display = (
        "number",
        "procedure",
        "subject_name",
        "state",
        "submitted_at",
        "silence_deadline",
        "waiting_since",
        "assignee_name",
    )
    list_filter = (
        queue.StateFilter,
        AssigneeFilter,
        ("procedure", admin.RelatedOnlyFieldListFilter),
        ("procedure__theme", admin.RelatedOnlyFieldListFilter),
        queue.ChildAgeFilter,
        "submitted_at",
    )
    list_select_related = ("procedure", "assignee")
    date_hierarchy = "submitted_at"
    search_fields = (
        "number",
        "subject_name",
        "account__last_name",
        "account__first_name",
        "account__identifier",
        "contact_email",
        "=tracking_code",
        "answers",
    )
    search_help_text = _(
        "Numéro, nom, identifiant, adresse électronique, code de suivi ou une réponse "
        "(une immatriculation, un SIRET…)."
    )
    ordering = ("-submitted_at", "-pk")
    inlines = [RequestEventInline]
    fieldsets = (
        (
            _("Demande"),
            {
                "fields": (
                    "number",
                    "procedure",
                    "state",
                    "submitted_at",
                    "decided_at",
                    "appointment_date",
                    "form_version",
                    "entered_by",
                )
            },
        ),
        (
            _("Demandeur"),
            {
                "fields": (
                    "account",
                    "member",
                    "subject_name",
                    "subject_birth_date",
                    "address",
                    "contact_email",
                )
            },
        ),
        (_("Réponses"), {"fields": ("answers_table",)}),
        (_("Pièces justificatives"), {"fields": ("documents_list",)}),
    )
    readonly_fields = (
        "number",
        "procedure",
        "state",
        "submitted_at",
        "decided_at",
        "appointment_date",
        "form_version",
        "entered_by",
        "account",
        "member",
        "subject_name",
        "subject_birth_date",
        "address",
        "contact_email",
        "answers_table",
        "documents_list",
    )

    # Who sees and does what

    def scoped_queryset(self, request):
        """The requests of the user's themes, without the list's annotations."""
        queryset = super().get_queryset(request).submitted()
        # The routed group, else the theme's groups (procedures.routing).
        return routing.requests_for_staff(queryset, request.user)

    def get_queryset(self, request):
        return queue.with_waiting_since(self.scoped_queryset(request))

    def get_ordering(self, request):
        # The queue « À traiter » is worked from its oldest request.
        if queue.is_todo_view(request):
            return ("submitted_at", "pk")
        return self.ordering

    def object_queryset(self, request):
        return selectors.request_with_details(self.get_queryset(request))

    def visible_request(self, request, pk) -> Request:
        """The custom views' only door: permission first, then the themes' scope."""
        return self.get_object(request, pk)

    def has_add_permission(self, request):
        return False  # Requests come from citizens.

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # The data a citizen sent is never edited; processing is the transitions below.
        return False

    def has_view_permission(self, request, obj=None):
        return any(request.user.has_perm(perm) for perm in VIEW_PERMISSIONS)

    def has_process_permission(self, request) -> bool:
        return request.user.has_perm(PROCESS_PERMISSION)

    # What the page shows

    @admin.display(description=_("décision implicite le"))
    def silence_deadline(self, obj):
        return queue.silence_cell(obj)

    @admin.display(description=_("en attente du demandeur"))
    def waiting_since(self, obj):
        return queue.waiting_cell(obj)

    @admin.display(description=_("version du formulaire"))
    def form_version(self, obj):
        if obj.definition_revision is None:
            return gettext("le formulaire actuel (demande envoyée avant les versions)")
        return gettext("version %(revision)s, enregistrée avec la demande à l'envoi") % {
            "revision": obj.definition_revision
        }

    @admin.display(description=_("réponses"))
    def answers_table(self, obj):
        files = {doc.field_name: doc for doc in obj.documents.all() if doc.field_name}
        rows = []
        for row in selectors.answers_for_display(obj):
            document = files.get(row["name"])
            value = self.document_link(obj, document) if document else row["value"] or "—"
            rows.append((row["label"], value))
        if not rows:
            return gettext("Cette démarche ne pose pas de question.")
        return format_html(
            '<table><thead><tr><th scope="col">{}</th><th scope="col">{}</th></tr></thead>'
            "<tbody>{}</tbody></table>",
            gettext("Question"),
            gettext("Réponse"),
            format_html_join("", '<tr><th scope="row">{}</th><td>{}</td></tr>', rows),
        )

    @admin.display(description=_("documents"))
    def documents_list(self, obj):
        rows = []
        for row in selectors.documents_for_display(obj):
            document = row["document"]
            if document is None:
                status = gettext("à apporter sur papier au Guichet Unique")
            else:
                status = self.document_link(obj, document)
            rows.append((row["label"], status))
        if not rows:
            return gettext("Aucune pièce justificative.")
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{} : {}</li>", rows))

    def document_link(self, obj, document: RequestDocument):
        url = reverse("admin:procedures_request_document", args=[obj.pk, document.pk])
        return format_html(
            '<a href="{}" download>{}</a> ({})',
            url,
            document.original_name,
            gettext("%(size)s Ko") % {"size": max(1, round(document.size / 1024))},
        )

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        if obj is not None:
            journal.access_record(
                staff=request.user, kind=journal.Kind.REQUEST, obj=obj, citizen=obj.account
            )
        context.update(
            show_save=False,
            show_save_and_continue=False,
            show_save_and_add_another=False,
            show_delete=False,
            transitions=self.allowed_transitions(request, obj) if obj else [],
            can_inform=bool(obj and self.has_process_permission(request) and not obj.is_draft),
            message_templates=MessageTemplate.objects.all(),
            information_text=self.chosen_template_text(request),
            pdf_url=reverse("admin:procedures_request_pdf", args=[obj.pk]) if obj else "",
        )
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def chosen_template_text(self, request) -> str:
        chosen = request.GET.get("modele", "")
        if not chosen.isdigit():
            return ""
        template = MessageTemplate.objects.filter(pk=chosen).first()
        return template.body if template else ""

    def allowed_transitions(self, request, obj: Request) -> list[dict]:
        if not self.has_process_permission(request):
            return []
        available = {t.name for t in obj.get_available_state_transitions()}
        return [
            {
                "name": clerk_transition.name,
                "label": clerk_transition.label,
                "url": reverse(
                    "admin:procedures_request_transition", args=[obj.pk, clerk_transition.name]
                ),
                "comment_required": steps.comment_required(obj.procedure, clerk_transition),
                "asks_date": clerk_transition.sets_appointment and obj.procedure.has_appointment,
            }
            for clerk_transition in transitions.clerk_transitions()
            if clerk_transition.name in available
            and steps.offers(obj.procedure, clerk_transition.name)
        ]

    # Custom views

    def get_urls(self):
        def wrap(view, method):
            return self.admin_site.admin_view(method(view))

        return [
            path(
                "<int:pk>/transition/<str:name>/",
                wrap(self.transition_view, require_POST),
                name="procedures_request_transition",
            ),
            path(
                "<int:pk>/documents/<int:document_pk>/",
                wrap(self.document_view, require_GET),
                name="procedures_request_document",
            ),
            path("<int:pk>/pdf/", wrap(self.pdf_view, require_GET), name="procedures_request_pdf"),
            path(
                "guichet/",
                wrap(self.counter_start_view, require_http_methods(["GET", "POST"])),
                name="procedures_request_counter",
            ),
            path(
                "guichet/<int:pk>/page/<int:number>/",
                wrap(self.counter_page_view, require_http_methods(["GET", "POST"])),
                name="procedures_request_counter_page",
            ),
            path(
                "guichet/<int:pk>/recapitulatif/",
                wrap(self.counter_summary_view, require_http_methods(["GET", "POST"])),
                name="procedures_request_counter_summary",
            ),
            path(
                "<int:pk>/information/",
                wrap(self.inform_view, require_POST),
                name="procedures_request_inform",
            ),
            *super().get_urls(),
        ]

    def transition_view(self, request, pk, name):
        if not self.has_process_permission(request):
            raise PermissionDenied
        citizen_request = self.visible_request(request, pk)
        if transitions.clerk_transition(name) is None:
            raise Http404
        change_url = reverse("admin:procedures_request_change", args=[citizen_request.pk])
        form = TransitionForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    self.message_user(request, error, messages.ERROR)
            return redirect(change_url)
        try:
            citizen_request = services.request_transition(
                citizen_request=citizen_request,
                name=name,
                by=request.user,
                comment=form.cleaned_data["comment"],
                appointment_date=form.cleaned_data["appointment_date"],
            )
        except services.RequestError as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self.message_user(
                request,
                gettext("La demande %(number)s est maintenant « %(state)s ».")
                % {"number": citizen_request.number, "state": citizen_request.get_state_display()},
                messages.SUCCESS,
            )
        return redirect(change_url)

    # « Saisie au guichet » (procedures.counter)

    def counter_start_view(self, request):
        return counter.start_view(request, self)

    def counter_page_view(self, request, pk, number):
        return counter.page_view(request, self, pk, number)

    def counter_summary_view(self, request, pk):
        return counter.summary_view(request, self, pk)

    def inform_view(self, request, pk):
        if not self.has_process_permission(request):
            raise PermissionDenied
        citizen_request = self.visible_request(request, pk)
        try:
            services.request_inform(
                citizen_request=citizen_request, by=request.user, text=request.POST.get("text", "")
            )
        except services.RequestError as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self.message_user(
                request, gettext("L'information est envoyée au demandeur."), messages.SUCCESS
            )
        return redirect(reverse("admin:procedures_request_change", args=[citizen_request.pk]))

    def document_view(self, request, pk, document_pk):
        citizen_request = self.visible_request(request, pk)
        document = get_object_or_404(citizen_request.documents.all(), pk=document_pk)
        journal.access_record(
            staff=request.user,
            kind=journal.Kind.DOCUMENT,
            obj=document,
            citizen=citizen_request.account,
        )
        return document_response(document)

    def pdf_view(self, request, pk):
        citizen_request = self.visible_request(request, pk)
        from procedures.views.pdf import pdf_response  # Written alongside; imported when used.

        journal.access_record(
            staff=request.user,
            kind=journal.Kind.PDF,
            obj=citizen_request,
            citizen=citizen_request.account,
        )
        return pdf_response(request, citizen_request)
