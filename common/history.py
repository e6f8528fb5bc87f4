"""What every history row of the portal records besides what happened: who and when.

An account, a household, a request, an invoice and a payment each keep their own
history table (its rows point at their object and say what happened in their own
words); the author and the moment are the same columns everywhere, declared once here.
Abstract: no table of its own, no migration.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class HistoryEvent(models.Model):
    # Kept when the author's account is deleted: the row stays, « par » becomes empty.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("le"), default=timezone.now)

    class Meta:
        abstract = True


def diff_fields(instance, data: dict) -> dict:
    """{"field": {"old": ..., "new": ...}} for the values of ``data`` that differ, as text:
    the ``changes`` a history row keeps, readable without the model that wrote it."""
    return {
        name: {"old": str(getattr(instance, name) or ""), "new": str(value or "")}
        for name, value in data.items()
        if getattr(instance, name) != value
    }
