"""The site-wide pages: home, help and the pages a French commune must publish."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.forms import LoginForm
from appointments.selectors import upcoming_bookings
from citizen_portal.health import report as health_report
from privacy.periods import retention_periods
from procedures import selectors as procedure_selectors
from procedures.anonymous import procedures_without_account
from procedures.catalogue import cache as catalogue

DASHBOARD_REQUESTS = 20


@require_GET
def home(request):
    if request.user.is_authenticated:
        sent, drafts = procedure_selectors.dashboard_requests(
            account=request.user, count=DASHBOARD_REQUESTS
        )
        context = {
            "active_tab": "home",
            "requests": sent,
            "drafts": drafts,
            "bookings": list(upcoming_bookings(account=request.user)),
        }
        return render(request, "home/dashboard.html", context)
    context = {
        "login_form": LoginForm(request),
        "anonymous_procedures": procedures_without_account(),
    }
    return render(request, "home/welcome.html", context)


@require_GET
def page(request, name: str):
    # « Données personnelles » states the retention periods the code applies.
    context = {
        "access_journal_days": settings.ACCESS_JOURNAL_RETENTION_DAYS,
        "retention": retention_periods(),
    }
    return render(request, f"pages/{name}.html", context)


@require_GET
def site_map(request):
    """« Plan du site »: a second way to every page (RGAA 12.1), from the footer."""
    context = {
        "themes": catalogue.published_themes(),
        "anonymous_procedures": procedures_without_account(),
    }
    return render(request, "pages/plan_du_site.html", context)


@never_cache
@require_GET
def health(request):
    """For the load balancer: 200 when the database (and the broker, if any) answer, else 503."""
    body, healthy = health_report()
    return JsonResponse(body, status=200 if healthy else 503)
