"""The catalogue (themes, procedures, their fields and documents) and the requests."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from common.fsm import RefreshableStateMixin
from common.history import HistoryEvent
from common.private_storage import get_private_storage, upload_path


class Theme(models.Model):
    title = models.CharField(_("titre"), max_length=120)
    slug = models.SlugField(_("adresse"), unique=True)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("ordre"), default=0)
    # Clerks see the requests of the themes their groups handle.
    groups = models.ManyToManyField(
        Group, verbose_name=_("groupes d'agents qui traitent ce thème"), blank=True
    )

    class Meta:
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("procedures:theme", args=[self.slug])


class ProcedureQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)


class Procedure(models.Model):
    class Concerns(models.TextChoices):
        HOUSEHOLD = "household", _("le foyer")
        ANY_MEMBER = "member", _("un membre du foyer")
        ADULT = "adult", _("un adulte du foyer")
        CHILD = "child", _("un enfant du foyer")
        NOBODY = "nobody", _("personne du foyer (demande sans compte)")

    class Kind(models.TextChoices):
        STANDARD = "standard", _("démarche ordinaire")
        CIVIL_STATUS = "civil_status", _("demande d'acte d'état civil")

    class Silence(models.TextChoices):
        NONE = "", _("pas de règle")
        ACCEPTANCE = "acceptance", _("le silence vaut acceptation")
        REFUSAL = "refusal", _("le silence vaut refus")

    theme = models.ForeignKey(
        Theme, verbose_name=_("thème"), on_delete=models.PROTECT, related_name="procedures"
    )
    title = models.CharField(_("titre"), max_length=160)
    slug = models.SlugField(_("adresse"), unique=True)
    summary = models.CharField(_("résumé"), max_length=255, blank=True)
    description = models.TextField(_("description et aide"), blank=True)
    kind = models.CharField(_("nature"), max_length=16, choices=Kind.choices, default=Kind.STANDARD)
    concerns = models.CharField(
        _("concerne"), max_length=16, choices=Concerns.choices, default=Concerns.ANY_MEMBER
    )
    account_required = models.BooleanField(_("compte obligatoire"), default=True)
    captcha_required = models.BooleanField(_("cryptogramme obligatoire"), default=False)
    published = models.BooleanField(_("publiée"), default=True, db_index=True)
    order = models.PositiveIntegerField(_("ordre"), default=0)
    # For the legal acknowledgement of receipt (CRPA L112-11).
    service_name = models.CharField(
        _("service instructeur"), max_length=160, default="Guichet Unique"
    )
    service_contact = models.CharField(
        _("contact du service"),
        max_length=255,
        blank=True,
        help_text=_("Téléphone, adresse électronique ou adresse du service."),
    )
    silence_rule = models.CharField(
        _("règle du silence"), max_length=16, choices=Silence.choices, blank=True, default=""
    )
    silence_delay_days = models.PositiveIntegerField(
        _("délai de la règle du silence (jours)"), null=True, blank=True
    )
    # A clerk sets the date when accepting (bulky-waste pickup); the citizen is reminded.
    has_appointment = models.BooleanField(
        _("date fixée par la mairie à l'acceptation"), default=False
    )
    reminder_text = models.CharField(
        _("texte du rappel de la veille"),
        max_length=200,
        blank=True,
        help_text=_(
            "« {date} » est remplacé par la date fixée. "
            "Exemple : sortez vos encombrants dans la rue le {date}"
        ),
    )

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        verbose_name = _("démarche")
        verbose_name_plural = _("démarches")
        ordering = ["theme__order", "order", "title"]
        indexes = [models.Index(fields=["theme", "published", "order"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        if not self.account_required:
            return reverse("procedures:anonymous_start", args=[self.slug])
        return reverse("procedures:start", args=[self.slug])

    @property
    def concerns_a_member(self) -> bool:
        return self.concerns in {self.Concerns.ANY_MEMBER, self.Concerns.ADULT, self.Concerns.CHILD}


class ProcedureField(models.Model):
    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", _("texte court")
        LONG_TEXT = "long_text", _("texte long")
        NUMBER = "number", _("nombre")
        DATE = "date", _("date")
        EMAIL = "email", _("adresse électronique")
        PHONE = "phone", _("téléphone")
        CHOICE = "choice", _("choix unique")
        MULTIPLE_CHOICE = "multiple_choice", _("choix multiple")
        CHECKBOX = "checkbox", _("case à cocher")
        FILE = "file", _("fichier")

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("démarche"), on_delete=models.CASCADE, related_name="fields"
    )
    name = models.SlugField(
        _("nom technique"), max_length=50, help_text=_("Lettres, chiffres et tirets bas.")
    )
    label = models.CharField(_("libellé"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    required = models.BooleanField(_("obligatoire"), default=True)
    help_text = models.CharField(_("aide"), max_length=255, blank=True)
    choices = models.TextField(_("choix"), blank=True, help_text=_("Un choix par ligne."))
    order = models.PositiveIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("champ")
        verbose_name_plural = _("champs du formulaire")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "name"], name="procedures_field_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class DocumentRequirement(models.Model):
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("démarche"), on_delete=models.CASCADE, related_name="documents"
    )
    label = models.CharField(_("pièce justificative"), max_length=200)
    help_text = models.CharField(_("aide"), max_length=255, blank=True)
    order = models.PositiveIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("pièce justificative")
        verbose_name_plural = _("pièces justificatives")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.label


class RequestState(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Reçue")
    IN_PROGRESS = "in_progress", _("En cours de traitement")
    WAITING = "waiting", _("En attente de pièces ou d'informations")
    ACCEPTED = "accepted", _("Acceptée")
    REFUSED = "refused", _("Refusée")
    DONE = "done", _("Terminée")
    CANCELLED = "cancelled", _("Annulée")


S = RequestState
OPEN_STATES = (S.SUBMITTED, S.IN_PROGRESS, S.WAITING, S.ACCEPTED)


class RequestQuerySet(models.QuerySet):
    def for_account(self, account):
        """The citizen's own requests: the only way a citizen view reaches a request."""
        return self.filter(account=account)

    def submitted(self):
        return self.exclude(state=S.DRAFT)

    def drafts(self):
        return self.filter(state=S.DRAFT)

    def open(self):
        return self.filter(state__in=OPEN_STATES)


class Request(RefreshableStateMixin, models.Model):
    """A citizen's request; its state only moves through the transitions below."""

    number = models.CharField(_("numéro"), max_length=16, unique=True, null=True, blank=True)
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("démarche"), on_delete=models.PROTECT, related_name="requests"
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
    )
    member = models.ForeignKey(
        "households.Member",
        verbose_name=_("membre concerné"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
    )
    # Snapshot of what the account knew when the request was made.
    subject_name = models.CharField(_("personne concernée"), max_length=310, blank=True)
    subject_birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    address = models.CharField(_("adresse"), max_length=400, blank=True)
    contact_email = models.EmailField(_("adresse électronique"), blank=True)
    answers = models.JSONField(_("réponses"), default=dict, blank=True)

    state = FSMField(
        _("état"), max_length=16, choices=RequestState.choices, default=S.DRAFT, protected=True
    )
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    submitted_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    appointment_date = models.DateField(_("date fixée"), null=True, blank=True)
    # Anonymous requests: a code that is hard to guess and easy to read out.
    tracking_code = models.CharField(
        _("code de suivi"), max_length=32, unique=True, null=True, blank=True
    )

    objects = RequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("demande")
        verbose_name_plural = _("demandes")
        ordering = ["-submitted_at", "-created_at"]
        indexes = [
            models.Index(fields=["account", "state", "-submitted_at"]),
            models.Index(fields=["state", "-submitted_at"]),
            models.Index(fields=["procedure", "state"]),
            models.Index(fields=["state", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.number or str(_("Brouillon n° %(pk)s") % {"pk": self.pk})

    @property
    def is_draft(self) -> bool:
        return self.state == S.DRAFT

    # Transitions. Services call them, record the history and queue the messages.

    @transition(field=state, source=S.DRAFT, target=S.SUBMITTED)
    def submit(self):
        self.submitted_at = timezone.now()

    @transition(field=state, source=S.SUBMITTED, target=S.IN_PROGRESS)
    def start(self):
        pass

    @transition(field=state, source=S.IN_PROGRESS, target=S.WAITING)
    def ask_citizen(self):
        pass

    @transition(field=state, source=S.WAITING, target=S.IN_PROGRESS)
    def citizen_reply(self):
        pass

    @transition(field=state, source=[S.SUBMITTED, S.IN_PROGRESS], target=S.ACCEPTED)
    def accept(self):
        self.decided_at = timezone.now()

    @transition(field=state, source=[S.SUBMITTED, S.IN_PROGRESS, S.WAITING], target=S.REFUSED)
    def refuse(self):
        self.decided_at = timezone.now()

    @transition(field=state, source=S.ACCEPTED, target=S.DONE)
    def complete(self):
        pass

    @transition(field=state, source=S.SUBMITTED, target=S.CANCELLED)
    def cancel(self):
        pass

    # The citizen closes the account: every open request stops, whatever its step.
    @transition(field=state, source=list(OPEN_STATES), target=S.CANCELLED)
    def withdraw(self):
        pass


class RequestEvent(HistoryEvent):
    """The history of a request: every transition and every message about it."""

    request = models.ForeignKey(
        Request, verbose_name=_("demande"), on_delete=models.CASCADE, related_name="events"
    )
    from_state = models.CharField(_("de"), max_length=16, choices=RequestState.choices, blank=True)
    to_state = models.CharField(_("vers"), max_length=16, choices=RequestState.choices, blank=True)
    transition = models.CharField(_("action"), max_length=32, blank=True)
    by_staff = models.BooleanField(_("par la mairie"), default=False)
    comment = models.TextField(_("commentaire"), blank=True)

    class Meta:
        verbose_name = _("événement de la demande")
        verbose_name_plural = _("historique de la demande")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["request", "at"])]

    def __str__(self) -> str:
        return f"{self.get_to_state_display()} — {timezone.localtime(self.at):%d/%m/%Y %H:%M}"


class RequestDocument(models.Model):
    """A supporting document; stored under a random name, served only to its owner and staff."""

    request = models.ForeignKey(
        Request, verbose_name=_("demande"), on_delete=models.CASCADE, related_name="documents"
    )
    requirement = models.ForeignKey(
        DocumentRequirement,
        verbose_name=_("pièce attendue"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    field_name = models.CharField(_("champ"), max_length=50, blank=True)
    file = models.FileField(_("fichier"), storage=get_private_storage, upload_to=upload_path)
    original_name = models.CharField(_("nom d'origine"), max_length=255)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("taille (octets)"))
    uploaded_at = models.DateTimeField(_("déposé le"), default=timezone.now)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class RequestCounter(models.Model):
    """The last number given in a year: locked while a request takes the next one."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("compteur de numéros")
        verbose_name_plural = _("compteurs de numéros")

    def __str__(self) -> str:
        return f"{self.year} : {self.last}"
