"""Template helpers of the request lists, which render one row per request."""

from django import template

from procedures.progress import progress_bar as bar_of_state

register = template.Library()


@register.simple_tag
def progress_bar(request):
    """The progress bar of a request, with the words a screen reader says instead."""
    return bar_of_state(request.state)
