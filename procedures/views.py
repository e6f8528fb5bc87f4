"""« Services en ligne » and « Demandes »; the catalogue and requests come with their issue."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET


@login_required
@require_GET
def catalogue(request):
    return render(request, "procedures/catalogue.html", {"active_tab": "services"})


@login_required
@require_GET
def request_list(request):
    return render(request, "procedures/request_list.html", {"active_tab": "requests"})
