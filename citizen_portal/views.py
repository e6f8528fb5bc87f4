"""The site-wide pages: home, help and the pages a French commune must publish."""

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.forms import LoginForm
from procedures import selectors as procedure_selectors
from procedures.anonymous import procedures_without_account

DASHBOARD_REQUESTS = 20


@require_GET
def home(request):
    if request.user.is_authenticated:
        account = request.user
        context = {
            "active_tab": "home",
            "requests": procedure_selectors.submitted_requests(account=account)[
                :DASHBOARD_REQUESTS
            ],
            "drafts": procedure_selectors.drafts(account=account),
        }
        return render(request, "home/dashboard.html", context)
    context = {
        "login_form": LoginForm(request),
        "anonymous_procedures": procedures_without_account(),
    }
    return render(request, "home/welcome.html", context)


@require_GET
def page(request, name: str):
    return render(request, f"pages/{name}.html")


@never_cache
@require_GET
def health(request):
    """For the load balancer: answers 200 only when the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        return JsonResponse({"status": "error", "database": False}, status=503)
    return JsonResponse({"status": "ok", "database": True})
