"""The household (foyer) of an account and its members, adults and children."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.history import HistoryEvent
from common.validators import validate_name, validate_phone
from households.ages import age_on, majority_cutoff

NAME_MAX_LENGTH = 150


class Category(models.TextChoices):
    """Adult or child: what the add forms ask for, never a column (see ages.py).

    Values in French, as every value stored from now on (one language)."""

    ADULT = "adulte", _("adulte")
    CHILD = "enfant", _("enfant")


class Relationship(models.TextChoices):
    """The member's link to the account holder.

    Stored values are French and stay French from now on (one language); code names
    them by member (``Relationship.CHILD``), never by value (« enfant »)."""

    HOLDER = "titulaire", _("Titulaire du compte")
    SPOUSE = "conjoint", _("Conjoint ou conjointe")
    CHILD = "enfant", _("Enfant")
    PARENT = "parent", _("Parent")
    OTHER = "autre", _("Autre lien")


class Sex(models.TextChoices):
    FEMALE = "F", _("Féminin")
    MALE = "M", _("Masculin")


# Civility for adults, sex for children: one column, two ways of saying it.
CIVILITY_LABELS = {Sex.FEMALE: _("Madame"), Sex.MALE: _("Monsieur")}
CHILD_SEX_LABELS = {Sex.FEMALE: _("Fille"), Sex.MALE: _("Garçon")}


class HouseholdQuerySet(models.QuerySet):
    def with_member_counts(self, today: date | None = None):
        """Annotate ``adults_count`` and ``children_count``.

        Subqueries rather than Count over a join, so that a search or a filter
        joining the members again cannot multiply the numbers.
        """
        cutoff = majority_cutoff(today)

        def count(condition: Q):
            members = (
                Member.objects.filter(condition, household=OuterRef("pk"))
                .order_by()
                .values("household")
                .annotate(total=Count("pk"))
                .values("total")
            )
            return Coalesce(Subquery(members), Value(0))

        return self.annotate(
            adults_count=count(Q(birth_date__lte=cutoff)),
            children_count=count(Q(birth_date__gt=cutoff)),
        )


class Household(models.Model):
    """One per account; its postal address is the account's."""

    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        on_delete=models.CASCADE,
        related_name="household",
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("foyer")
        verbose_name_plural = _("foyers")
        ordering = ["account__last_name", "account__first_name"]
        # Without it, a clerk sees only the households his requests concern (households.admin).
        permissions = [("view_every_household", _("Peut consulter tous les foyers"))]

    def __str__(self) -> str:
        return str(_("Foyer de %(account)s") % {"account": self.account})


class MemberQuerySet(models.QuerySet):
    def adults(self, today: date | None = None):
        return self.filter(birth_date__lte=majority_cutoff(today))

    def children(self, today: date | None = None):
        return self.filter(birth_date__gt=majority_cutoff(today))

    def holder_first(self):
        """The account holder first, then the eldest to the youngest."""
        is_holder = models.Case(
            models.When(relationship=Relationship.HOLDER, then=Value(0)),
            default=Value(1),
        )
        return self.order_by(is_holder, "birth_date", "pk")


class Member(models.Model):
    household = models.ForeignKey(
        Household, verbose_name=_("foyer"), on_delete=models.CASCADE, related_name="members"
    )
    relationship = models.CharField(
        _("lien avec le titulaire du compte"), max_length=16, choices=Relationship.choices
    )
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices)
    last_name = models.CharField(_("nom"), max_length=NAME_MAX_LENGTH, validators=[validate_name])
    first_names = models.CharField(
        _("prénoms"), max_length=NAME_MAX_LENGTH, validators=[validate_name]
    )
    birth_date = models.DateField(_("date de naissance"))
    birth_place = models.CharField(_("lieu de naissance"), max_length=NAME_MAX_LENGTH, blank=True)
    # Adults only.
    email = models.EmailField(_("adresse électronique"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True, validators=[validate_phone])
    profession = models.CharField(_("profession"), max_length=NAME_MAX_LENGTH, blank=True)
    # Children only.
    school = models.CharField(_("école"), max_length=NAME_MAX_LENGTH, blank=True)
    school_class = models.CharField(_("classe"), max_length=50, blank=True)

    created_at = models.DateTimeField(_("ajouté le"), default=timezone.now)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("membre du foyer")
        verbose_name_plural = _("membres du foyer")
        ordering = ["birth_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(relationship=Relationship.HOLDER),
                name="households_one_holder_per_household",
            )
        ]
        indexes = [models.Index(fields=["household", "birth_date"])]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("households:member_detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_names} {self.last_name}".strip()

    @property
    def is_holder(self) -> bool:
        return self.relationship == Relationship.HOLDER

    @property
    def is_adult(self) -> bool:
        return self.birth_date <= majority_cutoff()

    @property
    def category(self) -> Category:
        return Category.ADULT if self.is_adult else Category.CHILD

    @property
    def age(self) -> int:
        return age_on(self.birth_date, timezone.localdate())

    @property
    def civility_label(self) -> str:
        labels = CIVILITY_LABELS if self.is_adult else CHILD_SEX_LABELS
        return str(labels.get(self.sex, ""))


class HouseholdEvent(HistoryEvent):
    """Every change to a household: who, when, which member, which fields (old and new)."""

    class Action(models.TextChoices):
        MEMBER_ADDED = "member_added", _("Membre ajouté")
        MEMBER_UPDATED = "member_updated", _("Membre modifié")
        MEMBER_REMOVED = "member_removed", _("Membre retiré du foyer")
        HOLDER_SYNCED = "holder_synced", _("Titulaire mis à jour depuis le compte")

    household = models.ForeignKey(
        Household, verbose_name=_("foyer"), on_delete=models.CASCADE, related_name="events"
    )
    # Kept when the member leaves the household, with the name as it was.
    member = models.ForeignKey(
        Member,
        verbose_name=_("membre"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    member_name = models.CharField(_("nom du membre"), max_length=2 * NAME_MAX_LENGTH + 1)
    action = models.CharField(_("action"), max_length=32, choices=Action.choices)
    # {"field": {"old": ..., "new": ...}}, as text.
    changes = models.JSONField(_("modifications"), default=dict, blank=True)

    class Meta:
        verbose_name = _("événement du foyer")
        verbose_name_plural = _("historique du foyer")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["household", "-at"])]

    def __str__(self) -> str:
        at = timezone.localtime(self.at)
        return f"{self.get_action_display()} — {self.member_name} — {at:%d/%m/%Y %H:%M}"
