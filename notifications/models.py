"""The outbox: every message to a citizen is a row before it is a mail."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MessageKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", _("Accusé de réception")
    DECISION = "decision", _("Décision prise")
    INFORMATION = "information", _("Information")
    REMINDER = "reminder", _("Rappel")


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("À envoyer")
    SENDING = "sending", _("En cours d'envoi")
    SENT = "sent", _("Envoyé")
    FAILED = "failed", _("Échec")


def visible_at(now) -> models.Q:
    """What the citizen may read: not a reminder whose time has not come. A delivery
    refused is retried later by pushing ``send_after`` on: the message shows again once
    sent, dated when it was (or once given up), minutes later."""
    return models.Q(send_after__lte=now)


class MessageQuerySet(models.QuerySet):
    def for_account(self, account):
        return self.filter(account=account)

    def visible(self, now=None):
        return self.filter(visible_at(now or timezone.now()))


class Message(models.Model):
    """A message to a citizen, written in the transaction of the change that causes it."""

    kind = models.CharField(_("nature"), max_length=16, choices=MessageKind.choices)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="messages",
    )
    # What the message is about, e.g. "request:42": the tracking page of an
    # anonymous request lists its messages by this key.
    topic = models.CharField(_("sujet"), max_length=64, blank=True, db_index=True)
    # One message per event: a second write of the same event is ignored.
    dedupe_key = models.CharField(max_length=128, unique=True, null=True, blank=True)
    to_email = models.EmailField(_("destinataire"))
    subject = models.CharField(_("objet"), max_length=255)
    body_text = models.TextField(_("texte"))
    body_html = models.TextField(_("HTML"))
    attachment_name = models.CharField(max_length=128, blank=True)
    # The registered name of what builds the attachment at send time (a receipt PDF),
    # and the id it takes: notifications.attachments.
    attachment_builder = models.CharField(max_length=128, blank=True)
    attachment_arg = models.PositiveBigIntegerField(null=True, blank=True)

    status = models.CharField(
        _("état"), max_length=16, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    send_after = models.DateTimeField(_("à envoyer à partir de"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    read_at = models.DateTimeField(_("lu le"), null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages aux citoyens")
        ordering = ["-send_after", "-pk"]
        indexes = [
            models.Index(fields=["status", "send_after"]),
            models.Index(fields=["account", "-send_after"]),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class MessageTemplate(models.Model):
    """Common « Information » messages that clerks pick and adjust before sending."""

    title = models.CharField(_("titre"), max_length=120, unique=True)
    body = models.TextField(_("texte"))

    class Meta:
        verbose_name = _("modèle de message")
        verbose_name_plural = _("modèles de messages « Information »")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title
