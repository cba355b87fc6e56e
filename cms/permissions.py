"""Who may do what in the cms admin beyond Wagtail's own add/change/delete checks."""

from wagtail.permission_policies import ModelPermissionPolicy

NEWSLETTER_SEND_PERMISSION = "cms.send_newsletterissue"
FROZEN_ONCE_SENT_ACTIONS = ("change", "delete")


def can_compose_newsletter(user) -> bool:
    """Composers may also send a test of an issue to themselves."""
    return user.is_active and user.has_perm("cms.change_newsletterissue")


def can_send_newsletter(user) -> bool:
    return user.is_active and user.has_perm(NEWSLETTER_SEND_PERMISSION)


class NewsletterIssuePermissionPolicy(ModelPermissionPolicy):
    """A sent issue is the record of what subscribers received, and its deliveries keep anyone from
    getting it twice: nobody may change or delete it, in any admin view (bulk actions included)."""

    def user_has_permission_for_instance(self, user, action, instance):
        if action in FROZEN_ONCE_SENT_ACTIONS and instance.is_sent:
            return False
        return super().user_has_permission_for_instance(user, action, instance)
