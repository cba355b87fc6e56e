"""Who may manage a circle's webhooks: its facilitators (others get 404, as elsewhere in a circle)."""

from django.utils.translation import gettext as _

from communities.errors import NotFound
from communities.permissions import is_facilitator, require_facilitator

from .models import Endpoint


def can_manage_webhooks(user, circle) -> bool:
    return is_facilitator(user, circle)


def require_webhook_manager(user, circle):
    return require_facilitator(user, circle)


def get_managed_endpoint(user, circle, endpoint_id) -> Endpoint:
    require_webhook_manager(user, circle)
    endpoint = Endpoint.objects.filter(pk=endpoint_id, circle=circle).first()
    if endpoint is None:
        raise NotFound(_("This webhook does not exist."))
    return endpoint
