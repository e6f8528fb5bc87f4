"""Superusers' part of the back office: groups (roles), second-factor devices, login
attempts and the access journal. Whatever a group may hold by mistake, clerks get 403."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from backoffice.models import AccessEntry
from backoffice.scoping import ScopedAdminMixin, SuperuserOnlyMixin
from common.read_only_admin import ReadOnlyAdminMixin

# The third-party admins that manage staff, their devices and login attempts.
SUPERUSERS_ONLY = {"auth.group", "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog",
                   "otp_totp.totpdevice", "otp_static.staticdevice"}  # fmt: skip


def superusers_only(model_admin_class):
    """The same admin, for superusers alone, 404 for a missing object (no telling ids)."""
    return type(
        model_admin_class.__name__,
        (SuperuserOnlyMixin, ScopedAdminMixin, model_admin_class),
        {"__module__": __name__},
    )


for model, model_admin in list(admin.site._registry.items()):
    if model._meta.label_lower in SUPERUSERS_ONLY:
        admin.site.unregister(model)
        admin.site.register(model, superusers_only(type(model_admin)))


@admin.register(AccessEntry)
class AccessEntryAdmin(SuperuserOnlyMixin, ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("at", "staff_identifier", "kind", "object_repr", "citizen_link")
    list_filter = (("staff", admin.RelatedOnlyFieldListFilter), "kind", "at")
    search_fields = ("citizen_identifier", "staff_identifier", "object_repr")
    date_hierarchy = "at"
    readonly_fields = (
        "at",
        "staff",
        "staff_identifier",
        "citizen",
        "citizen_identifier",
        "kind",
        "object_id",
        "object_repr",
    )
    fields = readonly_fields

    @admin.display(description=_("citoyen"), ordering="citizen_identifier")
    def citizen_link(self, entry: AccessEntry):
        """The citizen's identifier, a link to every access to that citizen's data."""
        if not entry.citizen_identifier:
            return "—"
        query = urlencode({"citizen_identifier": entry.citizen_identifier})
        return format_html('<a href="?{}">{}</a>', query, entry.citizen_identifier)

    def lookup_allowed(self, lookup, value, request=None):
        # « Par citoyen »: the journal filtered by one citizen's identifier.
        return lookup == "citizen_identifier" or super().lookup_allowed(lookup, value, request)
