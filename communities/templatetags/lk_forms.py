"""Form rendering helpers shared by our own forms and allauth's element templates."""

from django import template

register = template.Library()


@register.simple_tag
def lk_widget(bound_field):
    """The field's widget without a placeholder: every field has a visible label instead.

    Django adds aria-invalid and aria-describedby (``<id>_helptext``, ``<id>_error``) itself;
    templates/includes/form_field.html renders elements with those ids.
    """
    bound_field.field.widget.attrs.pop("placeholder", None)
    return bound_field.as_widget()


@register.filter
def squash(value) -> str:
    """Collapse runs of whitespace (allauth's head_title blocks are indented over several lines)."""
    return " ".join(str(value).split())
