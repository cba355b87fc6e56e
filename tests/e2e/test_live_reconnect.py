"""After the connection drops, the messages missed meanwhile show as soon as it can be back (issue 13).

A real uvicorn process (tests/servers.py) and static/js/live.js in Debian's Chromium. The
server is stopped and started again on the same port, or the page's socket goes dead or is
closed through Playwright's WebSocket routing, while another member replies; the reply must
show within about 1.5 s of the server being back, of the browser's `online` event, or of the
close. Runs on both lanes.
"""

import threading
import time

import pytest

from communities import services
from tests.e2e.test_live_thread import chromium, discussion, logged_in_page, open_live, reply_through_the_page  # noqa: F401
from tests.servers import asgi_server, free_port, start_asgi_server, stop_process, wait_for_port

pytestmark = pytest.mark.browser

SOON = 1.5  # seconds
OFFLINE_NOTICE = ".lk-alert--warning[role=status]"


def reply_from_another_thread(parent_id: int, body: str) -> None:
    """Bram replies through the services, as another server process would: Playwright's event
    loop in this thread would refuse the broadcast after commit."""

    def post():
        from django.contrib.auth import get_user_model
        from django.db import connection

        from communities.models import Message

        try:
            parent = Message.objects.get(pk=parent_id)
            bram = get_user_model().objects.get(username="bram")
            services.message_post(author=bram, channel=parent.channel, body=body, parent=parent)
        finally:
            connection.close()

    worker = threading.Thread(target=post)
    worker.start()
    worker.join(30)


def seconds_until_shown(page, text: str, since: float) -> float:
    page.locator(".lk-message__body", has_text=text).wait_for(timeout=15_000)
    return time.monotonic() - since


# When live.js made each connection attempt (performance.now()), recorded in the page itself:
# Playwright's own WebSocket events reach this thread only when it next calls Playwright.
RECORD_ATTEMPTS = """(() => {
  const Native = window.WebSocket;
  window.lkAttempts = [];
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      window.lkAttempts.push(performance.now());
      window.lkLatest = this;
    }
  };
})();"""

BECOME_VISIBLE = """() => {
  // Headless Chromium keeps every tab visible: the tab comes to the front as the event says.
  const at = performance.now();
  Object.defineProperty(document, "visibilityState", {value: "visible", configurable: true});
  document.dispatchEvent(new Event("visibilitychange"));
  return at;
}"""


def test_a_reply_missed_while_the_server_restarted_shows_soon_after_it_is_back(discussion, chromium):
    channel = discussion["channel"]
    _, second = discussion["threads"]
    port = free_port()
    server = start_asgi_server(port)
    try:
        wait_for_port(port, 30, server)
        base_url = f"http://127.0.0.1:{port}"
        anouk = logged_in_page(chromium, base_url, discussion["anouk"])
        anouk.add_init_script(RECORD_ATTEMPTS)
        open_live(anouk, base_url + discussion["channel_url"], channel.pk)

        stop_process(server)
        anouk.locator(OFFLINE_NOTICE).wait_for(timeout=10_000)
        reply_from_another_thread(second.pk, "Gemist tijdens de herstart")
        # A restart that takes a few seconds (with the server's own start-up, well within the
        # quick retries' 30 s): long enough for a backoff that doubles to grow.
        anouk.wait_for_timeout(3_000)
        assert anouk.locator(".lk-message__body", has_text="Gemist tijdens de herstart").count() == 0

        server = start_asgi_server(port)
        wait_for_port(port, 30, server)
        back = time.monotonic()
        page_back = anouk.evaluate("performance.now()")
        took = seconds_until_shown(anouk, "Gemist tijdens de herstart", back)
        attempts = [round(at - page_back) for at in anouk.evaluate("window.lkAttempts")[-4:]]
        assert took < SOON, f"shown {took:.2f}s after the server was back; attempts (ms from then): {attempts}"

        anouk.locator(OFFLINE_NOTICE).wait_for(state="hidden", timeout=5_000)
    finally:
        stop_process(server)


class SocketProxy:
    """Routes the page's WebSockets through Playwright to the real server. A socket made `dead`
    passes nothing either way while it stays open, like a connection lost in a network change."""

    def __init__(self, page):
        self.routes = []
        self.dead = set()
        self.subscribed = []  # per route, whether the server confirmed a subscription
        page.route_web_socket("**/ws/", self._route)

    def _route(self, route):
        index = len(self.routes)
        self.routes.append(route)
        self.subscribed.append(False)
        server = route.connect_to_server()

        def to_server(message):
            if index not in self.dead:
                server.send(message)

        def to_page(message):
            if index in self.dead:
                return
            if '"type": "subscribed"' in str(message):
                self.subscribed[index] = True
            route.send(message)

        route.on_message(to_server)
        server.on_message(to_page)

    def wait_until_subscribed(self, page, count: int = 1) -> None:
        deadline = time.monotonic() + 10
        while sum(self.subscribed) < count:
            assert time.monotonic() < deadline, "live.js did not subscribe through the proxy"
            page.wait_for_timeout(50)

    def kill_all(self) -> None:
        self.dead.update(range(len(self.routes)))


def test_coming_back_online_replaces_a_dead_socket_and_shows_what_was_missed(discussion, chromium):
    channel = discussion["channel"]
    _, second = discussion["threads"]
    with asgi_server() as base_url:
        anouk = logged_in_page(chromium, base_url, discussion["anouk"])
        bram = logged_in_page(chromium, base_url, discussion["bram"])
        proxy = SocketProxy(anouk)
        anouk.goto(base_url + discussion["channel_url"])
        proxy.wait_until_subscribed(anouk)
        anouk.evaluate("window.lkNotReloaded = true")

        anouk.context.set_offline(True)
        proxy.kill_all()  # the socket looks open but is gone
        reply_through_the_page(bram, base_url, discussion["thread_url"], second.pk, "Gemist terwijl je offline was")
        anouk.wait_for_timeout(1_000)
        assert anouk.locator(".lk-message__body", has_text="Gemist terwijl je offline was").count() == 0

        online = time.monotonic()
        anouk.context.set_offline(False)  # fires `online`
        assert seconds_until_shown(anouk, "Gemist terwijl je offline was", online) < SOON
        assert len(proxy.routes) == 2
        assert anouk.evaluate("window.lkNotReloaded") is True


def test_a_socket_closed_by_the_server_reconnects_at_once_and_catches_up(discussion, chromium):
    channel = discussion["channel"]
    _, second = discussion["threads"]
    with asgi_server() as base_url:
        anouk = logged_in_page(chromium, base_url, discussion["anouk"])
        bram = logged_in_page(chromium, base_url, discussion["bram"])
        proxy = SocketProxy(anouk)
        anouk.goto(base_url + discussion["channel_url"])
        proxy.wait_until_subscribed(anouk)

        proxy.kill_all()
        reply_through_the_page(bram, base_url, discussion["thread_url"], second.pk, "Gemist voor het sluiten")
        closed = time.monotonic()
        proxy.routes[0].close(code=1012, reason="service restart")
        assert seconds_until_shown(anouk, "Gemist voor het sluiten", closed) < SOON
        proxy.wait_until_subscribed(anouk, count=2)
        assert anouk.locator(OFFLINE_NOTICE).is_hidden()  # back before there was anything to say


def test_a_tab_that_becomes_visible_retries_at_once_during_an_outage(discussion, chromium):
    channel = discussion["channel"]
    port = free_port()
    server = start_asgi_server(port)
    try:
        wait_for_port(port, 30, server)
        base_url = f"http://127.0.0.1:{port}"
        anouk = logged_in_page(chromium, base_url, discussion["anouk"])
        anouk.add_init_script(RECORD_ATTEMPTS)
        open_live(anouk, base_url + discussion["channel_url"], channel.pk)
        stop_process(server)
        anouk.locator(OFFLINE_NOTICE).wait_for(timeout=10_000)
        # Between two attempts: the last one failed, the next is due after a delay.
        anouk.wait_for_function("window.lkLatest.readyState === WebSocket.CLOSED", timeout=10_000, polling=10)

        visible = anouk.evaluate(BECOME_VISIBLE)
        anouk.wait_for_timeout(300)
        attempts = anouk.evaluate("window.lkAttempts")
        assert any(visible <= at < visible + 100 for at in attempts), (visible, attempts[-3:])

        server = start_asgi_server(port)
        wait_for_port(port, 30, server)
        anouk.evaluate(BECOME_VISIBLE)
        anouk.locator(OFFLINE_NOTICE).wait_for(state="hidden", timeout=10_000)
    finally:
        stop_process(server)
