"""The request as a PDF, opened in the browser: for its owner here, and through
``pdf_response`` for the anonymous tracking link and for staff."""

from io import BytesIO

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from procedures import selectors
from procedures.models import Request
from procedures.pdf import request_pdf_content

# What the citizen is told to wait before clicking again: a build takes a fraction of that.
RETRY_SECONDS = 2


def pdf_response(http_request, request_obj: Request) -> HttpResponse:
    """The PDF of a request the caller is already allowed to see, shown inline; while the
    worker is still building it, a page that says so (202: nothing failed) with the
    same link to try again, rather than a second build or a wait for the worker."""
    content = request_pdf_content(request_obj)
    if content is None:
        response = render(
            http_request,
            "procedures/pdf_pending.html",
            {"sent": request_obj, "again": http_request.get_full_path()},
            status=202,
        )
        response["Retry-After"] = str(RETRY_SECONDS)
    else:
        response = FileResponse(
            BytesIO(content),
            as_attachment=False,
            filename=f"demande-{request_obj.number or request_obj.pk}.pdf",
            content_type="application/pdf",
        )
        response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def request_pdf(request, pk):
    sent = get_object_or_404(selectors.submitted_requests(account=request.user), pk=pk)
    return pdf_response(request, sent)
