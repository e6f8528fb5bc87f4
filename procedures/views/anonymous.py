"""Birth, marriage and death certificates without an account (being written)."""

from django.http import Http404


def start(request, slug):
    raise Http404


def done(request, code):
    raise Http404


def track(request, code):
    raise Http404


def track_pdf(request, code):
    raise Http404
