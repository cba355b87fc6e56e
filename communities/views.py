from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from . import services
from .forms import ProfileForm


@login_required
def profile_edit(request):
    profile = services.profile_ensure(user=request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        services.profile_update(profile=profile, data=form.cleaned_data, expertise=form.cleaned_data["expertise"])
        messages.success(request, _("Your profile has been saved."))
        return redirect("communities:profile")
    return render(request, "communities/profile_edit.html", {"form": form, "profile": profile})


@login_required
def member_detail(request, user_id: int):
    member = get_object_or_404(get_user_model().objects.select_related("profile"), pk=user_id, is_active=True)
    profile = services.profile_ensure(user=member)
    expertise = sorted(profile.expertise.names(), key=str.lower)
    return render(
        request, "communities/member_detail.html", {"member": member, "profile": profile, "expertise": expertise}
    )
