// Leerkring live client (DESIGN.md, "Real-time protocol"): one WebSocket per tab.
//
// Enhances a channel page that works without JavaScript: inserts new messages into the
// right thread, shows edits, deletions, reaction counts and who is typing, and counts unread
// messages of the other channels in the sidebar. Messages it shows while the tab is visible
// are reported read (`read` frame), so they are not "new" on the next visit; a channel read
// in another tab (`channel.read`) sets that channel's badge here. A lost connection is retried at
// once, and again about twice a second while the outage is young (a restarting server is back
// within seconds); only a longer outage backs off, exponentially with jitter. Coming back
// online replaces the socket (after a network change the old one may be dead without knowing
// it) and a tab that becomes visible retries at once. Each new socket subscribes again with
// `since` = the newest message it has, so the server sends exactly what was missed; a message
// already on the page is never added twice.
//
// Markup hooks (templates/communities/channel*.html): section[data-live-channel] with
// data-last-message, article.lk-thread#thread-N, article.lk-message#message-N,
// div.lk-replies[data-replies-of=N], form.lk-reactions > button[value=kind] > span.lk-reaction__count,
// span.lk-badge[data-unread-channel=N], p.lk-typing[data-typing-for=N], span.lk-thread__count
// (the reply count of a long thread that shows only its newest replies), and
// template#lk-message-controls: this viewer's reaction, save, edit and moderation controls,
// copied under each message inserted live (includes/live_message_controls.html). Texts come
// from {% live_client %} (JSON, translated).

const TYPING_SEND_EVERY = 3000; // the server drops more frequent typing frames anyway
const TYPING_SHOWN_FOR = 6000;
const READ_EVERY = 2000; // at most one `read` frame per this many ms
const FIRST_RETRY_SPREAD = 250; // a live socket that closes is retried within this many ms
const QUICK_RETRY = 750; // then every 375-750 ms ...
const QUICK_RETRIES_FOR = 30000; // ... for this long (a restart), after which the delay doubles up to
const BACKOFF_MAX = 30000;
const CLOSE_NOT_AUTHENTICATED = 4401;

// A message's reaction form also serves its "Hide" button (form="f…" formaction=…): that
// press is a plain submission to the button's own URL, not htmx's post of the reactions. htmx
// listens on the form, so a capture listener on the document keeps the event from reaching it.
document.addEventListener(
  "submit",
  (event) => {
    const button = event.submitter;
    if (button?.hasAttribute("formaction") && !button.hasAttribute("hx-post")) event.stopPropagation();
  },
  true,
);

const section = document.querySelector("[data-live-channel]");
if (section && "WebSocket" in window) {
  start(section);
}

function readTexts() {
  const node = document.getElementById("lk-live-texts");
  const defaults = {
    deleted: "This message has been deleted.",
    hidden: "This message has been hidden by a facilitator.",
    edited: "edited",
    inReplyTo: "In reply to",
    earlierMessage: "an earlier message",
    typingOne: "%(name)s is typing…",
    typingTwo: "%(first)s and %(second)s are typing…",
    typingMany: "Several people are typing…",
    offline: "The connection was lost. Reconnecting…",
    resync: "Many new messages have arrived.",
    reload: "Reload the page",
    locked: "This channel is closed: no new messages can be posted.",
    loggedOut: "You have been logged out. Log in again to continue.",
    newMessage: "New message from %(name)s",
  };
  try {
    return { ...defaults, ...(node ? JSON.parse(node.textContent) : {}) };
  } catch {
    return defaults;
  }
}

function fill(text, values) {
  return text.replace(/%\((\w+)\)s/g, (_, key) => values[key] ?? "");
}

function idOrNull(value) {
  const number = Number.parseInt(value, 10);
  return Number.isFinite(number) && number >= 0 ? number : null;
}

function start(section) {
  const texts = readTexts();
  const me = Number.parseInt(document.body.dataset.userId, 10);
  const current = Number.parseInt(section.dataset.liveChannel, 10);
  const onlyThread = idOrNull(section.dataset.onlyThread); // a thread page shows one thread
  const newThreads = section.dataset.newThreads !== "off"; // older pages get no new threads
  const channelUrl = section.dataset.channelUrl; // for the links of inserted messages
  const controls = document.getElementById("lk-message-controls");
  // Newest message id known per channel; the current channel starts from the page itself.
  const lastSeen = new Map([[current, idOrNull(section.dataset.lastMessage) ?? 0]]);
  // Server time (ms) up to which this page shows every edit of the current channel: the page's
  // render time, then the `at` of each `subscribed`. Sidebar channels need no edits.
  let changesSince = idOrNull(section.dataset.renderedAt);
  for (const badge of document.querySelectorAll("[data-unread-channel]")) {
    const channel = Number.parseInt(badge.dataset.unreadChannel, 10);
    if (channel !== current && !lastSeen.has(channel)) lastSeen.set(channel, null);
  }
  const typers = new Map(); // user id -> {name, until}
  const status = makeStatus(section);
  const announcer = makeAnnouncer(section);
  let socket = null;
  let outageSince = null; // when the connection was lost (ms); null while subscribed
  let slowRetries = 0; // retries after the quick ones, for the exponential backoff
  let retryTimer = null;
  let stopped = false;
  let lastTypingSent = 0;
  let sessionEnded = null; // the server's notice, until a new connection proves otherwise
  let subscribed = false; // to the current channel, on the open socket
  let readShown = 0; // the newest message of the current channel this page put on screen
  let readSent = 0;
  let readSentAt = 0;
  let readTimer = null;
  let retriedSession = false;
  let subscribedOn = null; // the socket that got `subscribed` for the current channel

  function connect() {
    clearTimeout(retryTimer);
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const ws = new WebSocket(`${scheme}//${location.host}/ws/`);
    socket = ws;
    subscribedOn = null;
    ws.addEventListener("open", () => {
      for (const [channel, since] of lastSeen) {
        const frame = { type: "subscribe", channel, since };
        if (channel === current && changesSince !== null) frame.changes_since = changesSince;
        send(frame);
      }
    });
    ws.addEventListener("message", (event) => {
      if (socket !== ws) return;
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      handle(frame);
    });
    ws.addEventListener("close", (event) => {
      if (socket !== ws) return; // an older socket, already replaced
      const wasLive = subscribedOn === ws;
      socket = null;
      subscribed = false;
      if (stopped) return;
      if (sessionEnded !== null || event.code === CLOSE_NOT_AUTHENTICATED) {
        // The session ended. A password change moves the login to a new session key, so
        // try once more at once with whatever cookie the browser has now; if that is
        // refused too, this tab is logged out.
        if (!retriedSession) {
          retriedSession = true;
          connect();
          return;
        }
        stopped = true;
        closeComposers();
        status.show(sessionEnded ?? texts.loggedOut, texts.reload);
        return;
      }
      outageSince ??= Date.now();
      if (wasLive) {
        // The first close: straight back (to another server process, or the same one that
        // restarted), spread a little so that the tabs of a closing process do not all arrive at once.
        retryTimer = setTimeout(connect, Math.random() * FIRST_RETRY_SPREAD);
        return;
      }
      status.show(texts.offline);
      retryTimer = setTimeout(connect, retryDelay());
    });
  }

  // Jittered, so that many tabs that lost the same server do not all come back in the same instant.
  function retryDelay() {
    let ceiling = QUICK_RETRY;
    if (Date.now() - outageSince >= QUICK_RETRIES_FOR) {
      slowRetries += 1;
      ceiling = Math.min(BACKOFF_MAX, QUICK_RETRY * 2 ** slowRetries);
    }
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }

  function connected() {
    outageSince = null;
    slowRetries = 0;
  }

  // Retry at once, without waiting for the backoff. `replace`: also when a socket is open or
  // still connecting, since after the network came back it may be dead without knowing it.
  function reconnectNow({ replace = false } = {}) {
    if (stopped || (socket !== null && !replace)) return;
    if (socket !== null) {
      const old = socket;
      socket = null; // its close event is then ignored
      subscribed = false;
      old.close(1000);
    }
    outageSince = Date.now(); // quick retries again
    slowRetries = 0;
    connect();
  }

  function send(frame) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
  }

  function handle(frame) {
    switch (frame.type) {
      case "subscribed":
        if (frame.channel === current) {
          if (Number.isInteger(frame.at)) changesSince = frame.at;
          subscribedOn = socket;
          connected();
          sessionEnded = null;
          retriedSession = false;
          subscribed = true;
          status.hide();
          reportRead();
        }
        break;
      case "message.created":
        created(frame.channel, frame.message);
        break;
      case "message.edited":
      case "message.deleted":
        if (frame.channel === current) changed(frame.message);
        break;
      case "reaction.updated":
        if (frame.channel === current) reactionsChanged(frame.message, frame.reactions);
        break;
      case "typing":
        if (frame.channel === current && frame.user.id !== me) {
          typers.set(frame.user.id, { name: frame.user.name, until: Date.now() + TYPING_SHOWN_FOR });
          renderTyping();
          setTimeout(renderTyping, TYPING_SHOWN_FOR + 50);
        }
        break;
      case "resync":
        if (frame.channel === current) {
          status.show(texts.resync, texts.reload);
        } else {
          setBadge(frame.channel, "500+");
          lastSeen.set(frame.channel, null);
        }
        break;
      case "channel.updated":
        if (frame.channel === current && (frame.locked || frame.archived)) {
          closeComposers();
          status.show(texts.locked);
        }
        break;
      case "channel.read":
        if (frame.channel !== current) {
          if (frame.unread > 0) setBadge(frame.channel, String(frame.unread));
          else clearBadge(frame.channel);
        }
        break;
      case "subscription.ended":
        if (frame.channel !== undefined) lastSeen.delete(frame.channel);
        if (frame.channel === current) {
          subscribed = false;
          closeComposers();
          status.show(frame.detail, texts.reload);
        }
        break;
      case "session.ended":
        sessionEnded = frame.detail; // the server closes the socket next
        break;
      case "error":
        console.warn("live:", frame.code, frame.detail);
        break;
      default:
        // Frames for other modules on the page, e.g. `notification` for the unread badge
        // (notifications.js): one socket per tab, shared through a DOM event.
        document.dispatchEvent(new CustomEvent("lk:frame", { detail: frame }));
        break;
    }
  }

  function created(channel, message) {
    if (!lastSeen.has(channel)) return; // its subscription ended
    const known = lastSeen.get(channel);
    if (known !== undefined && known !== null && message.id <= known && channel !== current) return;
    lastSeen.set(channel, Math.max(known ?? 0, message.id));
    if (channel !== current) {
      if (message.author.id !== me) bumpBadge(channel);
      return;
    }
    if (typers.delete(message.author.id)) renderTyping();
    if (document.getElementById(`message-${message.id}`)) return; // already on the page
    if (onlyThread !== null && message.thread !== onlyThread) return; // another thread
    const element = renderMessage(message);
    if (message.parent === null) {
      if (!newThreads) return;
      const thread = document.createElement("article");
      thread.className = "lk-thread";
      thread.id = `thread-${message.id}`;
      thread.dataset.thread = String(message.id);
      thread.append(element);
      const first = section.querySelector(".lk-thread");
      if (first) first.before(thread);
      else {
        section.querySelector(".lk-empty")?.remove();
        section.append(thread);
      }
    } else {
      // A long thread on the channel page shows only its newest replies: a reply to one that
      // is left out goes at the end of its thread, saying what it answers.
      const parentShown = document.getElementById(`message-${message.parent}`) !== null;
      const container = parentShown
        ? repliesContainer(message)
        : section.querySelector(`[data-replies-of="${message.thread}"]`);
      if (!container) return; // its thread is not on this page; the next reload shows it
      if (!parentShown) element.querySelector(":scope > .lk-message__header").after(inReplyTo(message));
      container.append(element);
      countReply(message.thread);
    }
    window.htmx?.process(element); // its reaction and save forms post without a reload
    readShown = Math.max(readShown, message.id);
    reportRead();
    if (message.author.id !== me) announcer(fill(texts.newMessage, { name: message.author.name }));
  }

  function repliesContainer(message) {
    const direct = section.querySelector(`[data-replies-of="${message.parent}"]`);
    if (direct) return direct;
    // Deep replies are shown flat under the deepest level the page renders.
    const parent = document.getElementById(`message-${message.parent}`);
    const enclosing = parent?.closest(".lk-replies");
    if (enclosing) return enclosing;
    return section.querySelector(`[data-replies-of="${message.thread}"]`);
  }

  function inReplyTo(message) {
    const line = element("p", "lk-in-reply-to", `${texts.inReplyTo} `);
    const link = element("a", "", texts.earlierMessage);
    link.href = `${channelUrl ?? ""}${message.thread}/#message-${message.parent}`;
    line.append(link);
    return line;
  }

  // The "show all N replies" link of a long thread counts every reply, shown or not.
  function countReply(thread) {
    const count = section.querySelector(`#thread-${thread} .lk-thread__count`);
    if (count) count.textContent = String((Number.parseInt(count.textContent, 10) || 0) + 1);
  }

  function renderMessage(message) {
    // The same markup as templates/communities/includes/thread.html.
    const article = element("article", "lk-message lk-message--new");
    article.id = `message-${message.id}`;
    article.dataset.message = String(message.id);
    article.dataset.parent = message.parent === null ? "" : String(message.parent);
    article.dataset.depth = String(message.depth);
    const header = element("header", "lk-message__header");
    const author = element(message.author.id ? "a" : "span", "lk-message__author", message.author.name);
    if (message.author.id) author.href = `/leden/${message.author.id}/`;
    const time = element("time", "", formatTime(message.created));
    time.dateTime = message.created;
    if (channelUrl) {
      const link = element("a", "lk-message__time");
      link.href = `${channelUrl}${message.thread}/#message-${message.id}`;
      link.append(time);
      header.append(author, " ", link);
    } else {
      header.append(author, " ", time);
    }
    article.append(header, element("div", "lk-message__body"));
    if (!(message.deleted || message.hidden)) article.append(messageControls(message));
    const replies = element("div", "lk-replies");
    replies.dataset.repliesOf = String(message.id);
    article.append(replies);
    fillBody(article, message);
    return article;
  }

  // This viewer's controls for the message, as the server renders them (reaction buttons at
  // zero, not saved): a copy of the page's template with the message's ids filled in.
  function messageControls(message) {
    const fragment = controls ? controls.content.cloneNode(true) : document.createDocumentFragment();
    const own = message.author.id !== null && message.author.id === me;
    for (const item of fragment.querySelectorAll("[data-live-own], [data-live-other]")) {
      if (item.hasAttribute("data-live-own") === own) {
        item.removeAttribute("data-live-own");
        item.removeAttribute("data-live-other");
      } else {
        item.remove();
      }
    }
    const ids = { __message__: String(message.id), __thread__: String(message.thread) };
    for (const node of fragment.querySelectorAll("*")) {
      for (const attribute of node.attributes) {
        if (attribute.value.includes("__")) attribute.value = attribute.value.replace(/__(message|thread)__/g, (id) => ids[id]);
      }
    }
    return fragment;
  }

  function fillBody(article, message) {
    const body = article.querySelector(":scope > .lk-message__body");
    if (!body) return;
    if (message.deleted || message.hidden) {
      article.classList.add("lk-message--removed");
      body.replaceChildren(element("p", "", message.deleted ? texts.deleted : texts.hidden));
      article.querySelector(":scope > .lk-message__actions")?.remove();
      article.querySelector(":scope > .lk-reactions")?.remove();
      for (const marker of article.querySelectorAll(":scope > .lk-message__header > span.lk-message__time")) marker.remove();
      return;
    }
    // `html` is the server's sanitised rendering of the Markdown source (nh3), the same
    // markup the page itself shows; everything else is set as text.
    body.innerHTML = message.html;
    const header = article.querySelector(":scope > .lk-message__header");
    const marked = header && [...header.querySelectorAll("span.lk-message__time")].some((n) => n.textContent.trim() === texts.edited);
    if (message.edited && header && !marked) {
      header.append(" ", element("span", "lk-message__time lk-message__edited", texts.edited));
    }
  }

  function changed(message) {
    const article = document.getElementById(`message-${message.id}`);
    if (article) fillBody(article, message);
  }

  // Only the counts change: whether this member reacted (aria-pressed) is what the page
  // rendered and their own clicks set, never someone else's broadcast.
  function reactionsChanged(messageId, reactions) {
    const form = document.getElementById(`message-${messageId}`)?.querySelector(":scope > .lk-reactions");
    if (!form) return;
    for (const { kind, count } of reactions) {
      const button = form.querySelector(`button[value="${CSS.escape(kind)}"]`);
      if (!button) continue;
      let number = button.querySelector(".lk-reaction__count");
      if (count > 0) {
        if (!number) {
          number = element("span", "lk-reaction__count");
          button.append(" ", number);
        }
        number.textContent = String(count);
      } else if (number) {
        if (number.previousSibling?.nodeType === Node.TEXT_NODE) number.previousSibling.remove();
        number.remove();
      }
    }
  }

  function renderTyping() {
    const line = document.querySelector(`[data-typing-for="${current}"]`);
    if (!line) return;
    const now = Date.now();
    for (const [id, typer] of typers) if (typer.until <= now) typers.delete(id);
    const names = [...typers.values()].map((typer) => typer.name);
    if (names.length === 0) line.textContent = "";
    else if (names.length === 1) line.textContent = fill(texts.typingOne, { name: names[0] });
    else if (names.length === 2) line.textContent = fill(texts.typingTwo, { first: names[0], second: names[1] });
    else line.textContent = texts.typingMany;
  }

  // A badge is "<span class=lk-badge>3<span class=lk-visually-hidden> unread</span></span>":
  // only its leading number changes.
  function badgeNumber(badge) {
    let node = badge.firstChild;
    if (!node || node.nodeType !== Node.TEXT_NODE) {
      node = document.createTextNode("");
      badge.prepend(node);
    }
    return node;
  }

  function bumpBadge(channel) {
    const badge = document.querySelector(`[data-unread-channel="${channel}"]`);
    if (!badge) return;
    const count = Number.parseInt(badgeNumber(badge).textContent, 10);
    setBadge(channel, String((Number.isFinite(count) && !badge.hidden ? count : 0) + 1));
  }

  function setBadge(channel, text) {
    const badge = document.querySelector(`[data-unread-channel="${channel}"]`);
    if (!badge) return;
    badgeNumber(badge).textContent = text;
    badge.hidden = false;
  }

  function clearBadge(channel) {
    const badge = document.querySelector(`[data-unread-channel="${channel}"]`);
    if (!badge) return;
    badgeNumber(badge).textContent = "0";
    badge.hidden = true;
  }

  // Tells the server what this page showed while visible, at most every READ_EVERY ms (the
  // last id wins); a message that arrived in a hidden tab is reported when the tab shows it.
  function reportRead() {
    if (readTimer !== null || readShown <= readSent) return;
    if (!subscribed || document.visibilityState !== "visible") return;
    readTimer = setTimeout(() => {
      readTimer = null;
      if (readShown <= readSent || !subscribed || document.visibilityState !== "visible") return;
      send({ type: "read", channel: current, message: readShown });
      readSent = readShown;
      readSentAt = Date.now();
    }, Math.max(0, readSentAt + READ_EVERY - Date.now()));
  }

  function closeComposers() {
    for (const form of document.querySelectorAll(".lk-composer")) {
      for (const control of form.querySelectorAll("textarea, input, button")) control.disabled = true;
    }
  }

  // Typing: tell the others at most every few seconds while this person types.
  document.addEventListener("input", (event) => {
    if (!(event.target instanceof HTMLTextAreaElement) || !event.target.closest(".lk-composer")) return;
    const now = Date.now();
    if (now - lastTypingSent < TYPING_SEND_EVERY) return;
    lastTypingSent = now;
    send({ type: "typing", channel: current });
  });

  window.addEventListener("online", () => reconnectNow({ replace: true }));
  // Leaving the page closes the socket on purpose: no "connection lost" notice, no retry.
  // A page restored from the back/forward cache connects again and catches up.
  let leftPage = false;
  window.addEventListener("pagehide", () => {
    if (stopped) return;
    leftPage = stopped = true;
    clearTimeout(retryTimer);
    socket?.close(1000);
  });
  window.addEventListener("pageshow", (event) => {
    if (event.persisted && leftPage) {
      leftPage = stopped = false;
      connected();
      connect();
    }
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") {
      reconnectNow();
      reportRead();
    }
  });
  connect();
}

function element(tag, className = "", text = null) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== null) node.textContent = text;
  return node;
}

function formatTime(iso) {
  return new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
    dateStyle: "medium",
    timeStyle: "short",
  }).format(new Date(iso));
}

function makeStatus(section) {
  const box = document.createElement("div");
  box.className = "lk-alert lk-alert--warning";
  box.setAttribute("role", "status");
  box.hidden = true;
  section.before(box);
  return {
    show(text, reloadText) {
      box.replaceChildren(document.createTextNode(text));
      if (reloadText) {
        const link = document.createElement("a");
        link.href = location.pathname + location.search;
        link.textContent = reloadText;
        box.append(" ", link);
      }
      box.hidden = false;
    },
    hide() {
      box.hidden = true;
    },
  };
}

function makeAnnouncer(section) {
  const region = document.createElement("p");
  region.className = "lk-visually-hidden";
  region.setAttribute("aria-live", "polite");
  section.after(region);
  return (text) => {
    region.textContent = text;
  };
}
