from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..search_vectors import SearchVectorIndex
from .circles import Circle

MESSAGE_MAX_LENGTH = 20_000


class Channel(models.Model):
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="channels")
    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=80)
    topic = models.CharField(_("topic"), max_length=250, blank=True)
    locked = models.BooleanField(_("locked"), default=False)
    archived = models.BooleanField(_("archived"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Goes up with every change to what the channel's thread list shows (messages, reactions,
    # authors' names and roles): the channel page's cached HTML is keyed on it
    # (communities/channel_page.py, communities/content_versions.py).
    content_version = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["circle", "slug"], name="unique_channel_slug_per_circle")]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("communities:channel", args=[self.circle.slug, self.slug])

    def save(self, *args, **kwargs):
        # A full save of a channel read before a change elsewhere must not put its older
        # content_version back: the version only goes up, through content_versions.py.
        if self.pk is not None and not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [f.name for f in self._meta.concrete_fields
                                       if not f.primary_key and f.name != "content_version"]
        super().save(*args, **kwargs)


class Message(models.Model):
    """A post in a channel. `thread` is the root message; roots have thread == None.

    Deleting keeps the row (deleted_at set, body cleared) so the thread stays intact.
    """

    # No index of its own: the (channel, id) index serves every lookup by channel, and PostgreSQL,
    # given both, counted a reader's unread messages by reading the whole channel.
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="messages", db_index=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="messages"
    )
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies")
    thread = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="thread_messages"
    )
    depth = models.PositiveSmallIntegerField(default=0)
    body_source = models.TextField(max_length=MESSAGE_MAX_LENGTH)
    body_html = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # On thread roots: when the thread last saw a reply, for "newest activity first".
    last_activity_at = models.DateTimeField(null=True, blank=True)
    reply_count = models.PositiveIntegerField(default=0)
    # On thread roots: the highest message id in the thread (the root's own id until the first
    # reply). Threads are ordered by it; ids only grow, so a cursor over it is exact.
    last_message_id = models.BigIntegerField(default=0)
    # to_tsvector('dutch', body_source), kept by the services (communities.search_vectors);
    # empty for removed messages and on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["id"]
        indexes = [
            SearchVectorIndex(fields=["search_vector"], name="message_search_vector"),
            models.Index(fields=["channel", "id"]),
            models.Index(fields=["channel", "thread", "last_activity_at"]),
            models.Index(fields=["thread", "id"]),
            models.Index(fields=["channel", "thread", "last_message_id"], name="message_thread_activity"),
            # The few edited or removed messages, for the live catch-up of changes
            # (selectors.messages_changed_up_to): 0.3 ms instead of 16 ms in a channel of 100,000.
            models.Index(
                fields=["channel", "id"],
                condition=Q(edited_at__isnull=False) | Q(deleted_at__isnull=False) | Q(hidden_at__isnull=False),
                name="message_changed",
            ),
        ]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self):
        return f"#{self.pk} in {self.channel_id}"

    @property
    def thread_id_or_self(self):
        return self.thread_id or self.pk

    @property
    def is_removed(self):
        return self.deleted_at is not None or self.hidden_at is not None


class Reaction(models.Model):
    class Kind(models.TextChoices):
        THUMBS_UP = "thumbs_up", "👍"
        HEART = "heart", "❤️"
        IDEA = "idea", "💡"
        THANKS = "thanks", "🙏"
        QUESTION = "question", "❓"

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message", "user", "kind"], name="one_reaction_per_kind")]


class ReadMarker(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="read_markers")
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="read_markers")
    last_read_message_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "channel"], name="one_read_marker")]


class MessageReport(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(_("reason"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message", "reporter"], name="one_report_per_reporter")]
