"""Reactions to Wagtail's own events: the menu and page caches, and the waiting list after an event is republished.

No domain logic lives here: the waiting list is filled by cms.services, the one door for
registrations; `page_published` is only the trigger, because it is the one event that every way
of publishing (direct, after workflow approval, scheduled) sends.
"""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import navigation, page_cache


def _invalidate(**kwargs):
    navigation.invalidate()
    page_cache.invalidate()


def _invalidate_for_pages(sender, instance=None, **kwargs):
    if isinstance(instance, Page):
        navigation.invalidate()


def _fill_waiting_list(sender, instance=None, **kwargs):
    from .models import EventPage
    from .services import event_waiting_list_promote

    if isinstance(instance, EventPage):  # e.g. an editor raised the number of places
        event_waiting_list_promote(event=instance)


def connect() -> None:
    from .models import FooterLink, SiteSettings

    page_published.connect(_invalidate, dispatch_uid="cms-chrome-published")
    page_published.connect(_fill_waiting_list, dispatch_uid="cms-waiting-list-published")
    page_unpublished.connect(_invalidate, dispatch_uid="cms-chrome-unpublished")
    post_page_move.connect(_invalidate, dispatch_uid="cms-chrome-moved")
    post_delete.connect(_invalidate_for_pages, dispatch_uid="cms-chrome-deleted")
    # Saving or deleting a page, snippet, image, document or registration changes what pages show.
    post_save.connect(page_cache.invalidate_for, dispatch_uid="cms-page-cache-saved")
    post_delete.connect(page_cache.invalidate_for, dispatch_uid="cms-page-cache-deleted")
    for model in (Site, SiteSettings, FooterLink):
        post_save.connect(_invalidate, sender=model, dispatch_uid=f"cms-chrome-saved-{model.__name__}")
        post_delete.connect(_invalidate, sender=model, dispatch_uid=f"cms-chrome-removed-{model.__name__}")
