// Package e2e drives the dashboard in a real browser: Debian's chromium, headless, through
// chromedp. The tests start the demo Moodle as its own HTTP server and the dashboard on
// another, as in production, then sign in, filter, sort, open students, download, message and
// sign out as a teacher would, with JavaScript on and off. They also run axe-core on every
// page, walk the cohort table with the keyboard, check the layout at 1280 and 768 pixels and
// the A4 print of a student, and (with -update-screenshots) refresh docs/screenshots.
//
// The package has no code outside its tests; go test ./e2e runs them. Chromium must be
// installed (make test installs it): the tests fail, never skip, without it.
package e2e
