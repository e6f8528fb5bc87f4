"""The request as a PDF, opened in the browser: for its owner here, and through
``pdf_response`` for the anonymous tracking link and for staff."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from common.pdf import PDF_MIMETYPE
from common.private_files import private_file_response
from procedures import selectors
from procedures.models import Request
from procedures.pdf import request_pdf_content

# What the citizen is told to wait before clicking again: a build takes a fraction of that.
RETRY_SECONDS = 2


def pdf_response(http_request, citizen_request: Request) -> HttpResponse:
    """The PDF of a request the caller is already allowed to see, shown inline; while the
    worker is still building it, a page that says so (202: nothing failed) with the
    same link to try again, rather than a second build or a wait for the worker."""
    content = request_pdf_content(citizen_request)
    if content is not None:
        return private_file_response(
            content,
            filename=f"demande-{citizen_request.number or citizen_request.pk}.pdf",
            content_type=PDF_MIMETYPE,
            as_attachment=False,
        )
    response = render(
        http_request,
        "procedures/pdf_pending.html",
        {"sent": citizen_request, "again": http_request.get_full_path()},
        status=202,
    )
    response["Retry-After"] = str(RETRY_SECONDS)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def request_pdf(request, pk):
    citizen_request = get_object_or_404(selectors.submitted_requests(account=request.user), pk=pk)
    return pdf_response(request, citizen_request)
