from captcha.fields import CaptchaTextInput


class AccessibleCaptchaInput(CaptchaTextInput):
    """The captcha image with a text alternative and a link to hear it (flite)."""

    template_name = "accounts/widgets/captcha.html"
