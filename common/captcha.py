"""The « cryptogramme »: letters that cannot be confused once distorted, an audio version
spelled in French, a field that tells an expired one from a wrong one, and a « Nouveau
cryptogramme » button that works without JavaScript."""

import re
import secrets
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from captcha.fields import CaptchaField
from captcha.models import CaptchaStore
from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

ALPHABET = "ABCDEFGHJKMNPRSTUVWXYZ2345678"
RENEW = "nouveau_cryptogramme"  # the name of the « Nouveau cryptogramme » submit button
PAUSE_MS = 900  # between two characters, long enough to write one down
SPEECH_RATE = 140  # words per minute; espeak-ng's default (175) is hard to follow letter by letter


def unambiguous_challenge() -> tuple[str, str]:
    text = "".join(secrets.choice(ALPHABET) for _ in range(settings.CAPTCHA_LENGTH))
    return text, text


def spelled_ssml(text: str) -> str:
    """Each character by its French name, a pause after each, the whole said twice."""
    pause = f'<break time="{PAUSE_MS}ms"/>'
    letters = "".join(f'<say-as interpret-as="characters">{char}</say-as>{pause}' for char in text)
    return (
        f"<speak>Cryptogramme de {len(text)} caractères. {pause}{letters}"
        f"Je répète. {pause}{letters}</speak>"
    )


def speak(text: str) -> bytes:
    """A WAV file of ``text`` spelled by espeak-ng's French voice."""
    program = settings.CAPTCHA_SPEECH_PATH
    if not program:  # the views offer no sound then (common.captcha_audio)
        raise ImproperlyConfigured("espeak-ng est introuvable : pas de cryptogramme sonore.")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cryptogramme.wav"
        subprocess.run(  # noqa: S603 (a fixed program, the text is our own challenge)
            [
                program,
                "-v",
                settings.CAPTCHA_SPEECH_VOICE,
                "-s",
                str(SPEECH_RATE),
                "-m",  # SSML: <say-as> and <break>
                "-w",
                str(path),
                spelled_ssml(text),
            ],
            check=True,
            capture_output=True,
            timeout=10,
        )
        return path.read_bytes()


HASHKEY = re.compile(r"[0-9a-f]{1,64}")


class PortalCaptchaField(CaptchaField):
    """Tells the citizen when the cryptogramme has expired (or was already used), rather than
    calling it incorrect."""

    def clean(self, value):
        key, answer = (list(value or []) + ["", ""])[:2]
        answer = (answer or "").strip()
        test_pass = settings.CAPTCHA_TEST_MODE and answer.lower() == "passed"
        if key and not test_pass and not HASHKEY.fullmatch(key):
            # Not a key we issued (hex): never sent to the database, where a NUL would fail.
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if key and answer and not test_pass:
            alive = CaptchaStore.objects.filter(hashkey=key, expiration__gt=timezone.now())
            if not alive.exists():
                raise forms.ValidationError(self.error_messages["expired"], code="expired")
        return super().clean(value)


def captcha_help() -> str:
    """The player is named only where it is offered (espeak-ng installed), read at each
    rendering: the forms are built once, at import."""
    if settings.CAPTCHA_SPEECH_PATH:
        return gettext(
            "Recopiez les caractères de l'image. Vous pouvez aussi les écouter avec le lecteur "
            "«\u00a0Écouter le cryptogramme\u00a0», ou en demander un autre avec le bouton "
            "«\u00a0Nouveau cryptogramme\u00a0»."
        )
    return gettext(
        "Recopiez les caractères de l'image, ou demandez-en un autre avec le bouton "
        "«\u00a0Nouveau cryptogramme\u00a0»."
    )


def captcha_field() -> PortalCaptchaField:
    """The same « Cryptogramme » on every form that asks for one."""
    from common.captcha_widget import AccessibleCaptchaInput

    return PortalCaptchaField(
        label=_("Cryptogramme"),
        help_text=lazy(captcha_help, str)(),
        error_messages={
            "invalid": _("Le cryptogramme est incorrect, recopiez le nouveau."),
            "expired": format_lazy(
                _(
                    "Le cryptogramme a expiré (il est valable {minutes} minutes) : "
                    "recopiez le nouveau."
                ),
                minutes=settings.CAPTCHA_TIMEOUT,
            ),
        },
        widget=AccessibleCaptchaInput,
    )


# For the type checker the mixin is a form (it only ever is mixed into one).
if TYPE_CHECKING:
    _Form = forms.Form
else:
    _Form = object


class CaptchaRenewalMixin(_Form):
    """« Nouveau cryptogramme » submits the form: it comes back with what was typed (passwords
    excepted), no error shown, and a new cryptogramme; nothing is saved."""

    @property
    def captcha_renewal_asked(self) -> bool:
        return self.is_bound and RENEW in self.data

    def full_clean(self):
        if self.captcha_renewal_asked:
            self._errors = forms.utils.ErrorDict()
            self.cleaned_data = {}
            if "captcha" in self.fields:
                self.fields["captcha"].widget.renewed = True
            return
        super().full_clean()

    def is_valid(self) -> bool:
        return super().is_valid() and not self.captcha_renewal_asked
