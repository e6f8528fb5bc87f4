from captcha.fields import CaptchaTextInput
from django.conf import settings
from django.urls import reverse

from common.captcha import RENEW

# What Django and django-simple-captcha put on every part of the widget, but which a hidden
# input must not carry (invalid HTML: the W3C checker refuses them), nor any input
# (``autocorrect`` is Safari's own).
HIDDEN_PART_DROPS = ("required", "aria-describedby", "aria-invalid", "autocomplete", "autocorrect")


class AccessibleCaptchaInput(CaptchaTextInput):
    """The captcha image with a text alternative, a player that spells it in French, and a
    « Nouveau cryptogramme » button (a submit button: it works without JavaScript)."""

    template_name = "accounts/widgets/captcha.html"
    renewed = False  # set by CaptchaRenewalMixin when the citizen asked for a new one

    def audio_url(self) -> str | None:
        if not settings.CAPTCHA_SPEECH_PATH:
            return None
        return reverse("captcha_audio", kwargs={"key": self._key})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        hidden, answer = context["widget"]["subwidgets"]
        for attr in HIDDEN_PART_DROPS:
            hidden["attrs"].pop(attr, None)
        answer["attrs"].pop("autocorrect", None)
        if self.renewed:
            answer["attrs"]["autofocus"] = True
        context["renew_name"] = RENEW
        context["renewed"] = self.renewed
        return context
