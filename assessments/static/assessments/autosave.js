// Drafts of an assessment section that survive a closed browser or an expired
// session.
//
// Every change is copied at once into this browser's localStorage (one key per
// user, episode and section), and about 1.5 seconds after the typing stops the
// form is posted to the section's autosave endpoint, which answers
// {"saved": true, "version": n}. The hidden version field then follows the
// server, so "Save and continue" keeps working. When the server has the same
// text, the browser's copy is removed.
//
// If a save fails (signed out: a redirect to sign-in or a 403; offline; a
// server error; no answer within SAVE_TIMEOUT_MS) the copy stays in the
// browser, the status says so, the next change tries again, and the next time this section
// is opened the page offers to restore it. If someone else changed the section
// (409) autosave stops: the text stays in the form and in this browser, and
// "Save and continue" shows both versions side by side.
//
// Autosave never stops silently: a save that hangs is given up and reported,
// and once stopped every further change repeats why. A change that leaves the
// form as it was last saved (a blur after typing) sends nothing, so no stray
// save can race a later one; text typed before this script started (a slow
// connection) is saved like any other change.
//
// The page provides: the form's data-autosave-url, data-draft-key and
// data-message-* texts (translated, "{time}" is replaced), the live region
// #autosave-status and the hidden banner #autosave-restore.

const DEBOUNCE_MS = 1500;
const SAVE_TIMEOUT_MS = 15000;
const DRAFT_MAX_AGE_MS = 14 * 24 * 60 * 60 * 1000;
const IGNORED_FIELDS = new Set(["csrfmiddlewaretoken", "version"]);

function hoursAndMinutes(date) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function fieldNames(form) {
  const names = [];
  for (const element of form.elements) {
    if (element.name && !IGNORED_FIELDS.has(element.name) && !names.includes(element.name)) {
      names.push(element.name);
    }
  }
  return names;
}

// {name: [values]} for every field, including unchecked checkboxes (as []).
function formValues(form) {
  const data = new FormData(form);
  const values = {};
  for (const name of fieldNames(form)) {
    values[name] = data.getAll(name).map((value) => String(value));
  }
  return values;
}

// The same shape as formValues, for the values the page was served with (what
// the service holds), whatever has been typed since.
function servedValues(form) {
  const values = {};
  for (const name of fieldNames(form)) values[name] = [];
  for (const element of form.elements) {
    if (!(element.name in values) || element.disabled) continue;
    const wanted = values[element.name];
    if (element.type === "checkbox" || element.type === "radio") {
      if (element.defaultChecked) wanted.push(element.value);
    } else if (element.tagName === "SELECT") {
      const chosen = [...element.options].filter((option) => option.defaultSelected);
      if (!chosen.length && !element.multiple && element.options.length) {
        chosen.push(element.options[0]);
      }
      for (const option of chosen) wanted.push(option.value);
    } else if (element.tagName === "TEXTAREA" || element.tagName === "INPUT") {
      if (!["submit", "button", "reset", "image", "file"].includes(element.type)) {
        wanted.push(element.defaultValue);
      }
    }
  }
  return values;
}

function sameValues(a, b) {
  const normalise = (values) =>
    JSON.stringify(
      Object.keys(values)
        .sort()
        .map((name) => [name, values[name].map((v) => v.replace(/\r\n/g, "\n").trim())]),
    );
  return normalise(a) === normalise(b);
}

function applyValues(form, values) {
  for (const element of form.elements) {
    if (!element.name || !(element.name in values)) continue;
    const wanted = values[element.name];
    if (element.type === "checkbox" || element.type === "radio") {
      element.checked = wanted.includes(element.value);
    } else if (element.tagName === "SELECT" && element.multiple) {
      for (const option of element.options) option.selected = wanted.includes(option.value);
    } else {
      element.value = wanted.length ? wanted[0] : "";
    }
  }
}

class Drafts {
  constructor(key) {
    this.key = key;
  }

  read() {
    try {
      const draft = JSON.parse(window.localStorage.getItem(this.key));
      if (draft && typeof draft.values === "object" && typeof draft.savedAt === "number") {
        return draft;
      }
    } catch {
      // Storage unavailable or the draft unreadable: there is nothing to offer.
    }
    return null;
  }

  write(values, version) {
    try {
      window.localStorage.setItem(
        this.key,
        JSON.stringify({ values, version, savedAt: Date.now() }),
      );
      return true;
    } catch {
      return false;
    }
  }

  remove() {
    try {
      window.localStorage.removeItem(this.key);
    } catch {
      // Nothing to do.
    }
  }
}

class Autosave {
  constructor(form) {
    this.form = form;
    this.url = form.dataset.autosaveUrl;
    this.drafts = new Drafts(form.dataset.draftKey);
    this.status = document.getElementById("autosave-status");
    this.banner = document.getElementById("autosave-restore");
    this.timer = null;
    this.inFlight = null;
    this.dirty = false;
    this.stopped = false;
    this.submitting = false;
    this.lastSaved = servedValues(form);
  }

  get version() {
    return this.form.elements.version;
  }

  message(name, time) {
    const text = this.form.dataset[`message${name}`] || "";
    return text.replace("{time}", time);
  }

  say(text) {
    if (this.status) this.status.textContent = text;
  }

  start() {
    this.offerRestore();
    // This script runs after the page is shown: anything typed (or restored
    // by the browser) before then raised no event, so look for it now.
    if (!sameValues(formValues(this.form), this.lastSaved)) this.changed();
    this.form.addEventListener("input", () => this.changed());
    this.form.addEventListener("change", () => this.changed());
    this.form.addEventListener("submit", (event) => this.beforeSubmit(event));
    window.addEventListener("pagehide", () => this.flush());
    // A page restored from the back/forward cache after "Save and continue"
    // must save again.
    window.addEventListener("pageshow", (event) => {
      if (event.persisted) this.submitting = false;
    });
  }

  changed() {
    const values = formValues(this.form);
    if (this.stopped) {
      this.drafts.write(values, this.version.value);
      this.say(this.message("Conflict", hoursAndMinutes(new Date())));
      return;
    }
    window.clearTimeout(this.timer);
    this.timer = null;
    if (!this.inFlight && sameValues(values, this.lastSaved)) {
      // Back to what the service holds: nothing to send or keep.
      this.dirty = false;
      this.drafts.remove();
      return;
    }
    this.dirty = true;
    this.drafts.write(values, this.version.value);
    this.timer = window.setTimeout(() => this.save(), DEBOUNCE_MS);
  }

  async save() {
    this.timer = null;
    if (this.stopped || this.submitting) return;
    if (this.inFlight) {
      // One save at a time: save again once the current one has answered.
      await this.inFlight;
      if (this.dirty && !this.timer) this.save();
      return;
    }
    const sent = formValues(this.form);
    this.dirty = false;
    this.inFlight = this.post(sent);
    try {
      await this.inFlight;
    } finally {
      this.inFlight = null;
    }
  }

  async post(sent) {
    let response;
    const abort = new AbortController();
    const timeout = Number(this.form.dataset.autosaveTimeoutMs) || SAVE_TIMEOUT_MS;
    const giveUp = window.setTimeout(() => abort.abort(), timeout);
    try {
      response = await window.fetch(this.url, {
        method: "POST",
        body: new FormData(this.form),
        credentials: "same-origin",
        redirect: "manual",
        signal: abort.signal,
        headers: { Accept: "application/json", "X-Requested-With": "fetch" },
      });
    } catch {
      this.failed();
      return;
    } finally {
      window.clearTimeout(giveUp);
    }
    if (response.status === 409) {
      this.conflict();
      return;
    }
    if (!response.ok || response.type === "opaqueredirect") {
      this.failed();
      return;
    }
    let answer;
    try {
      answer = await response.json();
    } catch {
      this.failed();
      return;
    }
    if (!answer.saved) {
      this.failed();
      return;
    }
    this.version.value = String(answer.version);
    this.lastSaved = sent;
    this.say(this.message("Saved", answer.saved_at || hoursAndMinutes(new Date())));
    if (sameValues(sent, formValues(this.form))) {
      this.drafts.remove();
    } else {
      // Typed more while saving: keep the browser's copy up to date.
      this.drafts.write(formValues(this.form), this.version.value);
    }
  }

  failed() {
    this.dirty = true;
    this.drafts.write(formValues(this.form), this.version.value);
    this.say(this.message("Kept", hoursAndMinutes(new Date())));
  }

  conflict() {
    this.stopped = true;
    window.clearTimeout(this.timer);
    this.drafts.write(formValues(this.form), this.version.value);
    this.say(this.message("Conflict", hoursAndMinutes(new Date())));
  }

  // "Save and continue" waits for a save under way, so it sends the version
  // that save produced instead of conflicting with its own draft.
  beforeSubmit(event) {
    window.clearTimeout(this.timer);
    this.timer = null;
    this.submitting = true;
    if (this.inFlight) {
      event.preventDefault();
      this.inFlight.finally(() => this.form.submit());
    }
  }

  // Leaving the page with changes not yet sent: send them without waiting.
  flush() {
    if (!this.timer || this.stopped || this.submitting) return;
    window.clearTimeout(this.timer);
    this.timer = null;
    if (navigator.sendBeacon) navigator.sendBeacon(this.url, new FormData(this.form));
  }

  offerRestore() {
    const draft = this.drafts.read();
    if (!draft) return;
    const tooOld = Date.now() - draft.savedAt > DRAFT_MAX_AGE_MS;
    if (tooOld || sameValues(draft.values, formValues(this.form))) {
      this.drafts.remove();
      return;
    }
    if (!this.banner) return;
    const time = this.banner.querySelector("[data-autosave-time]");
    if (time) time.textContent = hoursAndMinutes(new Date(draft.savedAt));
    this.banner.hidden = false;
    this.banner.querySelector("[data-autosave-restore]").addEventListener("click", () => {
      applyValues(this.form, draft.values);
      // Check the restored text against the version it was typed on: if
      // someone else changed the section since, the save is refused and both
      // versions are shown, rather than theirs being overwritten.
      if (draft.version) this.version.value = draft.version;
      this.banner.hidden = true;
      this.changed();
      const first = this.form.querySelector("textarea, input:not([type=hidden]), select");
      if (first) first.focus();
    });
    this.banner.querySelector("[data-autosave-discard]").addEventListener("click", () => {
      this.drafts.remove();
      this.banner.hidden = true;
      this.say("");
    });
  }
}

const form = document.querySelector("form[data-autosave-url]");
if (form && form.elements.version) {
  new Autosave(form).start();
}
