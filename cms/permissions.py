"""Who may do what in the cms admin beyond Wagtail's own add/change/delete checks."""

NEWSLETTER_SEND_PERMISSION = "cms.send_newsletterissue"


def can_compose_newsletter(user) -> bool:
    """Composers may also send a test of an issue to themselves."""
    return user.is_active and user.has_perm("cms.change_newsletterissue")


def can_send_newsletter(user) -> bool:
    return user.is_active and user.has_perm(NEWSLETTER_SEND_PERMISSION)
