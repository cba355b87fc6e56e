// Where keyboard focus goes when a page opens (every page, base.html).
//
// - A form that came back with errors: its error summary or alert, else its first invalid
//   field, so that a screen reader reads the problem and Tab continues in the form.
// - After a successful post (a redirect with a flash message): the flash message.
// - A "Reply" link (…/?antwoord=N#reageren), or any link to a form with a textarea: that
//   textarea. Without JavaScript the fragment still brings the reader to the form,
//   and Tab goes on from there.
// Programmatically focused boxes get the quiet focus frame of site.css (.lk-focus-target).

const ERRORS = "main .lk-error-summary, main .lk-alert--error[role=alert]";
const INVALID = "main [aria-invalid='true']";
const FLASH = "main .lk-messages";
const SETTLING = 3000; // ms
const USER_INPUT = ["keydown", "pointerdown", "wheel", "touchstart"];

function visible(element) {
  return element !== null && element.getClientRects().length > 0;
}

function focusBox(element) {
  if (!element.hasAttribute("tabindex")) element.setAttribute("tabindex", "-1");
  element.classList.add("lk-focus-target");
  element.focus();
  keepInView(element);
  return true;
}

// While the page settles, the browser still scrolls to the URL's fragment (a redirect's
// #message-N, a form's section), away from what has focus now: scroll back, until the reader
// does something.
function keepInView(element) {
  const until = performance.now() + SETTLING;
  const back = () => {
    if (performance.now() > until || document.activeElement !== element) stop();
    else element.scrollIntoView({ block: "nearest" });
  };
  const stop = () => {
    window.removeEventListener("scroll", back);
    for (const type of USER_INPUT) window.removeEventListener(type, stop, true);
  };
  window.addEventListener("scroll", back, { passive: true });
  for (const type of USER_INPUT) window.addEventListener(type, stop, true);
}

// The textarea of the form a fragment names (#reageren); links to a field itself are the
// browser's to follow.
function composerTextarea(hash) {
  let id;
  try {
    id = decodeURIComponent(hash.slice(1));
  } catch {
    return null;
  }
  const form = id ? document.getElementById(id) : null;
  if (!(form instanceof HTMLFormElement)) return null;
  const textarea = form.querySelector("textarea:not([disabled])");
  return visible(textarea) ? textarea : null;
}

function focusReplyBox(hash = location.hash) {
  const textarea = composerTextarea(hash);
  if (!textarea) return false;
  textarea.focus();
  // At the end of a draft the browser restored, ready to type on.
  textarea.setSelectionRange(textarea.value.length, textarea.value.length);
  return true;
}

function focusOnArrival() {
  const error = [...document.querySelectorAll(ERRORS)].find(visible);
  if (error) return focusBox(error);
  const invalid = [...document.querySelectorAll(INVALID)].find(visible);
  if (invalid) {
    invalid.focus();
    keepInView(invalid);
    return true;
  }
  if (focusReplyBox()) return true;
  const flash = document.querySelector(FLASH);
  if (visible(flash)) return focusBox(flash);
  return false;
}

// A link to the form on this very page (Reply on the page that holds the reply box) only
// scrolls; the focus has to follow it, even when the fragment does not change.
document.addEventListener("click", (event) => {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  const link = event.target instanceof Element ? event.target.closest("a[href*='#']") : null;
  if (!link || link.origin !== location.origin || link.pathname !== location.pathname || link.search !== location.search) return;
  if (composerTextarea(link.hash)) setTimeout(() => focusReplyBox(link.hash), 0);
});
window.addEventListener("hashchange", () => focusReplyBox());

// After the load: the browser's own move to the URL's fragment (which takes focus away, or
// gives it to a whole region) comes first.
if (document.readyState === "complete") focusOnArrival();
else window.addEventListener("load", () => requestAnimationFrame(focusOnArrival), { once: true });
