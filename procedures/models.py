"""The catalogue (themes, procedures, their fields and documents) and the requests."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from common.fsm import RefreshableStateMixin
from common.history import HistoryEvent
from common.private_storage import get_private_storage, upload_path
from notifications.models import MessageKind


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


class Certificate(models.TextChoices):
    """The civil-status register a certificate request draws from.

    Stored values are French (« naissance », « deces ») and stay French from now on:
    one language for what the database holds, whatever the language of the code.
    """

    BIRTH = "naissance", _("Acte de naissance")
    MARRIAGE = "mariage", _("Acte de mariage")
    DEATH = "deces", _("Acte de décès")


CHOICE_KINDS_HELP = _("Un champ à choix a besoin de ses choix : écrivez-en un par ligne.")


class ProcedureQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)


class Concerns(models.TextChoices):
    """Whom a procedure is about (``Procedure.Concerns``).

    These stored values are English, written before the rule: kept as they are, but
    every value stored from now on is French (one language, as « naissance »).
    """

    HOUSEHOLD = "household", _("le foyer")
    ANY_MEMBER = "member", _("un membre du foyer")
    ADULT = "adult", _("un adulte du foyer")
    CHILD = "child", _("un enfant du foyer")
    NOBODY = "nobody", _("personne du foyer (demande sans compte)")


class ProcedureKind(models.TextChoices):
    """A form built from the catalogue, or the legal form of a certificate request
    (``Procedure.Kind``). Stored values as for ``Concerns``: kept, new ones French."""

    STANDARD = "standard", _("démarche ordinaire")
    CIVIL_STATUS = "civil_status", _("demande d'acte d'état civil")


class Procedure(models.Model):
    # Module-level enums, so that the constraints of Meta can name their members.
    Concerns = Concerns
    Kind = ProcedureKind

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
    # A field, not a word of the slug: renaming a procedure's address keeps its register.
    certificate = models.CharField(
        _("registre d'état civil"),
        max_length=16,
        choices=Certificate.choices,
        blank=True,
        default="",
        help_text=_("Pour une demande d'acte d'état civil : l'acte demandé."),
    )
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
        constraints = [
            # One way only: a certificate request of before the field whose address named
            # no register stays as it was (not offered without an account); clean() asks
            # every new or edited one for its register.
            models.CheckConstraint(
                condition=Q(certificate="") | Q(kind=ProcedureKind.CIVIL_STATUS),
                name="procedures_certificate_only_for_civil_status",
                violation_error_message=_(
                    "Seule une demande d'acte d'état civil nomme un registre : laissez-le vide."
                ),
            ),
            models.CheckConstraint(
                condition=Q(account_required=True)
                | Q(kind=ProcedureKind.CIVIL_STATUS, concerns=Concerns.NOBODY),
                name="procedures_without_account_only_certificates_for_nobody",
                violation_error_message=_(
                    "Seules les demandes d'actes d'état civil, qui ne concernent personne du "
                    "foyer, sont possibles sans compte."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        if not self.account_required:
            return reverse("procedures:anonymous_start", args=[self.slug])
        return reverse("procedures:start", args=[self.slug])

    @property
    def service_line(self) -> str:
        """« Service Éducation — 01 23 45 67 80 — education@… »: the service named once, also
        when its contact starts with its name (as towns and the demo once typed it)."""
        name, contact = self.service_name.strip(), self.service_contact.strip()
        if contact.casefold().startswith(name.casefold()):
            contact = contact[len(name) :].lstrip(" —–-,:")
        return f"{name} — {contact}" if contact else name

    def clean(self) -> None:
        """The catalogue's rules, by the field to correct; the constraints above hold the
        same rules in the database, for what does not come through a form."""
        errors = {}
        without_account = self.account_required is False
        if without_account and self.concerns != self.Concerns.NOBODY:
            errors["concerns"] = ValidationError(
                _(
                    "Une démarche sans compte ne connaît pas le foyer du demandeur : "
                    "choisissez « %(nobody)s »."
                ),
                code="concerns_without_account",
                params={"nobody": self.Concerns.NOBODY.label},
            )
        is_certificate_request = self.kind == self.Kind.CIVIL_STATUS
        if without_account and not is_certificate_request:
            # Only the certificate requests have a form made for people without an account.
            errors["account_required"] = ValidationError(
                _("Seules les demandes d'actes d'état civil sont possibles sans compte."),
                code="standard_without_account",
            )
        if is_certificate_request and not self.certificate:
            errors["certificate"] = ValidationError(
                _("Choisissez l'acte que cette demande d'état civil permet d'obtenir."),
                code="certificate_missing",
            )
        if self.certificate and not is_certificate_request:
            errors["certificate"] = ValidationError(
                _("Seule une demande d'acte d'état civil nomme un registre : laissez-le vide."),
                code="certificate_without_civil_status",
            )
        if errors:
            raise ValidationError(errors)

    @property
    def concerns_a_member(self) -> bool:
        return self.concerns in {self.Concerns.ANY_MEMBER, self.Concerns.ADULT, self.Concerns.CHILD}


class FieldKind(models.TextChoices):
    """What a catalogue field asks for (``ProcedureField.Kind``). Stored values as for
    ``Concerns``: kept, new ones French."""

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


CHOICE_KINDS = frozenset({FieldKind.CHOICE, FieldKind.MULTIPLE_CHOICE})


class ProcedureField(models.Model):
    Kind = FieldKind

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
            ),
            # A choice field with nothing to choose would be a form no citizen can send.
            models.CheckConstraint(
                condition=~Q(kind__in=sorted(CHOICE_KINDS)) | Q(choices__regex=r"\S"),
                name="procedures_field_choices_given",
                violation_error_message=CHOICE_KINDS_HELP,
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        if self.kind in CHOICE_KINDS and not self.choice_list:
            raise ValidationError(
                {"choices": ValidationError(CHOICE_KINDS_HELP, code="choices_missing")}
            )

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


OPEN_STATES = (
    RequestState.SUBMITTED,
    RequestState.IN_PROGRESS,
    RequestState.WAITING,
    RequestState.ACCEPTED,
)
SENT_STATES = tuple(state for state in RequestState if state != RequestState.DRAFT)


class RequestQuerySet(models.QuerySet):
    def for_account(self, account):
        """The citizen's own requests: the only way a citizen view reaches a request."""
        return self.filter(account=account)

    def submitted(self):
        return self.exclude(state=RequestState.DRAFT)

    def drafts(self):
        return self.filter(state=RequestState.DRAFT)

    def open(self):
        return self.filter(state__in=OPEN_STATES)


class Request(RefreshableStateMixin, models.Model):
    """A citizen's request; its state only moves through the transitions below."""

    # Templates compare with members, not stored strings: ``request.State.ACCEPTED``.
    State = RequestState

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
        _("état"),
        max_length=16,
        choices=RequestState.choices,
        default=RequestState.DRAFT,
        protected=True,
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
        return self.state == RequestState.DRAFT

    @property
    def is_closed(self) -> bool:
        """Decided or cancelled: no transition is left to anyone."""
        return self.state in (RequestState.DONE, RequestState.REFUSED, RequestState.CANCELLED)

    # Transitions. Services call them, record the history and queue the messages.
    # Each one's ``custom`` is its only description (read through procedures.transitions):
    # - label: how the history, and a clerk's button, name it;
    # - clerk_button: a button on the admin's request page;
    # - comment_required: refused without a comment (it is sent to the citizen);
    # - message: (kind, template of templates/notifications/) sent, or None;
    # - progress_step: the step of the progress bar it leads to (None: the state stays);
    # - sets_appointment (optional): the clerk may fix a date, and the citizen is reminded.

    @transition(
        field=state,
        source=RequestState.DRAFT,
        target=RequestState.SUBMITTED,
        custom={
            "label": _("Envoi par le demandeur"),
            "clerk_button": False,
            "comment_required": False,
            "message": (MessageKind.ACKNOWLEDGEMENT, "request_submitted"),
            "progress_step": 1,
        },
    )
    def submit(self):
        self.submitted_at = timezone.now()

    @transition(
        field=state,
        source=RequestState.SUBMITTED,
        target=RequestState.IN_PROGRESS,
        custom={
            "label": _("Prendre en charge"),
            "clerk_button": True,
            "comment_required": False,
            "message": None,
            "progress_step": 2,
        },
    )
    def start(self):
        pass

    @transition(
        field=state,
        source=RequestState.IN_PROGRESS,
        target=RequestState.WAITING,
        custom={
            "label": _("Demander des pièces ou informations"),
            "clerk_button": True,
            "comment_required": True,
            "message": (MessageKind.INFORMATION, "request_information"),
            "progress_step": 2,
        },
    )
    def ask_citizen(self):
        pass

    @transition(
        field=state,
        source=RequestState.WAITING,
        target=RequestState.IN_PROGRESS,
        custom={
            "label": _("Réponse du demandeur"),
            "clerk_button": False,
            "comment_required": False,
            "message": (MessageKind.ACKNOWLEDGEMENT, "request_reply"),
            "progress_step": 2,
        },
    )
    def citizen_reply(self):
        pass

    @transition(
        field=state,
        source=[RequestState.SUBMITTED, RequestState.IN_PROGRESS],
        target=RequestState.ACCEPTED,
        custom={
            "label": _("Accepter"),
            "clerk_button": True,
            "comment_required": False,
            "message": (MessageKind.DECISION, "request_decision"),
            "progress_step": 3,
            "sets_appointment": True,
        },
    )
    def accept(self):
        self.decided_at = timezone.now()

    @transition(
        field=state,
        source=[RequestState.SUBMITTED, RequestState.IN_PROGRESS, RequestState.WAITING],
        target=RequestState.REFUSED,
        custom={
            "label": _("Refuser"),
            "clerk_button": True,
            "comment_required": True,
            "message": (MessageKind.DECISION, "request_decision"),
            "progress_step": 4,
        },
    )
    def refuse(self):
        self.decided_at = timezone.now()

    @transition(
        field=state,
        source=RequestState.ACCEPTED,
        target=RequestState.DONE,
        custom={
            "label": _("Terminer"),
            "clerk_button": True,
            "comment_required": False,
            "message": (MessageKind.INFORMATION, "request_done"),
            "progress_step": 4,
        },
    )
    def complete(self):
        pass

    @transition(
        field=state,
        source=RequestState.SUBMITTED,
        target=RequestState.CANCELLED,
        custom={
            "label": _("Annulation par le demandeur"),
            "clerk_button": False,
            "comment_required": False,
            "message": (MessageKind.ACKNOWLEDGEMENT, "request_cancelled"),
            "progress_step": 4,
        },
    )
    def cancel(self):
        pass

    # The citizen closes the account: every open request stops, whatever its step. The
    # closure's own mail lists them, so this sends nothing.
    @transition(
        field=state,
        source=list(OPEN_STATES),
        target=RequestState.CANCELLED,
        custom={
            "label": _("Annulation à la fermeture du compte"),
            "clerk_button": False,
            "comment_required": False,
            "message": None,
            "progress_step": 4,
        },
    )
    def withdraw(self):
        pass

    # A clerk's « Information » (come to the Guichet Unique with…): a message that leaves
    # the state as it is, on any request that has been sent. Its own form, not a button.
    @transition(
        field=state,
        source=list(SENT_STATES),
        target=None,
        custom={
            "label": _("Information au demandeur"),
            "clerk_button": False,
            "comment_required": True,
            "message": (MessageKind.INFORMATION, "request_information"),
            "progress_step": None,
        },
    )
    def inform(self):
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
