"""The access journal: who of the staff opened which citizen's data, and when.

The CNIL asks that access to personal data be traceable. A row is written each
time a staff member opens a citizen's account, household, request, document or
PDF in the admin; superusers read the journal, nobody edits it, and ``purge``
deletes rows past ``ACCESS_JOURNAL_RETENTION_DAYS``.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessEntry(models.Model):
    class Kind(models.TextChoices):
        ACCOUNT = "account", _("compte")
        HOUSEHOLD = "household", _("foyer et membres")
        REQUEST = "request", _("demande")
        DOCUMENT = "document", _("pièce justificative")
        PDF = "pdf", _("PDF de la demande")
        STATISTICS = "statistics", _("statistiques")
        APPOINTMENT = "appointment", _("rendez-vous")

    at = models.DateTimeField(_("le"), default=timezone.now, db_index=True)
    # Identifiers are copied: the journal outlives a deleted account, staff or citizen.
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    staff_identifier = models.CharField(_("identifiant de l'agent"), max_length=32)
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("citoyen"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    citizen_identifier = models.CharField(_("identifiant du citoyen"), max_length=32, blank=True)
    kind = models.CharField(_("donnée consultée"), max_length=16, choices=Kind.choices)
    object_id = models.CharField(_("objet"), max_length=64)
    object_repr = models.CharField(_("désignation"), max_length=200)

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("journal des consultations")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["staff", "-at"]),
            models.Index(fields=["citizen", "-at"]),
        ]

    def __str__(self) -> str:
        return f"{self.staff_identifier} — {self.get_kind_display()} {self.object_repr}"
