"""The catalogue: themes, their procedures, each procedure's fields and documents.

The town's « Administration fonctionnelle » edits them in the admin; citizens' requests
(``procedures.models``) point at them. The models live here and keep the app label
``procedures`` (their tables and migrations are the app's), and ``procedures.models``
re-exports them, so that ``from procedures.models import Procedure`` keeps working.
"""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


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

    # Moved on by every save of the form in the admin and by an import; a request keeps
    # the definition, and this number, it was sent with.
    revision = models.PositiveIntegerField(_("version du formulaire"), default=1, editable=False)
    # Deadlines that act (procedures.deadlines, `manage.py run_deadlines`); empty: none.
    waiting_reminder_days = models.PositiveIntegerField(
        _("relance du demandeur après (jours d'attente)"),
        null=True,
        blank=True,
        help_text=_("Une demande « En attente de pièces ou d'informations » depuis ce délai."),
    )
    waiting_closure_days = models.PositiveIntegerField(
        _("classement sans suite après (jours d'attente)"),
        null=True,
        blank=True,
        help_text=_("Sans réponse du demandeur : la demande est « Classée sans suite »."),
    )
    untaken_alert_days = models.PositiveIntegerField(
        _("signaler aux agents les demandes reçues non prises en charge après (jours)"),
        null=True,
        blank=True,
        help_text=_("Un courriel par jour aux agents du service, qui les liste."),
    )
    # Routing (procedures.catalogue.processing.ProcedureRoute): the field whose answer
    # chooses the service group; empty, or an answer without its route: the theme's groups.
    routing_field = models.SlugField(
        _("champ qui choisit le service"),
        max_length=50,
        blank=True,
        help_text=_("Nom technique d'un champ à choix ; ses réponses sont aiguillées ci-dessous."),
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
    EXPLANATION = "explication", _("texte d'explication (affiché, pas une question)")
    YES_NO = "oui_non", _("oui ou non")
    INTEGER = "entier", _("nombre entier")
    NUMBER = "number", _("nombre décimal")
    DATE = "date", _("date")
    TIME = "heure", _("heure")
    EMAIL = "email", _("adresse électronique")
    PHONE = "phone", _("téléphone")
    POSTAL_CODE = "code_postal", _("code postal")
    TOWN = "commune", _("commune")
    ADDRESS = "adresse_commune", _("adresse dans la commune (répertoire des voies)")
    SIRET = "siret", _("numéro SIRET")
    RNA = "rna", _("numéro RNA d'association")
    IBAN = "iban", _("IBAN")
    BIC = "bic", _("BIC")
    PLATE = "immatriculation", _("plaque d'immatriculation")
    CHOICE = "choice", _("choix unique")
    MULTIPLE_CHOICE = "multiple_choice", _("choix multiple")
    CHECKBOX = "checkbox", _("case à cocher")
    MEMBERS = "membres", _("membres du foyer concernés")
    FILE = "file", _("fichier")


class Join(models.TextChoices):
    """How the conditions of one question, page, block or document combine."""

    ALL = "et", _("toutes les conditions (« et »)")
    ANY = "ou", _("l'une des conditions (« ou »)")


class MembersOf(models.TextChoices):
    """Which members a « membres du foyer concernés » field offers."""

    ALL = "", _("tous les membres du foyer")
    ADULTS = "adultes", _("les adultes")
    CHILDREN = "enfants", _("les enfants")


class ProcedurePage(models.Model):
    """A page of a procedure's form; a procedure without pages has one, its title."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("démarche"), on_delete=models.CASCADE, related_name="pages"
    )
    title = models.CharField(_("titre de la page"), max_length=120)
    order = models.PositiveIntegerField(_("ordre"), default=0)
    condition_join = models.CharField(
        _("conditions"), max_length=2, choices=Join.choices, default=Join.ALL, blank=True
    )

    class Meta:
        verbose_name = _("page du formulaire")
        verbose_name_plural = _("pages du formulaire")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class FieldBlock(models.Model):
    """A group of fields asked once per item (each vehicle, each child), between a
    minimum and a maximum of items."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("démarche"), on_delete=models.CASCADE, related_name="blocks"
    )
    page = models.ForeignKey(
        ProcedurePage,
        verbose_name=_("page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="blocks",
        help_text=_("Vide : la première page."),
    )
    name = models.SlugField(
        _("nom technique"), max_length=50, help_text=_("Lettres, chiffres et tirets bas.")
    )
    label = models.CharField(
        _("nom d'un élément"), max_length=80, help_text=_("Au singulier : « Véhicule ».")
    )
    min_items = models.PositiveSmallIntegerField(_("nombre minimum"), default=1)
    max_items = models.PositiveSmallIntegerField(_("nombre maximum"), default=5)
    order = models.PositiveIntegerField(_("ordre"), default=0)
    condition_join = models.CharField(
        _("conditions"), max_length=2, choices=Join.choices, default=Join.ALL, blank=True
    )

    class Meta:
        verbose_name = _("bloc répété")
        verbose_name_plural = _("blocs répétés")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "name"], name="procedures_block_name_unique"
            ),
            models.CheckConstraint(
                condition=Q(min_items__lte=models.F("max_items")) & Q(max_items__gte=1),
                name="procedures_block_items_range",
                violation_error_message=_(
                    "Le nombre maximum est au moins 1 et au moins le nombre minimum."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.label


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
    page = models.ForeignKey(
        ProcedurePage,
        verbose_name=_("page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fields",
        help_text=_("Vide : la première page."),
    )
    block = models.ForeignKey(
        FieldBlock,
        verbose_name=_("bloc répété"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fields",
        help_text=_("Un champ d'un bloc est demandé pour chaque élément du bloc."),
    )
    condition_join = models.CharField(
        _("conditions"), max_length=2, choices=Join.choices, default=Join.ALL, blank=True
    )
    # What some kinds take besides (the admin says which).
    minimum = models.DecimalField(
        _("minimum"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    maximum = models.DecimalField(
        _("maximum"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("unité"), max_length=20, blank=True, help_text=_("m³, €, km…"))
    min_days = models.IntegerField(
        _("au moins … jours après aujourd'hui"),
        null=True,
        blank=True,
        help_text=_(
            "Date : 15 pour « au moins 15 jours après aujourd'hui », 0 pour « pas passée »."
        ),
    )
    max_days = models.IntegerField(_("au plus … jours après aujourd'hui"), null=True, blank=True)
    not_before = models.SlugField(
        _("pas avant la date du champ"),
        max_length=50,
        blank=True,
        help_text=_(
            "Nom technique d'un champ date plus haut : « la date de fin n'est pas "
            "avant la date de début »."
        ),
    )
    accept_other = models.BooleanField(
        _("accepter aussi…"),
        default=False,
        help_text=_(
            "Adresse : une adresse écrite librement si la voie n'est pas dans le répertoire. "
            "Immatriculation : l'ancien format « 1234 AB 56 »."
        ),
    )
    members_of = models.CharField(
        _("membres proposés"), max_length=10, choices=MembersOf.choices, blank=True, default=""
    )
    file_types = models.CharField(
        _("types de fichiers"),
        max_length=30,
        blank=True,
        help_text=_("Parmi « pdf, jpeg, png », séparés par des virgules ; vide : les trois."),
    )
    file_max_mb = models.PositiveSmallIntegerField(
        _("taille maximale (Mo)"), null=True, blank=True, help_text=_("10 Mo au plus.")
    )

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
    condition_join = models.CharField(
        _("conditions"), max_length=2, choices=Join.choices, default=Join.ALL, blank=True
    )

    class Meta:
        verbose_name = _("pièce justificative")
        verbose_name_plural = _("pièces justificatives")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.label


class Operator(models.TextChoices):
    """What a condition checks. Those of the first group compare an earlier answer with
    the condition's value; the last ones read what the account knows."""

    EQUALS = "egal", _("est égal à")
    DIFFERS = "different", _("est différent de")
    ONE_OF = "parmi", _("est l'un de (valeurs séparées par « ; »)")
    TICKED = "cochee", _("est cochée / oui")
    NOT_TICKED = "non_cochee", _("n'est pas cochée / non")
    GREATER = "superieur", _("est supérieur à / après le")
    AT_LEAST = "au_moins", _("est au moins / à partir du")
    LESS = "inferieur", _("est inférieur à / avant le")
    AT_MOST = "au_plus", _("est au plus / jusqu'au")
    SUBJECT_CHILD = "enfant", _("la personne concernée est un enfant")
    SUBJECT_ADULT = "adulte", _("la personne concernée est un adulte")
    SUBJECT_UNDER = "moins_de_ans", _("la personne concernée a moins de … ans")


SUBJECT_OPERATORS = frozenset(
    {Operator.SUBJECT_CHILD, Operator.SUBJECT_ADULT, Operator.SUBJECT_UNDER}
)


class Condition(models.Model):
    """« Afficher … seulement quand … »: one test on an earlier answer or on the person
    concerned. It targets a field, a page, a block or a document; a target's conditions
    combine as its ``condition_join`` says. Data only, never code: an operator from the
    list, a value compared as text, number or date."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("démarche"), on_delete=models.CASCADE, related_name="conditions"
    )
    field = models.ForeignKey(
        ProcedureField,
        verbose_name=_("afficher le champ"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="conditions",
    )
    page = models.ForeignKey(
        ProcedurePage,
        verbose_name=_("afficher la page"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="conditions",
    )
    block = models.ForeignKey(
        FieldBlock,
        verbose_name=_("afficher le bloc"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="conditions",
    )
    document = models.ForeignKey(
        DocumentRequirement,
        verbose_name=_("demander la pièce"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="conditions",
    )
    source = models.ForeignKey(
        ProcedureField,
        verbose_name=_("quand la réponse à"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Vide pour une condition sur la personne concernée."),
    )
    operator = models.CharField(_("opérateur"), max_length=16, choices=Operator.choices)
    value = models.CharField(_("valeur"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("condition d'affichage")
        verbose_name_plural = _("conditions d'affichage")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        field__isnull=False,
                        page__isnull=True,
                        block__isnull=True,
                        document__isnull=True,
                    )
                    | Q(
                        field__isnull=True,
                        page__isnull=False,
                        block__isnull=True,
                        document__isnull=True,
                    )
                    | Q(
                        field__isnull=True,
                        page__isnull=True,
                        block__isnull=False,
                        document__isnull=True,
                    )
                    | Q(
                        field__isnull=True,
                        page__isnull=True,
                        block__isnull=True,
                        document__isnull=False,
                    )
                ),
                name="procedures_condition_one_target",
                violation_error_message=_(
                    "Une condition porte sur un seul élément : "
                    "un champ, une page, un bloc ou une pièce."
                ),
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.source or _('personne concernée')} {self.get_operator_display()} {self.value}"
        )


class Street(models.Model):
    """A street of the town's register, loaded from the national address base (BAN) by
    ``manage.py import_streets``: what an « adresse dans la commune » field offers."""

    name = models.CharField(_("voie"), max_length=200)
    postal_code = models.CharField(_("code postal"), max_length=5)
    town = models.CharField(_("commune"), max_length=100)
    # The BAN's id of the street (``id_fantoir`` or the first part of ``id``): found again
    # by the next import, whatever its spelling became.
    code = models.CharField(_("identifiant BAN"), max_length=40, unique=True)
    numbers = models.JSONField(_("numéros connus"), default=list, blank=True)

    class Meta:
        verbose_name = _("voie")
        verbose_name_plural = _("répertoire des voies")
        ordering = ["name", "postal_code"]
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.postal_code} {self.town})"
