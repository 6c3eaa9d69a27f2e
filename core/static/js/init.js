import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();

// Drafts kept in this browser (assessment autosave) must not outlive the
// session on a shared computer: signing out clears them.
document.querySelectorAll("form[data-sign-out]").forEach((form) => {
  form.addEventListener("submit", () => {
    Object.keys(window.localStorage)
      .filter((key) => key.startsWith("earlyhelp:"))
      .forEach((key) => window.localStorage.removeItem(key));
  });
});
