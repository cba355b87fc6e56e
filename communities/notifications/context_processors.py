"""`notifications_unread` for the header badge: counted once, and only when a template uses it."""


class _LazyCount:
    def __init__(self, user, known: int | None = None):
        self.user = user
        self._value = known

    def __call__(self) -> int:  # templates call callables: {{ notifications_unread }}
        if self._value is None:
            from .selectors import unread_count

            self._value = unread_count(self.user)
        return self._value


def notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # A view that counted them in its own query already (the channel pages) left the number here.
    return {"notifications_unread": _LazyCount(user, getattr(request, "unread_notifications", None))}
