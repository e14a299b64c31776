// Know Thy Students: tells the server this browser runs scripts, so a big cohort page may
// arrive with the roster first and fill itself in (htmx) instead of waiting for everything.
// Without it, the server sends every page complete.
document.cookie = "kts_js=1; path=/; max-age=31536000; samesite=lax";

// A failed htmx request that the server answered with its own words (KTS-Error: 1) is shown:
// htmx leaves an error response out of the page by default, and a page would then wait forever.
document.addEventListener("htmx:beforeSwap", function (e) {
  if (e.detail.xhr.getResponseHeader("KTS-Error") === "1") {
    e.detail.shouldSwap = true;
  }
});
