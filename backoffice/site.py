"""The admin site of the portal: staff reach it with a second factor when it is required."""

from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes import views as contenttype_views
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from backoffice import two_factor
from backoffice.login import StaffAuthenticationForm, second_factor_checked_elsewhere
from backoffice.statistics import registry as statistics_registry
from backoffice.statistics import views as statistics_views


def second_factor_missing(request) -> bool:
    """A staff member who gave the password but not yet the code (when codes are required),
    unless the identity source that logged them in checked a second factor itself."""
    user = request.user
    return (
        settings.STAFF_TWO_FACTOR
        and user.is_active
        and user.is_staff
        and not user.is_verified()
        and not second_factor_checked_elsewhere(request.session)
    )


class PortalAdminSite(admin.AdminSite):
    site_header = _("Votre espace citoyen — administration")
    site_title = _("Votre espace citoyen")
    index_title = _("Traitement des comptes et des demandes")
    login_form = StaffAuthenticationForm

    def has_permission(self, request):
        return super().has_permission(request) and not second_factor_missing(request)

    def login(self, request, extra_context=None):
        """The password form, or straight to the code for someone who already gave it."""
        if request.user.is_authenticated and second_factor_missing(request):
            return redirect(self.second_step_url(request))
        return super().login(request, extra_context)

    def second_step_url(self, request) -> str:
        target = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return f"{reverse('admin:two_factor', current_app=self.name)}?{urlencode({'next': target})}"

    def view_on_site(self, request, content_type_id, object_id):
        """Django's « Voir sur le site » finds any object by id: for superusers alone, or it
        would tell a clerk which ids exist outside his scope."""
        if not request.user.is_superuser:
            raise PermissionDenied
        return contenttype_views.shortcut(request, content_type_id, object_id)

    def password_change(self, request, extra_context=None):
        """Staff change their password on the portal's own page: the same rules, the same
        history row and notice by mail as everyone's."""
        return redirect("accounts:password_change")

    def get_urls(self):
        return [
            path(
                "r/<int:content_type_id>/<path:object_id>/",
                self.admin_view(self.view_on_site),
                name="view_on_site",
            ),
            path(
                "double-authentification/",
                two_factor.VerifyView.as_view(site=self),
                name="two_factor",
            ),
            path(
                "double-authentification/configurer/",
                two_factor.SetupView.as_view(site=self),
                name="two_factor_setup",
            ),
            *statistics_views.urls(self),
            *super().get_urls(),
        ]

    def index(self, request, extra_context=None):
        """The index links to « Statistiques » for whoever may read one of its sections."""
        extra_context = {
            **(extra_context or {}),
            "statistics_available": bool(statistics_registry.sections_for(request.user)),
        }
        return super().index(request, extra_context)
