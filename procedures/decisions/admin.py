"""The catalogue's procedure admin, plus the preview of its decision documents.

The preview needs a (sample) request, which the catalogue must not know
(tests/test_architecture.py): it is added here, on the requests' side, by registering a
subclass of the catalogue's ``ProcedureAdmin`` in its place."""

from django.contrib import admin
from django.http import Http404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from common.pdf import PDF_MIMETYPE
from common.private_files import private_file_response
from procedures.catalogue.admin import ProcedureAdmin
from procedures.decisions.preview import preview_pdf
from procedures.models import DecisionOutcome, Procedure

LINK = '<li><a href="{}" target="_blank" rel="noopener">{} (PDF)</a></li>'


class ProcedureWithDecisionsAdmin(ProcedureAdmin):
    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "decision_previews")

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None:
            fieldsets.append(
                (_("Aperçu des documents de décision"), {"fields": ("decision_previews",)})
            )
        return fieldsets

    @admin.display(description=_("aperçu sur une demande d'exemple"))
    def decision_previews(self, obj):
        outcomes = {template.outcome for template in obj.decision_templates.all()}
        outcomes.add(DecisionOutcome.IMPLICIT_ACCEPTANCE)
        links = [
            (
                reverse("admin:procedures_procedure_decision_preview", args=[obj.pk, outcome]),
                DecisionOutcome(outcome).label,
            )
            for outcome in DecisionOutcome.values
            if outcome in outcomes
        ]
        return format_html(
            "<ul>{}</ul><p>{}</p>",
            format_html_join(
                "", '<li><a href="{}" target="_blank" rel="noopener">{} (PDF)</a></li>', links
            ),
            gettext("Enregistrez d'abord le modèle modifié : l'aperçu montre le texte enregistré."),
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/decisions/<str:outcome>/apercu/",
                self.admin_site.admin_view(require_GET(self.decision_preview_view)),
                name="procedures_procedure_decision_preview",
            ),
            *super().get_urls(),
        ]

    def decision_preview_view(self, request, pk, outcome):
        procedure = self.get_object(request, pk)  # 403 without the permission, 404 outside.
        if outcome not in DecisionOutcome.values:
            raise Http404
        data = preview_pdf(procedure=procedure, outcome=outcome)
        if data is None:
            raise Http404
        return private_file_response(
            data, filename=f"apercu-{outcome}.pdf", content_type=PDF_MIMETYPE, as_attachment=False
        )


admin.site.unregister(Procedure)
admin.site.register(Procedure, ProcedureWithDecisionsAdmin)
