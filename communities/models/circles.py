from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CircleQuerySet(models.QuerySet):
    def listed(self):
        return self.filter(visibility=Circle.Visibility.LISTED, archived=False)

    def active(self):
        return self.filter(archived=False)


class Circle(models.Model):
    class Visibility(models.TextChoices):
        LISTED = "listed", _("listed in the overview")
        UNLISTED = "unlisted", _("only via a link")

    class JoinPolicy(models.TextChoices):
        OPEN = "open", _("open: anyone can join")
        REQUEST = "request", _("on request: a facilitator decides")
        INVITE = "invite", _("by invitation only")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    programme = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="circles",
    )
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility, default=Visibility.LISTED)
    join_policy = models.CharField(_("join policy"), max_length=10, choices=JoinPolicy, default=JoinPolicy.REQUEST)
    archived = models.BooleanField(_("archived"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CircleQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("learning circle")
        verbose_name_plural = _("learning circles")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("communities:circle", args=[self.slug])


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(state=Membership.State.ACTIVE)


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("member")
        EXPERT = "expert", _("expert")
        FACILITATOR = "facilitator", _("facilitator")

    class State(models.TextChoices):
        PENDING = "pending", _("requested")
        ACTIVE = "active", _("active")
        DECLINED = "declined", _("declined")
        LEFT = "left", _("left")
        REMOVED = "removed", _("removed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=12, choices=Role, default=Role.MEMBER)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "circle"], name="one_membership_per_circle")]
        indexes = [models.Index(fields=["circle", "state", "role"])]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user_id}@{self.circle_id} {self.role}/{self.state}"

    @property
    def is_active(self):
        return self.state == self.State.ACTIVE


class Invitation(models.Model):
    """A single-use, expiring invitation to a circle. Only a hash of the token is stored."""

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=12, choices=Membership.Role, default=Membership.Role.MEMBER)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
