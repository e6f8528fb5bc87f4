"""« Télécharger mes données » and « Fermer mon compte », from the « Compte » tab.

Both are open to every citizen, validated or not: the rights of access and erasure
do not wait for the town's validation.
"""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from privacy import closure, exports
from privacy.forms import ClosureForm
from privacy.models import DataExport
from privacy.shredder import kept_after_closure


@login_required
@require_GET
def data_page(request):
    """The archive's state: none yet, being prepared, ready (until when), failed."""
    latest = exports.exports_for_account(request.user).first()
    context = {"active_tab": "account", "export": latest}
    return render(request, "privacy/data.html", context)


@login_required
@require_POST
def data_export_request(request):
    export = exports.data_export_request(account=request.user)
    export.refresh_from_db()
    if export.state == DataExport.State.READY:
        messages.success(request, _("Votre archive est prête : téléchargez-la ci-dessous."))
    else:
        messages.info(
            request,
            _("Votre archive est en préparation. Revenez sur cette page dans quelques minutes."),
        )
    return redirect("privacy:data")


@never_cache
@login_required
@require_GET
def data_export_download(request, pk: int):
    """Only the owner's archive, ready and within its lifetime: any other answers 404."""
    export = get_object_or_404(
        exports.exports_for_account(request.user).filter(state=DataExport.State.READY), pk=pk
    )
    day = timezone.localdate(export.ready_at).isoformat()
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=f"mes-donnees-{request.user.identifier}-{day}.zip",
        content_type="application/zip",
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_close(request):
    account = request.user
    running = list(closure.open_requests(account))
    form = ClosureForm(request.POST or None, account=account, has_open_requests=bool(running))
    refusal = closure.closure_refusal(account)
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            closure.account_close(account=account, by=account, cancel_open_requests=bool(running))
        except closure.ClosureRefused as error:
            refusal = str(error)
        else:
            logout(request)
            return redirect("privacy:closed")
    context = {
        "active_tab": "account",
        "form": form,
        "open_requests": running,
        "refusal": refusal,
        "kept": kept_after_closure(),
    }
    status = 409 if request.method == "POST" and refusal else 200
    return render(request, "privacy/close.html", context, status=status)


@require_GET
def account_closed(request):
    return render(request, "privacy/closed.html", {"kept": kept_after_closure()})
