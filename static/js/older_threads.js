// "Older threads" on a channel page (includes/channel_threads.html). htmx replaces the link with
// the next page's threads and their own link; this module moves the keyboard focus to the first
// thread that came in (the link that had it is gone) and, when the request fails, follows the
// link as a plain page instead.

let lastBefore = null;

document.addEventListener("htmx:beforeRequest", (event) => {
  const nav = event.detail.elt?.closest?.(".lk-older-threads");
  if (nav) lastBefore = nav.previousElementSibling;
});

document.addEventListener("htmx:afterSettle", () => {
  if (lastBefore === null) return;
  const first = lastBefore.nextElementSibling?.closest(".lk-thread") ?? null;
  lastBefore = null;
  const message = first?.querySelector(".lk-message");
  if (!message) return;
  message.tabIndex = -1;
  message.focus();
});

for (const type of ["htmx:responseError", "htmx:sendError"]) {
  document.addEventListener(type, (event) => {
    const link = event.detail.elt;
    if (link instanceof HTMLAnchorElement && link.closest(".lk-older-threads")) {
      lastBefore = null;
      window.location.href = link.href;
    }
  });
}
