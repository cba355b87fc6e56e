"""Phase changes in the circle's audit log (communities/audit.py): how they are shown."""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from communities.audit import Action, register_audit_describer, register_audit_prefetch

from .models import Case
from .permissions import phase_label


@register_audit_prefetch
def _prefetch_cases(entries, page):
    ids = {entry.details.get("case") for entry in entries if entry.action == Action.PHASE_CHANGED}
    if ids:
        page["cases"] = {case.pk: case for case in Case.objects.filter(pk__in=ids, circle=page.circle).only(
            "pk", "title", "phase", "author_id", "circle_id"
        )}


def _label(phase) -> str:
    try:
        return phase_label(phase)
    except ValueError:
        return str(phase)


@register_audit_describer(Action.PHASE_CHANGED)
def _describe_phase_change(entry, page):
    case = page.get("cases", {}).get(entry.details.get("case"))
    phases = format_html(
        _("from “{old}” to “{new}”"), old=_label(entry.details.get("old")), new=_label(entry.details.get("new"))
    )
    # A case back in draft is its owner's alone again: its title is not shown to others.
    if case is None or (case.phase == Case.Phase.DRAFT and case.author_id != page.viewer.pk):
        return format_html("{}: {}", _("a case"), phases)
    url = reverse("casework:case_detail", args=[page.circle.slug, case.pk])
    return format_html('<a href="{}">{}</a>: {}', url, case.title, phases)
