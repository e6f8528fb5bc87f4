"""The citizen account: one user model for citizens, clerks and admins."""

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from accounts.hashing import dummy_check
from accounts.identifiers import new_identifier, normalize_identifier
from accounts.text import normalize_answer
from common.fsm import RefreshableStateMixin
from common.history import HistoryEvent
from common.validators import validate_postal_code


class Civility(models.TextChoices):
    MADAME = "mme", _("Madame")
    MONSIEUR = "m", _("Monsieur")


class SecurityQuestion(models.TextChoices):
    FIRST_PET = "first_pet", _("Quel était le nom de votre premier animal de compagnie ?")
    PRIMARY_SCHOOL = "primary_school", _("Quel est le nom de votre école primaire ?")
    GRANDMOTHER = "grandmother", _("Quel est le prénom de votre grand-mère maternelle ?")
    CHILDHOOD_FRIEND = "childhood_friend", _("Quel était le prénom de votre ami(e) d'enfance ?")
    FIRST_CAR = "first_car", _("Quelle était la marque de votre première voiture ?")
    CHILDHOOD_STREET = "childhood_street", _("Dans quelle rue habitiez-vous enfant ?")


class AccountStatus(models.TextChoices):
    PENDING = "pending", _("En attente de validation")
    VALIDATED = "validated", _("Validé")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(identifier=normalize_identifier(username))

    def unused_identifier(self) -> str:
        while True:
            identifier = new_identifier()
            if not self.filter(identifier=identifier).exists():
                return identifier

    def create_user(self, identifier=None, password=None, **fields):
        user = self.model(identifier=identifier or self.unused_identifier(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, identifier, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True, status=AccountStatus.VALIDATED)
        return self.create_user(identifier, password, **fields)

    def citizens(self):
        return self.filter(is_staff=False)


class User(RefreshableStateMixin, AbstractBaseUser, PermissionsMixin):
    """A person who logs in with a generated identifier; citizens and staff alike.

    The email is for messages only: several members of a family may share one
    address, so it cannot be the login.
    """

    identifier = models.CharField(_("identifiant"), max_length=32, unique=True)
    civility = models.CharField(_("civilité"), max_length=3, choices=Civility.choices, blank=True)
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    email = models.EmailField(_("adresse électronique"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    postal_code = models.CharField(
        _("code postal"), max_length=10, blank=True, validators=[validate_postal_code]
    )
    city = models.CharField(_("commune"), max_length=150, blank=True)

    security_question = models.CharField(
        _("question de sécurité"), max_length=32, choices=SecurityQuestion.choices, blank=True
    )
    security_answer = models.CharField(_("réponse (chiffrée)"), max_length=128, blank=True)
    temporary_password = models.CharField(
        _("mot de passe temporaire (chiffré)"), max_length=128, blank=True
    )
    temporary_password_expires_at = models.DateTimeField(null=True, blank=True)
    password_change_required = models.BooleanField(
        _("changement de mot de passe obligatoire"), default=False
    )

    status = FSMField(
        _("statut"),
        max_length=16,
        choices=AccountStatus.choices,
        default=AccountStatus.PENDING,
        protected=True,
        db_index=True,
    )
    validated_at = models.DateTimeField(_("validé le"), null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("validé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Set by an identity federation (FranceConnect) when it certifies the identity fields:
    # they are then read-only for the citizen and the clerks alike. The federation's app
    # sets and clears it; this app only reads it, so that it knows no federation.
    identity_certified_at = models.DateTimeField(
        _("identité certifiée le"), null=True, blank=True, editable=False
    )

    is_staff = models.BooleanField(_("agent de la mairie"), default=False)
    is_active = models.BooleanField(_("actif"), default=True)
    date_joined = models.DateTimeField(_("créé le"), default=timezone.now, db_index=True)

    objects = UserManager()

    USERNAME_FIELD = "identifier"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("compte")
        verbose_name_plural = _("comptes")
        ordering = ["last_name", "first_name"]
        permissions = [("validate_account", _("Peut valider un compte citoyen"))]
        indexes = [models.Index(fields=["last_name", "first_name"])]

    def __str__(self) -> str:
        full_name = self.get_full_name()
        return f"{full_name} ({self.identifier})" if full_name else self.identifier

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.identifier

    @property
    def is_validated(self) -> bool:
        return self.status == AccountStatus.VALIDATED

    @property
    def is_pending(self) -> bool:
        return self.status == AccountStatus.PENDING

    @property
    def identity_certified(self) -> bool:
        return self.identity_certified_at is not None

    def set_security_answer(self, answer: str) -> None:
        self.security_answer = make_password(normalize_answer(answer))

    def check_security_answer(self, answer: str) -> bool:
        if not self.security_answer:
            return dummy_check(answer)
        return check_password(normalize_answer(answer), self.security_answer)

    def set_temporary_password(self, raw: str, *, now=None) -> None:
        now = now or timezone.now()
        self.temporary_password = make_password(raw)
        self.temporary_password_expires_at = now + settings.TEMPORARY_PASSWORD_VALIDITY

    def temporary_password_matches(self, raw: str) -> bool:
        """Always one hash check, so that time does not tell whether one is pending."""
        expires_at = self.temporary_password_expires_at
        if not self.temporary_password or not expires_at or expires_at <= timezone.now():
            return dummy_check(raw)
        return check_password(raw, self.temporary_password)

    @transition(field=status, source=AccountStatus.PENDING, target=AccountStatus.VALIDATED)
    def validate(self, *, by) -> None:
        self.validated_by = by
        self.validated_at = timezone.now()


class AccountEvent(HistoryEvent):
    """The history of an account: who did what, and when."""

    class Kind(models.TextChoices):
        REGISTERED = "registered", _("Compte créé")
        UPDATED = "updated", _("Compte modifié")
        RIGHTS_CHANGED = "rights_changed", _("Droits d'agent modifiés")
        VALIDATED = "validated", _("Compte validé")
        PASSWORD_CHANGED = "password_changed", _("Mot de passe changé")
        PASSWORD_RESET = "password_reset", _("Mot de passe temporaire envoyé")
        TEMPORARY_PASSWORD_USED = (
            "temporary_password_used",
            _("Connexion avec le mot de passe temporaire"),
        )

    account = models.ForeignKey(User, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("événement"), max_length=32, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=255, blank=True)
    # For UPDATED: {"field": {"old": ..., "new": ...}} of what the citizen changed.
    changes = models.JSONField(_("modifications"), default=dict, blank=True)

    class Meta:
        verbose_name = _("événement du compte")
        verbose_name_plural = _("historique du compte")
        ordering = ["-at"]
        indexes = [models.Index(fields=["account", "-at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {timezone.localtime(self.at):%d/%m/%Y %H:%M}"


class EmailChange(models.Model):
    """A new address typed by the citizen, waiting for the link sent to it to be followed.

    Until then messages keep going to the old address, which is told at once with a
    link to cancel: a stolen session cannot silently redirect the mail (temporary
    passwords included). Only hashes of the two links' tokens are stored.
    """

    account = models.ForeignKey(User, on_delete=models.CASCADE, related_name="email_changes")
    old_email = models.EmailField(_("ancienne adresse"))
    new_email = models.EmailField(_("nouvelle adresse"))
    confirm_token_hash = models.CharField(max_length=64, unique=True)
    cancel_token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("demandée le"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("changement d'adresse électronique")
        verbose_name_plural = _("changements d'adresse électronique")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.old_email} → {self.new_email}"

    @property
    def is_pending(self) -> bool:
        return self.confirmed_at is None and self.cancelled_at is None
