"""The simulated ANTS coordination API of the demo (DEBUG only, like the simulated
FranceConnect): ``GET /status``, ``POST`` and ``DELETE /appointments``, answering from
the demo numbers below and from what the portal declared (kept in the cache).

Demo numbers (README and « Aide »):

- ``VALIDE0001``, ``VALIDE0002``, ``VALIDE0003``: valid, free to book;
- ``CONSOMME01``: already used (« consumed »: the application was filed);
- ``AILLEURS01``: valid, already booked in another town;
- any other number: unknown to the ANTS.
"""

from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

VALID = ("VALIDE0001", "VALIDE0002", "VALIDE0003")
CONSUMED = "CONSOMME01"
BOOKED_ELSEWHERE = "AILLEURS01"
ELSEWHERE = {
    "meeting_point": "Mairie de Lyon 3e arrondissement",
    "appointment_date": "2030-01-15T10:30:00",
    "management_url": "https://rendez-vous.example/lyon3/gerer",
}
CACHE_KEY = "ants-simule:{}"


def simulated_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (settings.DEBUG and settings.ANTS_SIMULATED):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def declared(number: str) -> list[dict]:
    return cache.get(CACHE_KEY.format(number), [])


def number_status(number: str) -> dict:
    if number == CONSUMED:
        return {"status": "consumed", "appointments": []}
    if number == BOOKED_ELSEWHERE:
        return {"status": "validated", "appointments": [ELSEWHERE]}
    if number in VALID:
        return {"status": "validated", "appointments": declared(number)}
    return {"status": "unknown", "appointments": []}


@simulated_only
@require_http_methods(["GET"])
def root(request):
    return JsonResponse({"simulated": True})


@simulated_only
@require_http_methods(["GET"])
def status(request):
    return JsonResponse(
        {number: number_status(number) for number in request.GET.getlist("application_ids")}
    )


@csrf_exempt
@simulated_only
@require_http_methods(["POST", "DELETE"])
def appointments(request):
    number = request.GET.get("application_id", "")
    if number not in VALID:
        return JsonResponse({"detail": "unknown application_id"}, status=400)
    entries = [
        entry
        for entry in declared(number)
        if entry["appointment_date"] != request.GET.get("appointment_date")
        or entry.get("meeting_point_id") != request.GET.get("meeting_point_id")
    ]
    if request.method == "POST":
        entries.append(
            {
                "meeting_point": request.GET.get("meeting_point", ""),
                "meeting_point_id": request.GET.get("meeting_point_id", ""),
                "appointment_date": request.GET.get("appointment_date", ""),
                "management_url": request.GET.get("management_url", ""),
            }
        )
        cache.set(CACHE_KEY.format(number), entries, None)
        return JsonResponse({"success": True})
    cache.set(CACHE_KEY.format(number), entries, None)
    return JsonResponse({"rowcount": 1})
