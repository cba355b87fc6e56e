"""Personal access tokens for the API, linked from the profile page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .errors import NotFound, ServiceError
from .forms_circles import TokenForm
from .models import PersonalAccessToken

NEW_TOKEN_SESSION_KEY = "lk_new_access_token"


@login_required
def token_list(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = services.access_token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                expires_in_days=form.cleaned_data["expires_in_days"] or None,
            )
        except ServiceError as error:
            form.add_service_error(error)
        else:
            # Shown once, on the next page, then gone from the session.
            request.session[NEW_TOKEN_SESSION_KEY] = {"id": token.pk, "token": raw}
            return redirect("communities:tokens")
    new_token = request.session.pop(NEW_TOKEN_SESSION_KEY, None)
    tokens = PersonalAccessToken.objects.filter(user=request.user)
    return render(
        request, "communities/tokens.html", {"form": form, "tokens": tokens, "new_token": new_token, "now": timezone.now()}
    )


@require_POST
@login_required
def token_revoke(request, token_id):
    try:
        token = services.access_token_revoke(user=request.user, token_id=token_id)
    except NotFound:
        raise Http404 from None
    messages.success(request, _("The token %(name)s has been revoked; it no longer works.") % {"name": token.name})
    return redirect("communities:tokens")
