// Know Thy Students: tells the server this browser runs scripts, so a big cohort page may
// arrive with the roster first and fill itself in (htmx) instead of waiting for everything.
// Without it, the server sends every page complete.
document.cookie = "kts_js=1; path=/; max-age=31536000; samesite=lax";
