"""Clerks find pending accounts here and validate them."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts import services
from accounts.models import AccountEvent, AccountStatus, User


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("identifier",)


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


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


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    change_form_template = "admin/accounts/user/change_form.html"
    list_display = ("identifier", "last_name", "first_name", "email", "status", "date_joined")
    list_filter = ("status", "is_staff", "groups", "date_joined")
    search_fields = ("identifier", "last_name", "first_name", "email")
    ordering = ("-date_joined",)
    list_select_related = True
    readonly_fields = ("status", "validated_at", "validated_by", "date_joined", "last_login")
    inlines = [AccountEventInline]
    actions = ["validate_accounts"]
    fieldsets = (
        (None, {"fields": ("identifier", "password")}),
        (
            _("Identité"),
            {"fields": ("civility", "last_name", "first_name", "birth_date")},
        ),
        (
            _("Coordonnées"),
            {"fields": ("email", "phone", "address", "postal_code", "city")},
        ),
        (_("Validation"), {"fields": ("status", "validated_at", "validated_by")}),
        (
            _("Droits"),
            {
                "classes": ("collapse",),
                "fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions"),
            },
        ),
        (_("Dates"), {"fields": ("date_joined", "last_login")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("identifier", "password1", "password2")}),
    )

    def save_model(self, request, obj, form, change):
        before = User.objects.get(pk=obj.pk) if change else None
        super().save_model(request, obj, form, change)
        if before is not None:
            services.account_staff_edit_record(account=obj, before=before, by=request.user)

    def has_validate_permission(self, request) -> bool:
        return request.user.has_perm("accounts.validate_account")

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
        account = get_object_or_404(User, pk=pk)
        if services.account_validate(account=account, by=request.user):
            self.message_user(request, _("Le compte %s est validé.") % account, messages.SUCCESS)
        else:
            self.message_user(request, _("Ce compte était déjà validé."), messages.INFO)
        return redirect(reverse("admin:accounts_user_change", args=[pk]))

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        context["can_validate"] = bool(
            obj and obj.is_pending and self.has_validate_permission(request)
        )
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)
