// Live unread badge in the header (DESIGN.md: `notification` frames on /ws/).
//
// One WebSocket per tab: on channel and case pages live.js or case-live.js owns the socket and re-dispatches every
// frame it does not handle itself as a `lk:frame` DOM event; on every other page this
// module opens the socket itself (the server puts every socket of a user in that user's
// group, so no subscription is needed). Frames: {"type": "notification", "notification":
// {...} | null, "unread": n}. The channel layer delivers at most once and a notification can
// arrive between the page load and the socket's opening, so on every open the count is read
// from the API. Without JavaScript the badge shows the count
// of the last page load.

const BACKOFF_FIRST = 1000;
const BACKOFF_MAX = 60000;
const CLOSE_NOT_AUTHENTICATED = 4401;

function updateBadges(unread) {
  if (typeof unread !== "number" || !Number.isFinite(unread) || unread < 0) return;
  for (const badge of document.querySelectorAll("[data-unread-count]")) {
    const label = badge.querySelector(".lk-visually-hidden");
    badge.textContent = String(unread);
    if (label) badge.append(label);
    badge.hidden = unread === 0;
  }
}

function handle(frame) {
  if (frame && frame.type === "notification") updateBadges(frame.unread);
}

async function refreshCount() {
  try {
    const response = await fetch("/api/v1/notifications?limit=1", {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    if (response.ok) updateBadges((await response.json()).unread);
  } catch {
    // offline: the next frame or reconnect corrects the count
  }
}

function connect(attempt = 0) {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const socket = new WebSocket(`${scheme}//${location.host}/ws/`);
  socket.addEventListener("open", () => {
    refreshCount();
    attempt = 0;
    document.body.dataset.notificationsLive = "open";
  });
  socket.addEventListener("message", (event) => {
    try {
      handle(JSON.parse(event.data));
    } catch {
      // not JSON: ignore
    }
  });
  socket.addEventListener("close", (event) => {
    delete document.body.dataset.notificationsLive;
    if (event.code === CLOSE_NOT_AUTHENTICATED) return;
    const ceiling = Math.min(BACKOFF_MAX, BACKOFF_FIRST * 2 ** attempt);
    setTimeout(() => connect(attempt + 1), ceiling / 2 + Math.random() * (ceiling / 2));
  });
}

document.addEventListener("lk:frame", (event) => handle(event.detail));

const badge = document.querySelector("[data-unread-count]");
const liveOwnsTheSocket = document.querySelector("[data-live-channel], [data-case-id]") !== null;
if (badge && !liveOwnsTheSocket && "WebSocket" in window) {
  connect();
}

export { updateBadges };
