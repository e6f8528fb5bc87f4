"""Accounts in the admin: the front desk validates citizens and corrects how to reach them.

Least privilege by construction (see ``backoffice.roles``):

- staff accounts, their rights and their passwords are managed by superusers
  alone; everyone else lists citizens only, and a staff account is 404 to them;
- a citizen's account never shows rights fields, so no form can make it staff;
- every change goes through ``accounts.services``: the history row, the notices
  to the citizen (the old address too when the email changes), the household.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts import services
from accounts.models import AccountEvent, AccountStatus, User
from backoffice import journal
from backoffice.scoping import ScopedAdminMixin

IDENTITY_FIELDS = ("civility", "last_name", "first_name", "birth_date")
ALWAYS_READ_ONLY = ("identifier", "status", "validated_at", "validated_by", "date_joined")


class StaffCreationForm(AdminUserCreationForm):
    """Citizens create their own accounts; the admin creates staff accounts only."""

    class Meta:
        model = User
        fields = ("identifier",)

    def save(self, commit=True):
        self.instance.is_staff = True
        self.instance.status = AccountStatus.VALIDATED
        return super().save(commit)


class StaffEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = (
            *IDENTITY_FIELDS,
            *services.CONTACT_FIELDS,
            "is_active",
            "is_superuser",
            "groups",
            "user_permissions",
        )


class CitizenCorrectionForm(forms.ModelForm):
    """What staff may correct on a citizen's account; the admin narrows it by role."""

    class Meta:
        model = User
        fields = services.EDITABLE_ACCOUNT_FIELDS


class AccountEventInline(admin.TabularInline):
    model = AccountEvent
    fk_name = "account"
    extra = 0
    can_delete = False
    fields = ("at", "kind", "actor", "note", "changes")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


IDENTITY = (_("Identité"), {"fields": IDENTITY_FIELDS})
CONTACT = (_("Coordonnées"), {"fields": services.CONTACT_FIELDS})
DATES = (_("Dates"), {"fields": ("date_joined", "last_login")})
# Every fieldset is named: one without a name has no heading, and screen readers list it
# as an unnamed group.
CITIZEN_FIELDSETS = (
    (_("Compte"), {"fields": ("identifier",)}),
    IDENTITY,
    CONTACT,
    (_("Validation"), {"fields": ("status", "validated_at", "validated_by")}),
    DATES,
)
STAFF_FIELDSETS = (
    (_("Compte"), {"fields": ("identifier", "password")}),
    IDENTITY,
    CONTACT,
    (
        _("Droits"),
        {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
    ),
    DATES,
)


@admin.register(User)
class UserAdmin(ScopedAdminMixin, BaseUserAdmin):
    form = StaffEditForm
    add_form = StaffCreationForm
    change_form_template = "admin/accounts/user/change_form.html"
    list_display = ("identifier", "last_name", "first_name", "email", "status", "date_joined")
    search_fields = ("identifier", "last_name", "first_name", "email")
    ordering = ("-date_joined",)
    list_select_related = True
    inlines = [AccountEventInline]
    actions = ["validate_accounts"]
    add_fieldsets = (
        (
            _("Compte d'agent"),
            {"classes": ("wide",), "fields": ("identifier", "password1", "password2")},
        ),
    )

    # Who sees and changes what

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(is_staff=False, is_superuser=False)

    def get_list_filter(self, request):
        if request.user.is_superuser:
            return ("status", "is_staff", "groups", "date_joined")
        return ("status", "date_joined")

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        return STAFF_FIELDSETS if obj.is_staff else CITIZEN_FIELDSETS

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        if obj.is_staff:
            return (*ALWAYS_READ_ONLY, "last_login", "is_staff")
        if request.user.is_superuser and not obj.identity_certified:
            return (*ALWAYS_READ_ONLY, "last_login")
        # A FranceConnect identity is certified: nobody corrects it here, superusers neither.
        return (*ALWAYS_READ_ONLY, "last_login", *IDENTITY_FIELDS)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None and not obj.is_staff:
            kwargs["form"] = CitizenCorrectionForm
        return super().get_form(request, obj, change=change, **kwargs)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_staff and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_validate_permission(self, request) -> bool:
        return request.user.has_perm("accounts.validate_account")

    # Saving through the services

    def save_model(self, request, obj, form, change):
        if change and not obj.is_staff:
            data = {name: form.cleaned_data[name] for name in form.changed_data}
            services.account_correct(account=User.objects.get(pk=obj.pk), by=request.user, **data)
            return
        if change:
            request.staff_before = services.staff_snapshot(User.objects.get(pk=obj.pk))
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        before = getattr(request, "staff_before", None)
        if before is not None:
            services.staff_rights_record(account=form.instance, before=before, by=request.user)

    def user_change_password(self, request, id, form_url=""):
        """Superusers only: a clerk who could set a password could become anyone."""
        if not request.user.is_superuser:
            raise PermissionDenied
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                account = User.objects.get(pk=id)
                services.password_set_by_staff_record(account=account, by=request.user)
        return response

    # Validation

    @admin.action(description=_("Valider les comptes sélectionnés"), permissions=["validate"])
    def validate_accounts(self, request, queryset):
        validated = sum(
            services.account_validate(account=account, by=request.user)
            for account in queryset.filter(status=AccountStatus.PENDING)
        )
        self.message_user(
            request,
            ngettext("%d compte validé.", "%d comptes validés.", validated) % validated,
            messages.SUCCESS,
        )

    def get_urls(self):
        validate = self.admin_site.admin_view(require_POST(self.validate_view))
        return [
            path("<int:pk>/valider/", validate, name="accounts_user_validate"),
            *super().get_urls(),
        ]

    def validate_view(self, request, pk):
        if not self.has_validate_permission(request):
            raise PermissionDenied
        account = self.get_object(request, pk)
        if services.account_validate(account=account, by=request.user):
            self.message_user(request, _("Le compte %s est validé.") % account, messages.SUCCESS)
        else:
            self.message_user(request, _("Ce compte était déjà validé."), messages.INFO)
        return redirect(reverse("admin:accounts_user_change", args=[pk]))

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        context["can_validate"] = bool(
            obj and obj.is_pending and self.has_validate_permission(request)
        )
        if obj is not None and not obj.is_staff:
            journal.access_record(
                staff=request.user, kind=journal.Kind.ACCOUNT, obj=obj, citizen=obj
            )
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)
