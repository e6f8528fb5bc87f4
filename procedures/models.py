"""Citizens' requests: their state machine, history, documents and numbering.

The catalogue they are made from (themes, procedures, fields, documents) lives in
``procedures.catalogue.models``; its models are re-exported here, where Django and the
migrations have always found them."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from common.fsm import RefreshableStateMixin
from common.history import HistoryEvent
from common.private_storage import get_private_storage, upload_path
from notifications.models import MessageKind
from procedures.catalogue.models import (  # noqa: F401 re-exported: the app's models
    CHOICE_KINDS,
    CHOICE_KINDS_HELP,
    Certificate,
    Concerns,
    Condition,
    DocumentRequirement,
    FieldBlock,
    FieldKind,
    Join,
    MembersOf,
    Operator,
    Procedure,
    ProcedureField,
    ProcedureKind,
    ProcedurePage,
    ProcedureQuerySet,
    Street,
    Theme,
)
from procedures.catalogue.processing import (  # noqa: F401 re-exported: the app's models
    DecisionOutcome,
    DecisionTemplate,
    ProcedureRoute,
    ProcedureStep,
    StepAction,
)


class RequestState(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Reçue")
    IN_PROGRESS = "in_progress", _("En cours de traitement")
    WAITING = "waiting", _("En attente de pièces ou d'informations")
    ACCEPTED = "accepted", _("Acceptée")
    REFUSED = "refused", _("Refusée")
    DONE = "done", _("Terminée")
    CANCELLED = "cancelled", _("Annulée")
    # Waited too long for the citizen's pieces (procedures.deadlines): closed, not decided.
    CLOSED = "sans_suite", _("Classée sans suite")


OPEN_STATES = (
    RequestState.SUBMITTED,
    RequestState.IN_PROGRESS,
    RequestState.WAITING,
    RequestState.ACCEPTED,
)
# No transition is left to anyone: decided, cancelled or closed without a decision.
CLOSED_STATES = (
    RequestState.DONE,
    RequestState.REFUSED,
    RequestState.CANCELLED,
    RequestState.CLOSED,
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
    # The form as it was when the request was sent (procedures.catalogue.definition):
    # what the récapitulatif, the clerk's page, the PDF and the exports read afterwards,
    # whatever the catalogue became. Empty for a draft and for requests sent before.
    definition = models.JSONField(_("formulaire à l'envoi"), default=dict, blank=True)
    definition_revision = models.PositiveIntegerField(
        _("version du formulaire"), null=True, blank=True
    )

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
    # A request a clerk filled for the citizen at the counter or on the phone.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saisie au guichet par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Anonymous requests: a code that is hard to guess and easy to read out.
    tracking_code = models.CharField(
        _("code de suivi"), max_length=32, unique=True, null=True, blank=True
    )
    # The clerk who handles it (procedures.desk): never shown to the citizen.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attribuée à"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_requests",
    )

    # The group the procedure's routing chose at sending (procedures.routing); empty: the
    # theme's groups handle it.
    service_group = models.ForeignKey(
        "auth.Group",
        verbose_name=_("service destinataire"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="routed_requests",
    )

    objects = RequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("demande")
        verbose_name_plural = _("demandes")
        ordering = ["-submitted_at", "-created_at"]
        permissions = [("enter_request", _("Saisir une demande au guichet pour un usager"))]
        indexes = [
            models.Index(fields=["account", "state", "-submitted_at"]),
            models.Index(fields=["state", "-submitted_at"]),
            models.Index(fields=["procedure", "state"]),
            models.Index(fields=["state", "created_at"]),
            models.Index(fields=["assignee", "state"]),
            # « Statistiques » reads the requests sent in a period (procedures.statistics).
            models.Index(fields=["submitted_at", "procedure"]),
        ]

    def __str__(self) -> str:
        return self.number or str(_("Brouillon n° %(pk)s") % {"pk": self.pk})

    @property
    def is_draft(self) -> bool:
        return self.state == RequestState.DRAFT

    @property
    def is_closed(self) -> bool:
        """Decided or cancelled: no transition is left to anyone."""
        return self.state in CLOSED_STATES

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

    # The deadlines of procedures.deadlines, run by the beat and `manage.py run_deadlines`:
    # nobody clicks them, the history says « la mairie » through their label.

    @transition(
        field=state,
        source=RequestState.WAITING,
        target=RequestState.CLOSED,
        custom={
            "label": _("Classement sans suite (pas de réponse du demandeur)"),
            "clerk_button": False,
            "comment_required": False,
            "message": (MessageKind.DECISION, "request_closed"),
            "progress_step": 4,
        },
    )
    def close_unanswered(self):
        self.decided_at = timezone.now()

    @transition(
        field=state,
        source=[RequestState.SUBMITTED, RequestState.IN_PROGRESS, RequestState.WAITING],
        target=RequestState.ACCEPTED,
        custom={
            "label": _("Décision implicite d'acceptation"),
            "clerk_button": False,
            "comment_required": False,
            "message": (MessageKind.DECISION, "request_implicit_acceptance"),
            "progress_step": 3,
        },
    )
    def accept_implicitly(self):
        self.decided_at = timezone.now()

    @transition(
        field=state,
        source=[RequestState.SUBMITTED, RequestState.IN_PROGRESS, RequestState.WAITING],
        target=RequestState.REFUSED,
        custom={
            "label": _("Décision implicite de rejet"),
            "clerk_button": False,
            "comment_required": False,
            "message": (MessageKind.DECISION, "request_implicit_refusal"),
            "progress_step": 4,
        },
    )
    def refuse_implicitly(self):
        self.decided_at = timezone.now()

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
        indexes = [
            models.Index(fields=["request", "at"]),
            # The waits for the citizen, for « Statistiques » (procedures.statistics.waits).
            models.Index(
                fields=["request", "at"],
                condition=models.Q(to_state=RequestState.WAITING),
                name="procedures_event_waiting_idx",
            ),
        ]

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


def new_verification_code() -> str:
    """32 characters of a URL-safe alphabet, 192 bits: never guessed, never enumerated."""
    return secrets.token_urlsafe(24)


class DecisionDocument(models.Model):
    """A document a decision produced (« Autorisation de stationnement »), as issued.

    Its text is filled and kept at the decision: editing the procedure's template later
    changes no document already given. Valid while its request stays decided that way
    (procedures.decisions.verification); deleted with its request.
    """

    request = models.ForeignKey(
        Request,
        verbose_name=_("demande"),
        on_delete=models.CASCADE,
        related_name="decision_documents",
    )
    outcome = models.CharField(_("décision"), max_length=24, choices=DecisionOutcome.choices)
    title = models.CharField(_("titre"), max_length=160)
    body = models.TextField(_("texte"))
    signatory_name = models.CharField(_("signataire"), max_length=160)
    signatory_role = models.CharField(_("qualité du signataire"), max_length=160)
    # The person the document is for; the verification page shows only the initials.
    holder_name = models.CharField(_("titulaire"), max_length=310, blank=True)
    # The day the decision was born (an implicit one: the end of the silence delay).
    decided_on = models.DateField(_("date de la décision"))
    issued_at = models.DateTimeField(_("établi le"), default=timezone.now)
    verification_code = models.CharField(
        _("code de vérification"), max_length=64, unique=True, default=new_verification_code
    )

    class Meta:
        verbose_name = _("document de décision")
        verbose_name_plural = _("documents de décision")
        ordering = ["issued_at", "pk"]

    def __str__(self) -> str:
        return self.title


# The clerk's desk (assignment history, private notes): its own module, the same app.
from procedures.desk.models import AssignmentEvent, RequestNote  # noqa: E402, F401
