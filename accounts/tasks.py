"""Mail about accounts leaves the request here, after the commit, with retries."""

import smtplib

from celery import shared_task

from accounts import emails, services
from accounts.models import User

MAIL_ERRORS = (smtplib.SMTPException, OSError)
RETRY = {"autoretry_for": MAIL_ERRORS, "retry_backoff": 30, "max_retries": 6}


@shared_task(**RETRY)
def send_temporary_password(account_pk: int) -> None:
    account = User.objects.get(pk=account_pk)
    emails.temporary_password_mail(account, services.temporary_password_issue(account=account))


@shared_task(**RETRY)
def send_password_changed_mail(account_pk: int) -> None:
    emails.password_changed_mail(User.objects.get(pk=account_pk))
