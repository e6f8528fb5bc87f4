"""The two links of an email change: confirm the new address, or cancel from the old one.

Each link opens a page with one button: a mail client that fetches links to preview
them must not confirm or cancel anything. No login is needed: the link is the proof.
"""

from django.db import transaction
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts import email_change
from common.personal_pages import personal_page

PAGES = {
    "confirm": (email_change.email_change_confirm, "accounts/email_confirm.html"),
    "cancel": (email_change.email_change_cancel, "accounts/email_cancel.html"),
}


@personal_page
@never_cache
@require_http_methods(["GET", "POST"])
def email_link(request, token: str, kind: str):
    service, template = PAGES[kind]
    context = {"token": token}
    try:
        if request.method == "POST":
            context["done"] = service(token=token)
        else:
            with transaction.atomic():
                context["change"] = email_change.change_for_link(token=token, kind=kind)
    except email_change.LinkRefused as refusal:
        return render(request, template, {"refusal": str(refusal)}, status=410)
    return render(request, template, context)
