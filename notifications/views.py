"""The citizen's messages, so that nothing depends on mail alone."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from notifications import selectors, services


@login_required
@require_GET
def message_list(request):
    messages = selectors.inbox(account=request.user)
    return render(
        request,
        "notifications/message_list.html",
        {"active_tab": "messages", "inbox": messages[:100]},
    )


@login_required
@require_GET
def message_detail(request, pk):
    message = get_object_or_404(selectors.inbox(account=request.user), pk=pk)
    services.message_mark_read(message=message)
    return render(
        request,
        "notifications/message_detail.html",
        {"active_tab": "messages", "message": message},
    )
