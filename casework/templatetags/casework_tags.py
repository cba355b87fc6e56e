from django import template

from casework import selectors

register = template.Library()


@register.simple_tag
def recent_cases(circle, user, limit=5):
    """`{% recent_cases circle user as cases %}`: the latest cases this user may see."""
    return selectors.recent_cases(user, circle, limit=limit)
