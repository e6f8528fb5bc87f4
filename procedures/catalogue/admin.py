"""The catalogue in the admin: themes, procedures, their fields and documents.

The catalogue is the work of « Administration fonctionnelle » (whole, by its
permissions).
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from backoffice.scoping import ScopedAdminMixin
from procedures.catalogue.models import DocumentRequirement, Procedure, ProcedureField, Theme


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
    inlines = [ProcedureFieldInline, DocumentRequirementInline]
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
    )

    def get_readonly_fields(self, request, obj=None):
        # A procedure's theme decides which service reads its requests, as Theme.groups does:
        # once the procedure exists, superusers alone move it.
        if obj is not None and not request.user.is_superuser:
            return ("theme",)
        return ()
