"""Template helpers of the pages that show requests."""

import functools

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

from procedures.progress import progress_in

register = template.Library()

# The width is a class per step, not a style attribute: the CSP allows no inline style.
PROGRESS_BAR = (
    '<div class="progress"><span class="progress__bar" aria-hidden="true">'
    '<span class="progress__fill progress__fill--step-{step}{refused}"></span></span>'
    '<span class="progress__text">{text}</span></div>'
)


@functools.cache
def progress_words(state: str, language: str | None) -> tuple[int, bool, str]:
    """(step, ended badly, the words a screen reader says) of a state: the same for every
    row in that state, so worked out once per process and language."""
    progress = progress_in(state)
    return progress.step, progress.ended_badly, progress.text


@register.simple_tag
def progress_bar(request) -> str:
    """The progress bar of a request, with the words a screen reader says instead: the
    steps are procedures.progress's. Markup written here rather than in an inclusion
    template: a list shows it on every row, and a template per row cost 50 µs."""
    step, ended_badly, text = progress_words(request.state, get_language())
    refused = " progress__fill--refused" if ended_badly else ""
    return format_html(PROGRESS_BAR, step=step, refused=refused, text=text)
