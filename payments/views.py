"""The « Paiements » tab; invoices and the basket come with their issue."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET


@login_required
@require_GET
def payments_tab(request):
    return render(request, "payments/index.html", {"active_tab": "payments"})
