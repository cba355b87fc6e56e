// Live case page: subscribes to the case over /ws/ and, when the case changes (phase,
// questions, answers, feedback), fetches the page again and swaps the changed regions
// ([data-live-region]). A region in which the user is typing is left alone; a notice then
// says the page has news. Without JavaScript the page works as plain forms.

const root = document.querySelector("[data-case-id]");
if (root) {
  const caseId = Number(root.dataset.caseId);
  const announcer = root.querySelector("[data-live-announcer]");
  const notice = root.querySelector("[data-live-notice]");
  // Translated texts come from the page (json_script "lk-case-live-texts"); English fallbacks.
  const text = {
    phase: "The case is now in the phase: %(phase)s.",
    updated: "This case has been updated.",
    stale: "There is news on this page. Reload the page to see it; what you are typing will not be kept.",
    gone: "This case is no longer visible to you.",
  };
  try {
    Object.assign(text, JSON.parse(document.getElementById("lk-case-live-texts").textContent));
  } catch {
    // keep the fallbacks
  }

  let refreshing = null;
  let again = false;

  const isDirty = (region) => {
    if (region.contains(document.activeElement) && document.activeElement.matches("input, textarea, select")) {
      return true;
    }
    return [...region.querySelectorAll("textarea, input[type=text], input[type=email]")].some(
      (field) => field.value !== field.defaultValue,
    );
  };

  const announce = (message) => {
    if (announcer) announcer.textContent = message;
  };

  const showNotice = (message) => {
    if (!notice) return;
    notice.textContent = message;
    notice.hidden = false;
  };

  async function refresh() {
    if (refreshing) {
      again = true;
      return refreshing;
    }
    refreshing = (async () => {
      try {
        const response = await fetch(window.location.pathname, {
          credentials: "same-origin",
          headers: { Accept: "text/html" },
        });
        if (response.status === 404) {
          showNotice(text.gone);
          return;
        }
        if (!response.ok) return;
        const doc = new DOMParser().parseFromString(await response.text(), "text/html");
        const fresh = doc.querySelector("[data-case-id]");
        if (!fresh) return;
        const oldPhase = root.dataset.phase;
        const newPhase = fresh.dataset.phase;
        let skipped = false;
        for (const region of root.querySelectorAll("[data-live-region]")) {
          const replacement = fresh.querySelector(`[data-live-region="${region.dataset.liveRegion}"]`);
          if (!replacement || region.innerHTML === replacement.innerHTML) continue;
          if (isDirty(region)) {
            skipped = true;
            continue;
          }
          region.replaceWith(document.importNode(replacement, true));
        }
        root.dataset.phase = newPhase;
        if (newPhase !== oldPhase) {
          const pill = root.querySelector(".lk-case-header .lk-pill");
          announce(text.phase.replace("%(phase)s", pill ? pill.textContent.trim() : newPhase));
        } else {
          announce(text.updated);
        }
        if (skipped) showNotice(text.stale);
      } catch (error) {
        // A failed refresh is retried on the next event or reconnect.
      } finally {
        refreshing = null;
        if (again) {
          again = false;
          refresh();
        }
      }
    })();
    return refreshing;
  }

  let socket = null;
  let attempts = 0;
  let everConnected = false;

  function connect() {
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    socket = new WebSocket(`${scheme}://${window.location.host}/ws/`);
    socket.addEventListener("open", () => {
      attempts = 0;
      socket.send(JSON.stringify({ type: "subscribe_case", case: caseId }));
      if (everConnected) refresh(); // catch up on what happened while disconnected
      everConnected = true;
    });
    socket.addEventListener("message", (message) => {
      let event;
      try {
        event = JSON.parse(message.data);
      } catch {
        return;
      }
      if (event.case !== caseId) {
        // One socket per tab: frames for others (the notification badge) go out as a DOM event.
        document.dispatchEvent(new CustomEvent("lk:frame", { detail: event }));
        return;
      }
      if (["case.updated", "feedback.created", "question.created", "question.answered"].includes(event.type)) {
        refresh();
      } else if (event.type === "subscription.ended" || (event.type === "error" && event.code === "not_found")) {
        refresh(); // access is gone (moved back to draft, guest withdrawn): the page says so
      }
    });
    socket.addEventListener("close", (event) => {
      if (event.code === 4401 || event.code === 4403) return; // not signed in / not allowed
      attempts += 1;
      const delay = Math.min(30000, 500 * 2 ** Math.min(attempts, 6)) * (0.5 + Math.random() / 2);
      window.setTimeout(connect, delay);
    });
  }

  connect();
  root.dataset.live = "ready";
}
