"""The request as a PDF (being written)."""

from django.http import Http404


def request_pdf(request, pk):
    raise Http404
