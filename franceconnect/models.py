"""The link between a portal account and a FranceConnect identity."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FranceConnectLink(models.Model):
    """One account, one FranceConnect identity: the pivot ``sub`` as this client receives it.

    FranceConnect gives each service provider its own ``sub`` for a person, so the pair
    (client id, sub) is the key: a new client id (a change of provider account) is a new
    link. ``identity`` keeps the certified identity as last received (given names, family
    name, birth date and place, sex, email), the proof behind the read-only identity
    fields of the account; it goes with the account.
    """

    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        on_delete=models.CASCADE,
        related_name="franceconnect_link",
    )
    client_id = models.CharField(_("identifiant du service chez FranceConnect"), max_length=128)
    sub = models.CharField(_("identifiant pivot (sub)"), max_length=255)
    identity = models.JSONField(_("identité certifiée reçue"), default=dict)
    linked_at = models.DateTimeField(_("lié le"), default=timezone.now)
    last_login_at = models.DateTimeField(_("dernière connexion"), null=True, blank=True)

    class Meta:
        verbose_name = _("liaison FranceConnect")
        verbose_name_plural = _("liaisons FranceConnect")
        constraints = [
            models.UniqueConstraint(
                fields=["client_id", "sub"], name="franceconnect_one_account_per_identity"
            )
        ]

    def __str__(self) -> str:
        return str(_("FranceConnect de %(account)s") % {"account": self.account})
