"""A mail's three parts rendered from templates named alike (healthchecks' emails are
the model): ``<base>_subject.txt``, ``<base>.txt`` and ``<base>.html``."""

from html import unescape

from django.template.loader import render_to_string


def render_mail(base: str, context: dict) -> tuple[str, str, str]:
    """Subject, text and HTML of the mail whose templates start with ``base``."""
    # Subjects are one line of plain text: undo the HTML escaping of the template engine.
    subject = unescape(" ".join(render_to_string(f"{base}_subject.txt", context).split()))
    return (
        subject,
        render_to_string(f"{base}.txt", context),
        render_to_string(f"{base}.html", context),
    )
