"""Privacy self-service on the profile page: download my data, delete my account."""

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.ratelimit import check_rate

from . import privacy, services
from .errors import RateLimited, ServiceError
from .forms import AccountDeleteForm


@require_POST
@login_required
def data_export(request):
    try:
        check_rate("export", request.user.pk, fail_open=False,
                   message=_("You have just downloaded your data several times. Try again in ten minutes."))
    except RateLimited as refused:
        messages.error(request, refused.message)
        return redirect("communities:profile")
    response = HttpResponse(privacy.export_zip(request.user), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{privacy.export_filename(request.user)}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@reauthentication_required(app="")
def account_delete(request):
    """Asks for the password again (allauth), then for an explicit confirmation."""
    form = AccountDeleteForm(request.POST if request.method == "POST" else None)
    blockers = privacy.deletion_blockers(request.user)
    if request.method == "POST" and form.is_valid() and not blockers:
        try:
            services.account_delete(user=request.user, delete_messages=form.cleaned_data["delete_messages"])
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            logout(request)
            messages.success(request, _("Your account has been deleted. Thank you for taking part in Leerkring."))
            return redirect("/")
    return render(request, "communities/account_delete.html", {"form": form, "blockers": blockers})
