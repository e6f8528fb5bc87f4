"""Clerks read households here: members inline, the history of every change, filters.

The front desk reads every household; a service reads only the households, and
of them only the people, that the requests of its themes concern
(``households.selectors``). Anything else is 404, as if it did not exist.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.models import AccountStatus
from backoffice import journal
from backoffice.scoping import ScopedAdminMixin
from common.read_only_admin import ReadOnlyInline
from households.models import Household, HouseholdEvent, Member
from households.selectors import households_for_staff, members_for_staff, sees_every_household


class MemberInline(ReadOnlyInline):
    model = Member
    fields = (
        "relationship",
        "sex",
        "last_name",
        "first_names",
        "birth_date",
        "category_display",
        "birth_place",
        "email",
        "phone",
        "profession",
        "school",
        "school_class",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return members_for_staff(request.user, super().get_queryset(request).holder_first())

    @admin.display(description=_("catégorie"))
    def category_display(self, member: Member) -> str:
        return member.category.label


class HouseholdEventInline(ReadOnlyInline):
    model = HouseholdEvent
    fields = ("at", "action", "member_name", "actor", "changes")
    readonly_fields = fields
    ordering = ("-at", "-pk")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    def has_view_permission(self, request, obj=None):
        # The history names every member: only for those who may read the whole household.
        return sees_every_household(request.user) and super().has_view_permission(request, obj)


class ChildrenCountFilter(admin.SimpleListFilter):
    """By number of children today, from the birth dates (see HouseholdQuerySet)."""

    title = _("nombre d'enfants")
    parameter_name = "enfants"

    def lookups(self, request, model_admin):
        return [("0", _("Aucun")), ("1", "1"), ("2", "2"), ("3", _("3 et plus"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        # The counts come from HouseholdAdmin.get_queryset.
        if value == "3":
            return queryset.filter(children_count__gte=3)
        if value in {"0", "1", "2"}:
            return queryset.filter(children_count=int(value))
        return queryset


class AccountStatusFilter(admin.SimpleListFilter):
    title = _("statut du compte")
    parameter_name = "statut"

    def lookups(self, request, model_admin):
        return AccountStatus.choices

    def queryset(self, request, queryset):
        if self.value() in AccountStatus.values:
            return queryset.filter(account__status=self.value())
        return queryset


@admin.register(Household)
class HouseholdAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "account_identifier",
        "holder_name",
        "account_status",
        "adults_count",
        "children_count",
        "city",
    )
    list_filter = (AccountStatusFilter, ChildrenCountFilter)
    search_fields = (
        "account__identifier",
        "account__last_name",
        "account__first_name",
        "members__last_name",
        "members__first_names",
    )
    list_select_related = ("account",)
    readonly_fields = ("account", "created_at", "address")
    fields = ("account", "address", "created_at")
    inlines = [MemberInline, HouseholdEventInline]

    def get_queryset(self, request):
        return households_for_staff(
            request.user, super().get_queryset(request).with_member_counts()
        )

    def get_list_display(self, request):
        if sees_every_household(request.user):
            return self.list_display
        # Counting the members would tell a service about people its requests do not concern.
        return ("account_identifier", "holder_name", "account_status", "city")

    def get_list_filter(self, request):
        return self.list_filter if sees_every_household(request.user) else ()

    def get_search_fields(self, request):
        if sees_every_household(request.user):
            return self.search_fields
        return ("account__identifier", "account__last_name", "account__first_name")

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        if obj is not None:
            journal.access_record(
                staff=request.user, kind=journal.Kind.HOUSEHOLD, obj=obj, citizen=obj.account
            )
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def has_add_permission(self, request):
        # A household comes with its account (registration, or first visit of « Compte »).
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("identifiant"), ordering="account__identifier")
    def account_identifier(self, household: Household) -> str:
        return household.account.identifier

    @admin.display(description=_("titulaire du compte"), ordering="account__last_name")
    def holder_name(self, household: Household) -> str:
        return household.account.get_full_name()

    @admin.display(description=_("statut du compte"), ordering="account__status")
    def account_status(self, household: Household) -> str:
        return household.account.get_status_display()

    @admin.display(description=_("adultes"), ordering="adults_count")
    def adults_count(self, household: Household) -> int:
        return household.adults_count

    @admin.display(description=_("enfants"), ordering="children_count")
    def children_count(self, household: Household) -> int:
        return household.children_count

    @admin.display(description=_("commune"), ordering="account__city")
    def city(self, household: Household) -> str:
        return household.account.city

    @admin.display(description=_("adresse du foyer"))
    def address(self, household: Household) -> str:
        account = household.account
        return f"{account.address}, {account.postal_code} {account.city}"
