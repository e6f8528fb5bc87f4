"""« Aperçu »: the form as a citizen sees it, page by page, its conditions working, for
the staff who write it. Nothing is created: the answers of the preview are kept in the
staff member's session (files are checked, then forgotten), and « Recommencer » clears
them."""

from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from procedures.catalogue import cache, selectors
from procedures.catalogue.conditions import NOBODY, prune, visible_documents, visible_pages
from procedures.catalogue.definition import definition_of
from procedures.catalogue.models import FieldKind
from procedures.catalogue.page_form import PageForm

SESSION_KEY = "catalogue-preview"


def preview_url(procedure, page: int) -> str:
    return reverse("admin:procedures_procedure_preview", args=[procedure.pk, page + 1])


def has_kind(definition, page: int, kind: str) -> bool:
    return any(
        question.kind == kind
        for item in definition.pages[page].items
        for question in getattr(item, "questions", [item])
    )


def preview_response(request, model_admin, procedure, number: int):
    procedure = selectors.procedure_for_exchange(pk=procedure.pk)
    definition = definition_of(procedure)
    kept = request.session.get(SESSION_KEY, {})
    answers = kept.get(str(procedure.pk), {}) if "recommencer" not in request.GET else {}
    shown = visible_pages(definition, answers, NOBODY)
    page = number - 1
    if page not in shown:
        if not shown:
            raise Http404
        return redirect(preview_url(procedure, shown[0]))
    streets = cache.streets() if has_kind(definition, page, FieldKind.ADDRESS) else []
    last = page == shown[-1]
    forward = "previous" not in request.POST
    form = PageForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        definition=definition,
        page=page,
        answers=answers,
        streets=[(row["id"], row["voie"]) for row in streets],
        street_rows={row["id"]: row for row in streets},
        documents=visible_documents(definition, answers, NOBODY) if last else [],
        strict=forward,
    )
    if request.method == "POST" and form.is_valid():
        merged = {**answers, **form.page_answers()}
        answers = prune(definition, merged, NOBODY)
        request.session[SESSION_KEY] = {**kept, str(procedure.pk): answers}
        shown = visible_pages(definition, answers, NOBODY)
        target = [index for index in shown if (index < page if not forward else index > page)]
        if target:
            return redirect(preview_url(procedure, target[-1] if not forward else target[0]))
        if forward:
            model_admin.message_user(
                request, _("Fin de l'aperçu : le demandeur verrait maintenant le récapitulatif.")
            )
        return redirect(preview_url(procedure, page))
    position = shown.index(page)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Aperçu : %(title)s") % {"title": procedure.title},
        "procedure": procedure,
        "form": form,
        "opts": model_admin.model._meta,
        "original": procedure,
        "step": {
            "number": position + 1,
            "count": len(shown),
            "title": definition.pages[page].title,
            "first": position == 0,
            "last": position == len(shown) - 1,
        },
        "restart_url": preview_url(procedure, 0) + "?recommencer=1",
    }
    return TemplateResponse(request, "admin/procedures/procedure/preview.html", context)
