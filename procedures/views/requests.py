"""« Demandes »: the citizen's requests, one request, cancel, answer the service, documents."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.private_files import private_file_response
from procedures import selectors, services
from procedures.forms import ReplyForm
from procedures.models import RequestDocument, RequestState

REQUESTS_PER_PAGE = 20
# Far beyond any household's requests, and an OFFSET every database accepts.
LAST_PAGE = 10_000


def page_number(request) -> int:
    try:
        return min(max(1, int(request.GET.get("page", "1"))), LAST_PAGE)
    except ValueError:
        return 1


@login_required
@require_GET
def request_list(request):
    """20 requests a page, newest first. One row more than shown tells whether an older
    page exists: no COUNT over the household's requests."""
    state = request.GET.get("etat", "")
    state = state if state in RequestState.values and state != RequestState.DRAFT else ""
    page = page_number(request)
    start = (page - 1) * REQUESTS_PER_PAGE
    requests = selectors.request_rows(account=request.user, state=state)
    rows = list(requests[start : start + REQUESTS_PER_PAGE + 1])
    context = {
        "active_tab": "requests",
        "requests": rows[:REQUESTS_PER_PAGE],
        "page": page,
        "newer_page": page - 1,
        "older_page": page + 1 if len(rows) > REQUESTS_PER_PAGE else None,
        "state": state,
        "states": [choice for choice in RequestState.choices if choice[0] != RequestState.DRAFT],
    }
    return render(request, "procedures/request_list.html", context)


def own_request(request, pk):
    return get_object_or_404(
        selectors.request_with_details(selectors.submitted_requests(account=request.user)), pk=pk
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_detail(request, pk):
    citizen_request = own_request(request, pk)
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        document = form.cleaned_data.get("document")
        try:
            services.request_reply(
                citizen_request=citizen_request,
                by=request.user,
                message=form.cleaned_data["message"],
                uploads=[document] if document else [],
            )
        except services.RequestError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Votre réponse est transmise au service."))
            return redirect("procedures:detail", pk=citizen_request.pk)
    context = {
        "active_tab": "requests",
        "sent": citizen_request,
        "answers": selectors.answers_for_display(citizen_request),
        "documents": selectors.documents_for_display(citizen_request),
        "form": form,
    }
    return render(request, "procedures/request_detail.html", context)


@login_required
@require_POST
def request_cancel(request, pk):
    citizen_request = own_request(request, pk)
    try:
        services.request_cancel(citizen_request=citizen_request, by=request.user)
    except services.RequestError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Votre demande est annulée."))
    return redirect("procedures:detail", pk=citizen_request.pk)


def document_response(document: RequestDocument) -> FileResponse:
    return private_file_response(
        document.file.open("rb"),
        filename=document.original_name,
        content_type=document.content_type,
        as_attachment=True,
    )


@login_required
@require_GET
def document_download(request, pk, document_pk):
    document = get_object_or_404(
        RequestDocument.objects.filter(request__account=request.user), pk=document_pk, request_id=pk
    )
    return document_response(document)
