"""``{% route %}``: ``{% url %}`` for the links every page or every row repeats.

``reverse()`` walks the URL patterns at each call, about 30 µs here: the header, the
tabs and the footer hold 14 links on every page, a list of 20 requests 20 to 40 more.
A URL name without argument, or with one integer (an id), always gives the same text
around that integer: each name is reversed once per process (and per URL
configuration and script prefix), and the id is put in its place at each use. What
is kept is a URL pattern, the same for every visitor; never a page.

    {% load routes %}<a href="{% route 'procedures:detail' item.pk %}">

A name that takes anything else (a slug, two arguments) stays with ``{% url %}``.
"""

import functools

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()

# An id no table reaches, reversed to find where the id goes in the URL.
PLACEHOLDER = "9876543210"


@functools.cache
def url_around_id(name: str, with_id: bool, urlconf: str, prefix: str) -> tuple[str, str]:
    """(the URL before the id, after it); the whole URL first when it takes no id."""
    if not with_id:
        return reverse(name, urlconf=urlconf), ""
    before, after = reverse(name, args=[int(PLACEHOLDER)], urlconf=urlconf).split(PLACEHOLDER)
    return before, after


@register.simple_tag
def route(name: str, pk: int | None = None) -> str:
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    before, after = url_around_id(name, pk is not None, urlconf, get_script_prefix())
    return before if pk is None else f"{before}{int(pk)}{after}"
