"""Birth, marriage and death certificates without an account, and their private tracking link."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from common.personal_pages import personal_page
from notifications.selectors import messages_about
from notifications.topics import request_topic
from procedures import anonymous
from procedures.civil_status import CivilStatusForm, answer_rows
from procedures.services import RequestError
from procedures.views.pdf import pdf_response


def private(response):
    """A tracking page is for its holder only: not cached, not indexed."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def tracked_or_404(code: str):
    citizen_request = anonymous.tracked_request(code=code)
    if citizen_request is None:
        raise Http404
    return citizen_request


@require_http_methods(["GET", "POST"])
def start(request, slug):
    procedure = anonymous.procedure_without_account(slug=slug)
    if procedure is None:
        raise Http404
    form = CivilStatusForm(request.POST or None, certificate=procedure.certificate)
    if request.method == "POST" and form.is_valid():
        try:
            citizen_request = anonymous.civil_status_request_submit(
                procedure=procedure, data=form.cleaned_data
            )
        except RequestError as error:
            form.add_error(None, str(error))
        else:
            return redirect("procedures:anonymous_done", code=citizen_request.tracking_code)
    return render(
        request, "procedures/anonymous/start.html", {"procedure": procedure, "form": form}
    )


def tracking_context(request, citizen_request) -> dict:
    return {
        "sent": citizen_request,
        "tracking_url": request.build_absolute_uri(
            reverse("procedures:track", args=[citizen_request.tracking_code])
        ),
    }


@personal_page
@never_cache
@require_GET
def done(request, code):
    citizen_request = tracked_or_404(code)
    context = tracking_context(request, citizen_request)
    return private(render(request, "procedures/anonymous/done.html", context))


@personal_page
@never_cache
@require_GET
def track(request, code):
    citizen_request = tracked_or_404(code)
    context = tracking_context(request, citizen_request) | {
        "answers": answer_rows(citizen_request.answers),
        "events": list(citizen_request.events.all()),
        "inbox": messages_about(topic=request_topic(citizen_request.pk)),
    }
    return private(render(request, "procedures/anonymous/track.html", context))


@personal_page
@never_cache
@require_GET
def track_pdf(request, code):
    return private(pdf_response(request, tracked_or_404(code)))
