import { initAll } from "../govuk/govuk-frontend.min.js";
import { initLiveMatches } from "./live-matches.js";
import { initSessionTimeout } from "./session-timeout.js";

initAll();

// Drafts kept in this browser (assessment autosave) must not outlive the
// session on a shared computer: signing out clears them. Being signed out for
// inactivity does not (session-timeout.js), so the work can be carried on.
document.querySelectorAll("form[data-sign-out]").forEach((form) => {
  form.addEventListener("submit", () => {
    Object.keys(window.localStorage)
      .filter((key) => key.startsWith("earlyhelp:"))
      .forEach((key) => window.localStorage.removeItem(key));
  });
});

initSessionTimeout(document.querySelector("[data-module='app-session-timeout']"));
initLiveMatches(document.querySelector("form[data-live-matches-url]"));
