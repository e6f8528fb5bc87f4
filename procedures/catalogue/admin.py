"""The catalogue in the admin: themes, procedures, their fields and documents.

The catalogue is the work of « Administration fonctionnelle » (whole, by its
permissions).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from backoffice.scoping import ScopedAdminMixin
from procedures.catalogue import selectors
from procedures.catalogue.checks import problems
from procedures.catalogue.definition import definition_of
from procedures.catalogue.models import (
    Condition,
    DocumentRequirement,
    FieldBlock,
    Procedure,
    ProcedureField,
    ProcedurePage,
    Street,
    Theme,
)
from procedures.catalogue.processing import DecisionTemplate, ProcedureRoute, ProcedureStep


@admin.register(Theme)
class ThemeAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("title", "slug", "order")
    list_editable = ("order",)
    search_fields = ("title", "description")
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("groups",)
    fields = ("title", "slug", "description", "order", "groups")

    def get_readonly_fields(self, request, obj=None):
        # Which groups handle a theme decides who sees which requests: superusers only.
        if request.user.is_superuser:
            return ()
        return ("groups",)


class ProcedureFieldForm(forms.ModelForm):
    """Its rules are the model's (``ProcedureField.clean``), checked by the form as it saves."""

    class Meta:
        model = ProcedureField
        fields = (
            "name",
            "label",
            "kind",
            "required",
            "help_text",
            "choices",
            "order",
            "page",
            "block",
            "condition_join",
            "minimum",
            "maximum",
            "unit",
            "min_days",
            "max_days",
            "not_before",
            "accept_other",
            "members_of",
            "file_types",
            "file_max_mb",
        )
        widgets = {"choices": forms.Textarea(attrs={"rows": 3, "cols": 30})}


class OwnRowsInline:
    """An inline whose foreign keys offer only the rows of the procedure on the page:
    the pages, blocks and fields of another procedure are never offered."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        for _name, field in formset.form.base_fields.items():
            model = getattr(getattr(field, "queryset", None), "model", None)
            if model in (ProcedurePage, FieldBlock, ProcedureField, DocumentRequirement):
                field.queryset = (
                    model.objects.filter(procedure=obj) if obj else model.objects.none()
                )
        return formset


class ProcedurePageInline(admin.TabularInline):
    model = ProcedurePage
    extra = 0
    fields = ("title", "order", "condition_join")


class FieldBlockInline(OwnRowsInline, admin.TabularInline):
    model = FieldBlock
    extra = 0
    fields = ("label", "name", "page", "min_items", "max_items", "order", "condition_join")


class ProcedureFieldInline(OwnRowsInline, admin.StackedInline):
    model = ProcedureField
    form = ProcedureFieldForm
    extra = 0
    fields = (
        ("label", "name"),
        ("kind", "required", "order"),
        ("page", "block", "condition_join"),
        "help_text",
        "choices",
        ("minimum", "maximum", "unit"),
        ("min_days", "max_days", "not_before"),
        ("accept_other", "members_of"),
        ("file_types", "file_max_mb"),
    )


class DocumentRequirementInline(admin.TabularInline):
    model = DocumentRequirement
    extra = 0
    fields = ("label", "help_text", "order", "condition_join")


class ConditionInline(OwnRowsInline, admin.TabularInline):
    """« Afficher … seulement quand … », chosen from lists; checked at save against the
    form as saved (``checks.problems``)."""

    model = Condition
    extra = 0
    fields = ("field", "page", "block", "document", "source", "operator", "value")
    verbose_name_plural = _(
        "conditions d'affichage (enregistrez d'abord les pages, champs et blocs qu'elles nomment)"
    )


# A procedure's processing (procedures.catalogue.processing): its steps, routes, documents.


class ProcedureStepInline(admin.TabularInline):
    model = ProcedureStep
    extra = 0
    fields = ("action", "message_template", "comment_required")


class ProcedureRouteInline(admin.TabularInline):
    """Which group reads which requests: like ``Theme.groups``, superusers alone edit it."""

    model = ProcedureRoute
    extra = 0
    fields = ("answer", "group")

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser or super().has_view_permission(request, obj)


class DecisionTemplateForm(forms.ModelForm):
    """Its placeholders are checked by the model (``DecisionTemplate.clean``) as it saves."""

    class Meta:
        model = DecisionTemplate
        fields = ("outcome", "title", "body", "signatory_name", "signatory_role")
        widgets = {"body": forms.Textarea(attrs={"rows": 8, "cols": 70})}


class DecisionTemplateInline(admin.StackedInline):
    model = DecisionTemplate
    form = DecisionTemplateForm
    extra = 0
    fields = ("outcome", "title", "body", ("signatory_name", "signatory_role"))


class ProcedureAdminForm(forms.ModelForm):
    """Its rules are the model's (``Procedure.clean``), checked by the form as it saves."""

    class Meta:
        model = Procedure
        fields = (
            "theme",
            "title",
            "slug",
            "summary",
            "description",
            "order",
            "kind",
            "certificate",
            "concerns",
            "account_required",
            "captcha_required",
            "published",
            "service_name",
            "service_contact",
            "silence_rule",
            "silence_delay_days",
            "has_appointment",
            "reminder_text",
            "waiting_reminder_days",
            "waiting_closure_days",
            "untaken_alert_days",
            "routing_field",
        )


@admin.register(Procedure)
class ProcedureAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = ProcedureAdminForm
    list_display = (
        "title",
        "theme",
        "kind",
        "certificate",
        "published",
        "account_required",
        "order",
    )
    list_filter = ("theme", "published", "account_required", "kind", "certificate")
    list_select_related = ("theme",)
    search_fields = ("title", "summary", "description", "theme__title")
    prepopulated_fields = {"slug": ("title",)}
    ordering = ("theme__order", "order", "title")
    inlines = [
        ProcedurePageInline,
        FieldBlockInline,
        ProcedureFieldInline,
        DocumentRequirementInline,
        ConditionInline,
        ProcedureStepInline,
        DecisionTemplateInline,
        ProcedureRouteInline,
    ]
    change_form_template = "admin/procedures/procedure/change_form.html"
    actions = ["export_action"]
    fieldsets = (
        (
            _("Démarche"),
            {"fields": ("theme", "title", "slug", "summary", "description", "order")},
        ),
        (
            _("Qui peut la demander"),
            {
                "fields": (
                    "kind",
                    "certificate",
                    "concerns",
                    "account_required",
                    "captcha_required",
                    "published",
                )
            },
        ),
        (
            _("Traitement"),
            {
                "fields": (
                    "service_name",
                    "service_contact",
                    "silence_rule",
                    "silence_delay_days",
                    "has_appointment",
                    "reminder_text",
                )
            },
        ),
        (
            _("Délais qui agissent et aiguillage"),
            {
                "fields": (
                    "waiting_reminder_days",
                    "waiting_closure_days",
                    "untaken_alert_days",
                    "routing_field",
                )
            },
        ),
    )

    def get_readonly_fields(self, request, obj=None):
        # A procedure's theme decides which service reads its requests, as Theme.groups does:
        # once the procedure exists, superusers alone move it.
        # The routing field chooses groups as the routes do: superusers alone set it.
        if obj is not None and not request.user.is_superuser:
            return ("theme", "routing_field")
        if not request.user.is_superuser:
            return ("routing_field",)
        return ()

    def save_related(self, request, form, formsets, change):
        """A saved form is a new version (requests already sent keep theirs); what
        makes it unsound is said at once, and the form is not published meanwhile."""
        super().save_related(request, form, formsets, change)
        procedure = form.instance
        Procedure.objects.filter(pk=procedure.pk).update(revision=F("revision") + 1)
        found = procedure_problems(procedure)
        if found and procedure.published:
            Procedure.objects.filter(pk=procedure.pk).update(published=False)
            found.append(gettext("La démarche est dépubliée tant que ces points restent."))
        for problem in found:
            self.message_user(request, problem, messages.ERROR)

    # « Aperçu » and the exchange file

    def get_urls(self):
        def wrap(view):
            return self.admin_site.admin_view(require_http_methods(["GET", "POST"])(view))

        return [
            path(
                "<int:pk>/apercu/<int:number>/",
                wrap(self.preview_view),
                name="procedures_procedure_preview",
            ),
            path(
                "importer/",
                wrap(self.import_view),
                name="procedures_procedure_import",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request, pk, number):
        procedure = self.get_object(request, pk)
        from procedures.catalogue.preview import preview_response

        return preview_response(request, self, procedure, number)

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        from procedures.catalogue.exchange_views import import_response

        return import_response(request, self)

    @admin.action(description=_("Exporter (fichier JSON à donner à une autre commune)"))
    def export_action(self, request, queryset):
        from procedures.catalogue.exchange_views import export_response

        return export_response(queryset)


def procedure_problems(procedure: Procedure) -> list[str]:
    """``checks.problems`` of the procedure as saved."""
    saved = selectors.procedure_for_exchange(pk=procedure.pk)
    return problems(definition_of(saved), concerns_a_member=saved.concerns_a_member)


@admin.register(Street)
class StreetAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """The town's street register: loaded by ``manage.py import_streets`` from the BAN,
    corrected here when a street is missing."""

    list_display = ("name", "postal_code", "town", "code")
    search_fields = ("name", "code")
    fields = ("name", "postal_code", "town", "code")
