import io

import pytest

from casework import demo
from casework.models import Case, CaseGuest, Feedback
from communities import demo_users
from communities.demo_users import demo_user
from communities.models import Membership
from tests.factories import CircleFactory

pytestmark = pytest.mark.django_db


def test_without_the_demo_circle_nothing_is_made():
    demo.seed(io.StringIO())
    assert not Case.objects.exists()


def test_demo_cases_in_two_phases_with_questions_and_feedback_idempotent(django_capture_on_commit_callbacks):
    demo_users.seed(io.StringIO())
    circle = CircleFactory(slug="slim-samenwerken")
    for key, role in [("member", "member"), ("member2", "member"), ("expert", "expert"), ("facilitator", "facilitator")]:
        Membership.objects.create(user=demo_user(key), circle=circle, role=role, state="active")
    demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    cases = Case.objects.order_by("id")
    assert [case.phase for case in cases] == ["advice", "reflection"]
    assert all(case.questions.exclude(answer="").exists() for case in cases)
    assert Feedback.objects.filter(kind="expert").exists() and Feedback.objects.filter(kind="peer").exists()
    assert CaseGuest.objects.get().user == demo_user("guest")
