"""Which portal account a directory identifier opens.

A directory login never looks an account up by its identifier or its email: a
citizen whose generated identifier happened to equal a directory name would otherwise
become staff. The account of a directory member is created at the first login, with an
identifier of the portal's own and no usable password, and found again through this link.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DirectoryLink(models.Model):
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        on_delete=models.CASCADE,
        related_name="directory_link",
    )
    # As typed at login, in lower case: directories compare names without case.
    username = models.CharField(_("identifiant dans l'annuaire"), max_length=150, unique=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("dernière connexion"), null=True, blank=True)

    class Meta:
        verbose_name = _("lien avec l'annuaire")
        verbose_name_plural = _("liens avec l'annuaire")

    def __str__(self) -> str:
        return self.username
