"""The catalogue in the admin: themes, procedures, their fields and documents.

The catalogue is the work of « Administration fonctionnelle » (whole, by its
permissions).
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from backoffice.scoping import ScopedAdminMixin
from procedures.catalogue.models import DocumentRequirement, Procedure, ProcedureField, Theme
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
        fields = ("name", "label", "kind", "required", "help_text", "choices", "order")
        widgets = {"choices": forms.Textarea(attrs={"rows": 3, "cols": 30})}


class ProcedureFieldInline(admin.StackedInline):
    model = ProcedureField
    form = ProcedureFieldForm
    extra = 0
    fields = (("label", "name"), ("kind", "required", "order"), "help_text", "choices")


class DocumentRequirementInline(admin.TabularInline):
    model = DocumentRequirement
    extra = 0
    fields = ("label", "help_text", "order")


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
        ProcedureFieldInline,
        DocumentRequirementInline,
        ProcedureStepInline,
        DecisionTemplateInline,
        ProcedureRouteInline,
    ]
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
