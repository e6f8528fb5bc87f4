"""The cryptogramme spelled aloud in French, played in the page by an <audio> player."""

from captcha.models import CaptchaStore
from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from common.captcha import speak


@never_cache
@require_GET
def captcha_audio(request, key: str):
    if not settings.CAPTCHA_SPEECH_PATH:
        raise Http404
    store = CaptchaStore.objects.filter(hashkey=key, expiration__gt=timezone.now()).first()
    if store is None:
        return HttpResponse(status=410)  # expired: crawlers need not come back
    response = HttpResponse(speak(store.challenge), content_type="audio/wav")
    response["Content-Disposition"] = 'inline; filename="cryptogramme.wav"'
    return response
