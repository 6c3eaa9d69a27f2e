// "Is the family already known?" checked as the details are typed.
//
// The start page's form names the fragment URL (data-live-matches-url) and
// the aria-live region to fill (data-live-matches-region). About 400 ms after
// typing stops, once there is a surname or an NHS number and one more detail,
// the details go to the server, which answers with the same matches the
// Search button shows (a record the user may not see says only whom to
// contact). Without JavaScript, or if a check fails, the Search button does
// the same job.

const DEBOUNCE_MS = 400;
const TEXT_FIELDS = ["first_name", "last_name", "nhs_number", "postcode"];

function typed(form) {
  const value = (name) => {
    const element = form.elements.namedItem(name);
    return element && typeof element.value === "string" ? element.value.trim() : "";
  };
  const params = new URLSearchParams();
  TEXT_FIELDS.forEach((name) => {
    if (value(name)) params.set(name, value(name));
  });
  // A date is sent only once it is complete, so a half-typed one does not
  // empty the results.
  const [day, month, year] = ["day", "month", "year"].map((part) => value(`date_of_birth-${part}`));
  if (day && month && /^\d{4}$/.test(year)) {
    params.set("date_of_birth-day", day);
    params.set("date_of_birth-month", month);
    params.set("date_of_birth-year", year);
  }
  return params;
}

function enough(params) {
  const details = [...TEXT_FIELDS, "date_of_birth-day"].filter((name) => params.has(name));
  return (params.has("last_name") || params.has("nhs_number")) && details.length >= 2;
}

export function initLiveMatches(form) {
  if (!form || !window.fetch) return;
  const url = form.dataset.liveMatchesUrl;
  const region = document.getElementById(form.dataset.liveMatchesRegion);
  if (!url || !region) return;
  let timer = null;
  let inFlight = null;
  let last = null;

  async function check() {
    const params = typed(form);
    const query = params.toString();
    if (query === last) return;
    last = query;
    if (inFlight) inFlight.abort();
    if (!enough(params)) {
      // Too little to go on: results for other details would mislead.
      inFlight = null;
      region.innerHTML = "";
      return;
    }
    const controller = new AbortController();
    inFlight = controller;
    try {
      const response = await fetch(`${url}?${query}`, {
        credentials: "same-origin",
        headers: { Accept: "text/html" },
        signal: controller.signal,
      });
      // Signed out (a redirect to sign-in) or refused: leave the page as it is.
      if (!response.ok || response.redirected) return;
      const html = await response.text();
      if (inFlight === controller) region.innerHTML = html;
    } catch (error) {
      if (error.name !== "AbortError") last = null; // offline: try again on the next change
    }
  }

  form.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, DEBOUNCE_MS);
  });
}
