from notifications.unread import unread_count


def unread_messages(request):
    """The number beside « Mes messages » in the header, from the cache when it can."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.is_staff:
        return {}
    return {"unread_messages": unread_count(user)}
