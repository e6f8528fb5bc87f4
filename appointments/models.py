"""Appointments at the town's counters: places, agendas, their hours and closures, bookings.

A slot is a start time of an agenda (its opening hours cut into ``slot_minutes``);
``desks`` citizens may book the same slot. The number taken is kept on one row per
slot (``SlotCounter``), locked by every booking and cancellation: that row is what
stops two citizens from taking the last desk at once (see ``services.booking``).
An appointment of the « Titres d'identité » kind lasts one slot per person (up to
five), so it takes several consecutive slots.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_PEOPLE = 5


class Place(models.Model):
    """Where the counter is: the town hall, an annex."""

    name = models.CharField(_("nom"), max_length=120)
    address = models.CharField(_("adresse (numéro et voie)"), max_length=200)
    postal_code = models.CharField(_("code postal"), max_length=12)
    city = models.CharField(_("commune"), max_length=120)
    access = models.TextField(
        _("accès"),
        blank=True,
        help_text=_("Transports, stationnement, accessibilité aux personnes handicapées…"),
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    class Meta:
        verbose_name = _("lieu d'accueil")
        verbose_name_plural = _("lieux d'accueil")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def full_address(self) -> str:
        return f"{self.address}, {self.postal_code} {self.city}"


class AgendaQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)


class Agenda(models.Model):
    """The appointments of one service at one place."""

    class Kind(models.TextChoices):
        GENERAL = "general", _("Rendez-vous")
        IDENTITY = "identity", _("Titres d'identité")

    title = models.CharField(_("titre"), max_length=150)
    slug = models.SlugField(_("adresse"), max_length=80, unique=True)
    place = models.ForeignKey(
        Place, verbose_name=_("lieu"), on_delete=models.PROTECT, related_name="agendas"
    )
    kind = models.CharField(_("nature"), max_length=16, choices=Kind.choices, default=Kind.GENERAL)
    description = models.TextField(_("présentation"), blank=True)
    what_to_bring = models.TextField(
        _("à apporter"), blank=True, help_text=_("Repris sur la confirmation et dans le mail.")
    )
    groups = models.ManyToManyField(
        Group,
        verbose_name=_("services"),
        blank=True,
        related_name="agendas",
        help_text=_("Les services qui voient et gèrent les rendez-vous de cet agenda."),
    )
    slot_minutes = models.PositiveSmallIntegerField(
        _("durée d'un créneau (minutes)"),
        default=15,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
    )
    desks = models.PositiveSmallIntegerField(
        _("nombre de guichets"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("Combien de personnes peuvent réserver le même créneau."),
    )
    min_notice_hours = models.PositiveIntegerField(
        _("délai minimal (heures)"),
        default=24,
        help_text=_("Un créneau se réserve au plus tard ce nombre d'heures avant."),
    )
    max_weeks = models.PositiveSmallIntegerField(
        _("horizon (semaines)"),
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        help_text=_("Un créneau se réserve au plus tôt ce nombre de semaines avant."),
    )
    cancel_notice_hours = models.PositiveIntegerField(
        _("annulation en ligne jusqu'à (heures avant)"),
        default=24,
        help_text=_("Passé ce délai, le citoyen appelle la mairie pour annuler ou déplacer."),
    )
    one_future_per_person = models.BooleanField(
        _("un seul rendez-vous à venir par personne"),
        default=True,
        help_text=_("Refuse un second rendez-vous à venir à la même adresse électronique."),
    )
    published = models.BooleanField(_("publié"), default=False)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    objects = AgendaQuerySet.as_manager()

    class Meta:
        verbose_name = _("agenda")
        verbose_name_plural = _("agendas")
        ordering = ["place__name", "order", "title"]

    def __str__(self) -> str:
        return f"{self.title} — {self.place}"

    @property
    def is_identity(self) -> bool:
        return self.kind == self.Kind.IDENTITY

    @property
    def slot_length(self) -> timedelta:
        return timedelta(minutes=self.slot_minutes)


class OpeningHours(models.Model):
    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("lundi")
        TUESDAY = 1, _("mardi")
        WEDNESDAY = 2, _("mercredi")
        THURSDAY = 3, _("jeudi")
        FRIDAY = 4, _("vendredi")
        SATURDAY = 5, _("samedi")
        SUNDAY = 6, _("dimanche")

    agenda = models.ForeignKey(Agenda, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=Weekday.choices)
    opens_at = models.TimeField(_("ouverture"))
    closes_at = models.TimeField(_("fermeture"))

    class Meta:
        verbose_name = _("horaire d'ouverture")
        verbose_name_plural = _("horaires d'ouverture")
        ordering = ["weekday", "opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="appointments_hours_close_after_open",
                violation_error_message=_("La fermeture doit suivre l'ouverture."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"


class Closure(models.Model):
    """An exceptional closure (public holidays are closed without one)."""

    agenda = models.ForeignKey(Agenda, on_delete=models.CASCADE, related_name="closures")
    first_day = models.DateField(_("du"))
    last_day = models.DateField(_("au (inclus)"))
    reason = models.CharField(_("motif"), max_length=200)

    class Meta:
        verbose_name = _("fermeture exceptionnelle")
        verbose_name_plural = _("fermetures exceptionnelles")
        ordering = ["first_day"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_day__gte=models.F("first_day")),
                name="appointments_closure_in_order",
                violation_error_message=_("Le dernier jour ne peut précéder le premier."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_day:%d/%m/%Y}–{self.last_day:%d/%m/%Y} : {self.reason}"


class SlotCounter(models.Model):
    """How many desks of one slot are taken: the row every booking locks."""

    agenda = models.ForeignKey(Agenda, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    taken = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agenda", "starts_at"], name="appointments_one_counter"
            ),
            models.CheckConstraint(
                condition=models.Q(taken__gte=0), name="appointments_counter_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} : {self.taken}"


class BookingQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(state=Booking.State.CANCELLED)

    def upcoming(self, now=None):
        return self.active().filter(starts_at__gte=now or timezone.now())

    def for_account(self, account):
        return self.filter(account=account)


class Booking(models.Model):
    class State(models.TextChoices):
        BOOKED = "booked", _("Réservé")
        PRESENT = "present", _("Présent")
        ABSENT = "absent", _("Absent")
        CANCELLED = "cancelled", _("Annulé")

    agenda = models.ForeignKey(
        Agenda, verbose_name=_("agenda"), on_delete=models.PROTECT, related_name="bookings"
    )
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    slot_count = models.PositiveSmallIntegerField(_("créneaux"), default=1)
    people = models.PositiveSmallIntegerField(
        _("personnes"), default=1, validators=[MaxValueValidator(MAX_PEOPLE)]
    )
    state = models.CharField(_("état"), max_length=16, choices=State.choices, default=State.BOOKED)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bookings",
    )
    first_name = models.CharField(_("prénom"), max_length=150)
    last_name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("adresse électronique"))
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    # The cancel-or-move link's token: only its SHA-256 is kept (services.tokens).
    token_hash = models.CharField(max_length=64, unique=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("réservé par l'agent"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("réservé le"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("annulé le"), null=True, blank=True)
    cancel_message = models.TextField(_("message d'annulation"), blank=True)
    # ANTS answered none of the status checks (timeout): the clerk checks at the counter.
    ants_unverified = models.BooleanField(_("numéros non vérifiés auprès de l'ANTS"), default=False)

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("rendez-vous")
        verbose_name_plural = _("rendez-vous")
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["agenda", "starts_at"]),
            models.Index(fields=["email", "agenda"]),
            models.Index(fields=["account", "starts_at"]),
            models.Index(fields=["starts_at"]),
        ]

    def __str__(self) -> str:
        moment = timezone.localtime(self.starts_at)
        return f"{self.first_name} {self.last_name} — {moment:%d/%m/%Y %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.state != self.State.CANCELLED

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def slot_starts(self) -> list:
        step = self.agenda.slot_length
        return [self.starts_at + index * step for index in range(self.slot_count)]


class ApplicationNumber(models.Model):
    """A « numéro de pré-demande » of the ANTS, one per person of an identity appointment."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="applications")
    number = models.CharField(_("numéro de pré-demande"), max_length=10)

    class Meta:
        verbose_name = _("numéro de pré-demande")
        verbose_name_plural = _("numéros de pré-demande")
        ordering = ["pk"]
        indexes = [models.Index(fields=["number"])]

    def __str__(self) -> str:
        return self.number


class AntsCall(models.Model):
    """A declaration or deletion owed to the ANTS: written with the booking, sent by the
    worker, retried by beat until the ANTS takes it (never lost, never in the page)."""

    class Action(models.TextChoices):
        DECLARE = "declare", _("déclaration")
        DELETE = "delete", _("suppression")

    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    application_id = models.CharField(_("numéro de pré-demande"), max_length=10)
    # The query parameters as sent: the booking may be gone when a deletion is retried.
    params = models.JSONField(_("paramètres"))
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("prochain essai"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("essais"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    done_at = models.DateTimeField(_("accepté le"), null=True, blank=True)

    class Meta:
        verbose_name = _("échange avec l'ANTS")
        verbose_name_plural = _("échanges avec l'ANTS")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["done_at", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.application_id}"
