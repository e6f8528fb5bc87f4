from django.apps import AppConfig, apps
from django.contrib.admin import apps as admin_apps

# django-otp's models speak English in the admin; superusers read them in French.
OTP_NAMES = {
    "otp_totp": ("Double authentification : applications", "application", "applications"),
    "otp_static": (
        "Double authentification : codes de secours",
        "liste de codes",
        "listes de codes",
    ),
}


class BackofficeConfig(AppConfig):
    default = True
    name = "backoffice"
    verbose_name = "Administration du portail"

    def ready(self):
        for label, (app_name, singular, plural) in OTP_NAMES.items():
            app_config = apps.get_app_config(label)
            app_config.verbose_name = app_name
            for model in app_config.get_models():
                model._meta.verbose_name = singular
                model._meta.verbose_name_plural = plural


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin, on our site: a second factor for staff (``backoffice.site``)."""

    default = False
    default_site = "backoffice.site.PortalAdminSite"
