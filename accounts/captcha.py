"""The captcha challenge: letters that cannot be confused once distorted."""

import secrets

from django.conf import settings

ALPHABET = "ABCDEFGHJKMNPRSTUVWXYZ2345678"


def unambiguous_challenge() -> tuple[str, str]:
    text = "".join(secrets.choice(ALPHABET) for _ in range(settings.CAPTCHA_LENGTH))
    return text, text
