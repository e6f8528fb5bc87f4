"""Decision documents: the citizen's own from « Demandes », and the public verification.

``/verifier/<code>/`` is public (a police officer reads the QR code on a windscreen): it
answers without a login, says only what procedures.decisions.verification allows, is
never cached or indexed, and is throttled per address so that codes cannot be tried in
bulk (a code is 192 random bits besides).
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.shortcuts import get_object_or_404, render
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from common.pdf import PDF_MIMETYPE
from common.private_files import private_file_response
from procedures import selectors
from procedures.decisions.files import decision_file_name, decision_pdf_content
from procedures.decisions.verification import document_verify
from procedures.models import DecisionDocument

THROTTLE_WINDOW_SECONDS = 60


def over_the_limit(request) -> bool:
    """One more verification from this address in the current minute: True past the limit.
    The shared cache down: allowed (the page reads one row by a unique code)."""
    # The address the login's throttling counts (AXES_CLIENT_IP_CALLABLE: the client's,
    # behind our proxies), read through the setting: the shell is not imported from here.
    address = import_string(settings.AXES_CLIENT_IP_CALLABLE)(request)
    key = f"verify-throttle:{address or 'unknown'}"
    try:
        if cache.add(key, 1, timeout=THROTTLE_WINDOW_SECONDS):
            return False
        return cache.incr(key) > settings.VERIFICATION_REQUESTS_PER_MINUTE
    except Exception:  # noqa: BLE001 - the cache's outage must not close the page
        return False


@never_cache
@require_GET
def verify(request, code):
    if over_the_limit(request):
        response = render(request, "procedures/decisions/verify_throttled.html", status=429)
        response["Retry-After"] = str(THROTTLE_WINDOW_SECONDS)
        return response
    verification = document_verify(code=code)
    response = render(
        request,
        "procedures/decisions/verify.html",
        {"verification": verification},
        status=200 if verification is not None else 404,
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@login_required
@require_GET
def decision_document(request, pk, document_pk):
    """The citizen's document, from their own request only (another's: 404)."""
    citizen_request = get_object_or_404(
        selectors.request_with_details(selectors.submitted_requests(account=request.user)), pk=pk
    )
    document = get_object_or_404(
        DecisionDocument.objects.filter(request=citizen_request), pk=document_pk
    )
    document.request = citizen_request
    return private_file_response(
        decision_pdf_content(document),
        filename=decision_file_name(document),
        content_type=PDF_MIMETYPE,
        as_attachment=False,
    )
