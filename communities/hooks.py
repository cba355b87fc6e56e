"""Connections to allauth: after logging in (also right after signing up and confirming the
email address), a visitor who came through an invitation link continues on the invitation."""


def continue_with_invitation(sender, request, response=None, **kwargs):
    from .views_circles import pending_invitation_url

    if response is None or getattr(response, "status_code", None) not in (301, 302, 303):
        return
    url = pending_invitation_url(request)
    if url:
        response["Location"] = url
