"""The « Compte » tab: the account's data (and, with the household, its members)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET


@login_required
@require_GET
def account_tab(request):
    return render(request, "households/account.html", {"active_tab": "account"})
