"""The request as a PDF, opened in the browser: for its owner here, and through
``pdf_response`` for the anonymous tracking link and for staff."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from common.pdf import PDF_MIMETYPE
from common.private_files import private_file_response
from procedures import selectors
from procedures.models import Request
from procedures.pdf import request_pdf_content


def pdf_response(citizen_request: Request) -> FileResponse:
    """The PDF of a request the caller is already allowed to see, shown inline."""
    return private_file_response(
        request_pdf_content(citizen_request),
        filename=f"demande-{citizen_request.number or citizen_request.pk}.pdf",
        content_type=PDF_MIMETYPE,
        as_attachment=False,
    )


@login_required
@require_GET
def request_pdf(request, pk):
    citizen_request = get_object_or_404(selectors.submitted_requests(account=request.user), pk=pk)
    return pdf_response(citizen_request)
