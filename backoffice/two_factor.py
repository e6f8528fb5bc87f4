"""The second factor of staff logins: a TOTP application, with single-use backup codes.

Built on django-otp. A staff member without a confirmed device sets one up right
after the password (scan the QR code or type the key, then give a code) and
receives ten backup codes, shown once. Afterwards each login asks for a code from
the application or one backup code. django-otp throttles wrong codes per device.
A lost phone: a superuser deletes the member's devices (« TOTP devices » in the
admin) and the next login sets up a new one.
"""

import xml.etree.ElementTree as ET  # noqa: S405 - we write this XML, never parse it.
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django_otp import login as otp_login
from django_otp import user_has_device, verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from backoffice.login import second_factor_checked_elsewhere

BACKUP_CODES = 10
APP_DEVICE_NAME = "Application d'authentification"
BACKUP_DEVICE_NAME = "Codes de secours"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code à usage unique"),
        max_length=16,
        help_text=_(
            "Les 6 chiffres affichés par votre application, ou l'un de vos codes de secours."
        ),
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).lower()


def devices_to_try(user, code: str):
    """Six digits are an application's code; anything else can only be a backup code."""
    model = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    return model.objects.devices_for_user(user, confirmed=True)


def device_for_code(user, code: str):
    for device in devices_to_try(user, code):
        verified = verify_token(user, device.persistent_id, code)
        if verified is not None:
            return verified
    return None


def throttled(devices) -> str:
    """Asked before checking a code: too soon after a wrong one, even a right code fails."""
    if any(not device.verify_is_allowed()[0] for device in devices):
        return gettext(
            "Trop d'essais rapprochés : attendez quelques secondes, puis saisissez le code "
            "suivant de votre application."
        )
    return ""


def qr_code_svg(url: str, label: str) -> str:
    """An inline SVG (no image to fetch, nothing for the CSP to refuse) with its text."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    root = image.get_image()
    root.set("role", "img")
    root.set("aria-label", label)
    root.set("class", "qr-code")
    return ET.tostring(root, encoding="unicode")


def grouped(key: str) -> str:
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@method_decorator([never_cache, csrf_protect], name="dispatch")
class StaffStepView(View):
    """Only for a staff member who gave the password; ``site`` is the admin site."""

    site = None
    template_name = ""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not (user.is_authenticated and user.is_active and user.is_staff):
            return redirect("admin:login")
        if user.is_verified() or second_factor_checked_elsewhere(request.session):
            return redirect(self.next_url())
        elsewhere = self.other_step(user)
        if elsewhere:
            return redirect(f"{reverse(elsewhere)}?{request.GET.urlencode()}")
        return super().dispatch(request, *args, **kwargs)

    def other_step(self, user) -> str:
        """The name of the step this user should be on instead, if not this one."""
        return ""

    def next_url(self) -> str:
        target = self.request.POST.get("next") or self.request.GET.get("next", "")
        if url_has_allowed_host_and_scheme(
            target, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return target
        return reverse("admin:index")

    def render(self, **context):
        context = {
            **self.site.each_context(self.request),
            "next": self.next_url(),
            **context,
        }
        return render(self.request, self.template_name, context)


class VerifyView(StaffStepView):
    template_name = "admin/two_factor/verify.html"

    def other_step(self, user) -> str:
        return "" if user_has_device(user) else "admin:two_factor_setup"

    def get(self, request):
        return self.render(form=CodeForm(), title=gettext("Double authentification"))

    def post(self, request):
        form = CodeForm(request.POST)
        if form.is_valid():
            code = form.cleaned_data["code"]
            too_soon = throttled(devices_to_try(request.user, code))
            device = device_for_code(request.user, code)
            if device is not None:
                otp_login(request, device)
                return redirect(self.next_url())
            form.add_error(
                "code",
                too_soon
                or gettext(
                    "Ce code n'est pas valide : vérifiez l'heure de votre téléphone, attendez "
                    "le code suivant ou utilisez un code de secours."
                ),
            )
        return self.render(form=form, title=gettext("Double authentification"))


class SetupView(StaffStepView):
    template_name = "admin/two_factor/setup.html"

    def other_step(self, user) -> str:
        # Never a second device behind the first one's back: that would be a way around it.
        return "admin:two_factor" if user_has_device(user) else ""

    def pending_device(self) -> TOTPDevice:
        device = TOTPDevice.objects.filter(user=self.request.user, confirmed=False).first()
        return device or TOTPDevice.objects.create(
            user=self.request.user, name=APP_DEVICE_NAME, confirmed=False
        )

    def show(self, device: TOTPDevice, form: CodeForm):
        key = b32encode(device.bin_key).decode()
        return self.render(
            form=form,
            title=gettext("Configurer la double authentification"),
            qr_code=mark_safe(  # noqa: S308 - SVG built above from our own URL, no user text.
                qr_code_svg(device.config_url, gettext("QR code de configuration"))
            ),
            key=grouped(key),
        )

    def get(self, request):
        return self.show(self.pending_device(), CodeForm())

    def post(self, request):
        device = self.pending_device()
        form = CodeForm(request.POST)
        too_soon = throttled([device])
        if form.is_valid() and device.verify_token(form.cleaned_data["code"]):
            codes = device_confirm(device=device)
            otp_login(request, device)
            messages.success(request, gettext("La double authentification est en place."))
            return render(
                request,
                "admin/two_factor/backup_codes.html",
                {
                    **self.site.each_context(request),
                    "codes": codes,
                    "next": self.next_url(),
                    "title": gettext("Vos codes de secours"),
                },
            )
        if form.is_valid():
            form.add_error(
                "code",
                too_soon or gettext("Ce code n'est pas celui qu'attend la clé affichée."),
            )
        return self.show(device, form)


@transaction.atomic
def device_confirm(*, device: TOTPDevice) -> list[str]:
    """Confirm the application and issue the backup codes; returns them (shown once)."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    backup, _ = StaticDevice.objects.get_or_create(
        user=device.user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
    )
    backup.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=backup, token=code) for code in codes)
    return codes
