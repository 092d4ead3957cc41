def inbox(request):
    """The unread count for the staff navbar, counted only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def unread():
        return user.notifications.filter(read_at__isnull=True).count()

    return {"inbox_unread": unread}
