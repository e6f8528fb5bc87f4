from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class BackofficeConfig(AppConfig):
    default = True
    name = "backoffice"
    verbose_name = "Administration du portail"


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin, on our site: a second factor for staff (``backoffice.site``)."""

    default = False
    default_site = "backoffice.site.PortalAdminSite"
