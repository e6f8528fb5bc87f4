"""The exchange file in the admin: the list's « Exporter » action and the « Importer »
page of the procedures (``ProcedureAdmin``)."""

import json

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from procedures.catalogue import selectors
from procedures.catalogue.exchange import (
    MAX_FILE_BYTES,
    ImportRefused,
    export_procedure,
    import_procedure,
)


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Fichier JSON d'une démarche"))
    slug = forms.SlugField(
        label=gettext_lazy("Nouvelle adresse (facultatif)"), required=False, max_length=50
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("Fichier trop gros (1 Mo au plus)."))
        try:
            return json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise forms.ValidationError(_("Ce n'est pas un fichier JSON en UTF-8.")) from error


def export_response(queryset):
    procedures = list(queryset.values_list("pk", "slug"))
    if len(procedures) != 1:
        return HttpResponse(
            _("Choisissez une seule démarche à exporter."), status=400, content_type="text/plain"
        )
    pk, slug = procedures[0]
    body = json.dumps(
        export_procedure(selectors.procedure_for_exchange(pk=pk)), ensure_ascii=False, indent=2
    )
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="demarche-{slug}.json"'
    return response


def import_response(request, model_admin):
    form = ImportForm(request.POST or None, request.FILES or None)
    refused = []
    if request.method == "POST" and form.is_valid():
        try:
            procedure = import_procedure(form.cleaned_data["file"], slug=form.cleaned_data["slug"])
        except ImportRefused as error:
            refused = error.problems
        else:
            messages.success(
                request,
                _("Démarche « %(title)s » importée, dépubliée : relisez-la avant de la publier.")
                % {"title": procedure.title},
            )
            return redirect(reverse("admin:procedures_procedure_change", args=[procedure.pk]))
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Importer une démarche"),
        "form": form,
        "refused": refused,
        "opts": model_admin.model._meta,
    }
    return TemplateResponse(request, "admin/procedures/procedure/import.html", context)
