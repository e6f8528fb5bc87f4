"""The desk's rows; re-exported by ``procedures.models`` (app label ``procedures``).

Both point at the request by name (``"procedures.Request"``), so that
``procedures.models`` may import this module after defining ``Request``.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.history import HistoryEvent


class AssignmentEvent(HistoryEvent):
    """One change of who handles a request: the service's history, not the citizen's."""

    class Kind(models.TextChoices):
        TAKEN = "taken", _("Prise en main")
        ASSIGNED = "assigned", _("Attribution")
        RELEASED = "released", _("Libération")

    request = models.ForeignKey(
        "procedures.Request",
        verbose_name=_("demande"),
        on_delete=models.CASCADE,
        related_name="assignment_events",
    )
    kind = models.CharField(_("changement"), max_length=16, choices=Kind.choices)
    # Names are copied: the row stays readable when a staff account is deleted.
    previous_name = models.CharField(_("attribuée avant à"), max_length=310, blank=True)
    assignee_name = models.CharField(_("attribuée à"), max_length=310, blank=True)

    class Meta:
        verbose_name = _("changement d'attribution")
        verbose_name_plural = _("historique des attributions")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["request", "at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {timezone.localtime(self.at):%d/%m/%Y %H:%M}"


class RequestNote(models.Model):
    """A private note of the service about a request: written once, never edited (a
    correction is a new note), deleted with the request or when it leaves its account."""

    request = models.ForeignKey(
        "procedures.Request",
        verbose_name=_("demande"),
        on_delete=models.CASCADE,
        related_name="notes",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    author_name = models.CharField(_("auteur"), max_length=310)
    at = models.DateTimeField(_("le"), default=timezone.now)
    text = models.TextField(_("note"))

    class Meta:
        verbose_name = _("note interne")
        verbose_name_plural = _("notes internes")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["request", "at"])]

    def __str__(self) -> str:
        return f"{self.author_name} — {timezone.localtime(self.at):%d/%m/%Y %H:%M}"

    def save(self, *args, **kwargs):
        # Never edited after the fact: what a colleague read stays what was written.
        if not self._state.adding:
            raise ValueError("Une note interne ne se modifie pas : ajoutez-en une nouvelle.")
        super().save(*args, **kwargs)
