// Runs before the page paints so GOV.UK Frontend styles for JavaScript apply
// without a flash; kept in a file so the Content Security Policy needs no
// inline scripts.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
