"""What the privacy app keeps: the citizen's archives and the notices before deletion."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.private_storage import get_private_storage


def export_path(instance, filename: str) -> str:
    """A random name under exports/: the archive is served only by its owner's view."""
    import secrets

    return f"exports/{secrets.token_urlsafe(24)}.zip"


class DataExport(models.Model):
    """« Télécharger mes données »: an archive built by the worker, kept a day."""

    class State(models.TextChoices):
        PENDING = "pending", _("En préparation")
        READY = "ready", _("Prête")
        FAILED = "failed", _("Échec")

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        on_delete=models.CASCADE,
        related_name="data_exports",
    )
    state = models.CharField(_("état"), max_length=16, choices=State.choices, default=State.PENDING)
    file = models.FileField(
        _("archive"), storage=get_private_storage, upload_to=export_path, blank=True
    )
    size = models.PositiveBigIntegerField(_("taille (octets)"), default=0)
    requested_at = models.DateTimeField(_("demandée le"), default=timezone.now)
    ready_at = models.DateTimeField(_("prête le"), null=True, blank=True)

    class Meta:
        verbose_name = _("archive de données personnelles")
        verbose_name_plural = _("archives de données personnelles")
        ordering = ["-requested_at"]
        # The front desk closes an account for a citizen who asks at the counter.
        permissions = [("close_account", _("Peut fermer le compte d'un citoyen à sa demande"))]

    def __str__(self) -> str:
        return str(_("Archive n° %(pk)s") % {"pk": self.pk})

    @property
    def expires_at(self):
        from datetime import timedelta

        start = self.ready_at or self.requested_at
        return start + timedelta(hours=settings.DATA_EXPORT_LIFETIME_HOURS)


class DeletionNotice(models.Model):
    """The mail sent before an inactive account is deleted: a login since cancels it."""

    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        on_delete=models.CASCADE,
        related_name="deletion_notice",
    )
    sent_at = models.DateTimeField(_("prévenu le"), default=timezone.now)
    delete_after = models.DateTimeField(_("supprimé après le"))

    class Meta:
        verbose_name = _("avis de suppression pour inactivité")
        verbose_name_plural = _("avis de suppression pour inactivité")

    def __str__(self) -> str:
        return f"{self.account_id} — {self.delete_after:%d/%m/%Y}"
