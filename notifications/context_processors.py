from notifications.models import Message


def unread_messages(request):
    """The number beside « Mes messages » in the header: one cheap query, only when logged in."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.is_staff:
        return {}
    unread = Message.objects.for_account(user).visible().filter(read_at=None).count()
    return {"unread_messages": unread}
