// The inactivity warning (the <dialog data-module="app-session-timeout"> in
// base.html).
//
// The server signs a session out after SESSION_IDLE_TIMEOUT seconds without a
// request (accounts/middleware.py). This page knows how long was left when it
// was served; shortly before the end it asks the server again (another tab
// may have kept the session alive; asking is not activity) and, if the end
// really is near, opens the warning. "Stay signed in" posts to the keep-alive
// URL; Escape does the same. When the time is up the page goes to the sign-in
// page, which says why and brings the person back here afterwards.
//
// Timing out never clears the assessment drafts kept in this browser
// (autosave.js): only signing out on purpose does (init.js).

const SAFETY_MS = 1000;

export function initSessionTimeout(dialog) {
  if (!dialog || typeof dialog.showModal !== "function") return;
  const warnBeforeMs = Number(dialog.dataset.warnBefore) * 1000;
  const statusUrl = dialog.dataset.statusUrl;
  const signInUrl = dialog.dataset.signInUrl;
  const keepAliveForm = dialog.querySelector("form[data-session-keep-alive]");
  const heading = dialog.querySelector("h2");
  let expiresAt = Date.now() + Number(dialog.dataset.expiresIn) * 1000;
  let timer = null;

  function schedule(delayMs) {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, Math.max(delayMs, 0));
  }

  function scheduleWarning() {
    schedule(expiresAt - warnBeforeMs - Date.now());
  }

  function signedOut() {
    const here = window.location.pathname + window.location.search;
    const query = new URLSearchParams({ timeout: "1", next: here });
    window.location.assign(`${signInUrl}?${query}`);
  }

  function open() {
    if (dialog.open) return;
    dialog.showModal();
    // Focus the heading, so screen readers read the warning from the start.
    heading.focus();
  }

  function close() {
    if (dialog.open) dialog.close();
  }

  // Seconds left according to the server, or null when it cannot be asked.
  async function secondsLeft() {
    try {
      const response = await fetch(statusUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) return null;
      const status = await response.json();
      return status.signed_in ? status.expires_in : 0;
    } catch {
      return null;
    }
  }

  async function check() {
    const left = await secondsLeft();
    if (left !== null) expiresAt = Date.now() + left * 1000;
    const remainingMs = expiresAt - Date.now();
    if (remainingMs <= 0) {
      signedOut();
    } else if (remainingMs > warnBeforeMs) {
      close();
      scheduleWarning();
    } else {
      open();
      schedule(remainingMs + SAFETY_MS);
    }
  }

  async function staySignedIn() {
    try {
      const response = await fetch(keepAliveForm.action, {
        method: "POST",
        body: new FormData(keepAliveForm),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const status = response.ok && !response.redirected ? await response.json() : null;
      if (!status || !status.signed_in) {
        signedOut();
        return;
      }
      expiresAt = Date.now() + status.expires_in * 1000;
      close();
      scheduleWarning();
    } catch {
      // Offline: keep the warning open so the person can try again.
    }
  }

  keepAliveForm.addEventListener("submit", (event) => {
    event.preventDefault();
    staySignedIn();
  });
  dialog.addEventListener("cancel", (event) => {
    // Escape means "not now", which here is "stay signed in".
    event.preventDefault();
    staySignedIn();
  });
  scheduleWarning();
}
