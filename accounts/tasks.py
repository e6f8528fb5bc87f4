"""The temporary password's mail: sent by a task, never stored in the outbox.

The password is made inside the task, so it never travels through the broker nor
sits in the database in clear; if this mail is lost, the citizen asks again.
"""

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
