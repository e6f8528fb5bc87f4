"""One function per mail about an account; subject, text and HTML templates named alike."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from accounts.models import User
from common.mail import render_mail


def send_account_mail(account: User, kind: str, **context) -> None:
    context = {
        "account": account,
        "town": settings.TOWN,
        "site_url": settings.SITE_URL,
        "kind_label": "Mot de passe",
        **context,
    }
    subject, text, html = render_mail(f"notifications/{kind}", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[account.email]
    )
    message.attach_alternative(html, "text/html")
    message.send()


def temporary_password_mail(account: User, password: str) -> None:
    send_account_mail(account, "temporary_password", password=password)
