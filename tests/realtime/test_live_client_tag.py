import json
import re

from django.template import Context, Template
from django.utils import translation


def render() -> str:
    return Template("{% load live_tags %}{% live_client %}").render(Context({}))


def test_live_client_tag_gives_the_module_and_its_dutch_texts_as_inert_json():
    html = render()
    assert '<script type="module" src="/static/js/live.js"></script>' in html
    data = re.search(r'<script id="lk-live-texts" type="application/json">(.*?)</script>', html).group(1)
    texts = json.loads(data)
    assert texts["typingOne"] == "%(name)s is aan het typen…"
    assert texts["offline"] == "De verbinding is verbroken. We maken opnieuw verbinding…"
    assert texts["deleted"] == "Dit bericht is verwijderd."


def test_live_client_texts_follow_the_language():
    with translation.override("en"):
        texts = json.loads(re.search(r'type="application/json">(.*?)</script>', render()).group(1))
    assert texts["typingTwo"] == "%(first)s and %(second)s are typing…"
