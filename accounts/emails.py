"""One function per mail about an account; subject, text and HTML templates named alike."""

from html import unescape

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from accounts.models import User


def send_account_mail(account: User, kind: str, **context) -> None:
    context = {
        "account": account,
        "town": settings.TOWN,
        "site_url": settings.SITE_URL,
        "kind_label": "Mot de passe",
        **context,
    }
    base = f"notifications/{kind}"
    subject = unescape(" ".join(render_to_string(f"{base}_subject.txt", context).split()))
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{base}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[account.email],
    )
    message.attach_alternative(render_to_string(f"{base}.html", context), "text/html")
    message.send()


def temporary_password_mail(account: User, password: str) -> None:
    send_account_mail(account, "temporary_password", password=password)
