"""The citizen's messages, so that nothing depends on mail alone."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from notifications import services
from notifications.models import Message


@login_required
@require_GET
def message_list(request):
    messages = Message.objects.for_account(request.user).visible().order_by("-send_after", "-pk")
    return render(
        request,
        "notifications/message_list.html",
        {"active_tab": "messages", "inbox": messages[:100]},
    )


@login_required
@require_GET
def message_detail(request, pk):
    message = get_object_or_404(Message.objects.for_account(request.user).visible(), pk=pk)
    services.message_mark_read(message=message)
    return render(
        request,
        "notifications/message_detail.html",
        {"active_tab": "messages", "message": message},
    )
