package e2e_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// testID selects the elements a test finds by their data-testid.
func testID(id string) chromedp.CSS { return chromedp.CSS(`[data-testid="` + id + `"]`) }

// open loads path in the tab and checks the status of the page.
func (tb *tab) open(path string, wantStatus int) {
	tb.t.Helper()
	resp := run(tb, chromedp.NavigateResponse(tb.e.url(path)))
	if resp == nil {
		tb.t.Fatalf("GET %s: no response", path)
	}
	if int(resp.Status) != wantStatus {
		tb.t.Fatalf("GET %s: status %d; want %d", path, resp.Status, wantStatus)
	}
	tb.waitFilled()
}

// waitFilled waits until a cohort page that arrived before its load ended (a browser that
// runs scripts gets the roster first) has filled itself in: its poll link is gone.
func (tb *tab) waitFilled() {
	tb.t.Helper()
	tb.do(chromedp.WaitNotPresent(testID("poll")))
}

// follow runs an action that loads a new page (a click on a link, a form's submit), waits for
// the page and checks its status.
func (tb *tab) follow(a chromedp.Action[chromedp.Void], wantStatus int) *network.Response {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, timeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, a)
	if err != nil {
		tb.t.Fatalf("%v", err)
	}
	if resp == nil {
		tb.t.Fatalf("no page loaded")
	}
	if int(resp.Status) != wantStatus {
		tb.t.Fatalf("%s: status %d; want %d", resp.URL, resp.Status, wantStatus)
	}
	tb.waitFilled()
	return resp
}

// where is the tab's path and query, e.g. /course/2?group=1.
func (tb *tab) where() string {
	tb.t.Helper()
	loc := run(tb, chromedp.Location())
	u, err := url.Parse(loc)
	if err != nil {
		tb.t.Fatalf("location %q: %v", loc, err)
	}
	return u.RequestURI()
}

// text is the visible text of the first element sel finds, white space folded.
func (tb *tab) text(sel chromedp.CSS) string {
	tb.t.Helper()
	return strings.Join(strings.Fields(run(tb, chromedp.TextContent(sel))), " ")
}

// count is how many elements match a CSS selector now.
func (tb *tab) count(css string) int {
	tb.t.Helper()
	return run(tb, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll(%q).length`, css)))
}

// signIn signs in with a username and password through the form and waits for the page
// the dashboard lands on.
func (tb *tab) signIn(username, password string) {
	tb.t.Helper()
	tb.signInAs(username, password, 200)
}

// signInAs signs in through the form and checks the status of the page it lands on.
func (tb *tab) signInAs(username, password string, wantStatus int) {
	tb.t.Helper()
	tb.do(
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.Clear(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), username),
		chromedp.Clear(chromedp.ID("password")),
		chromedp.SendKeys(chromedp.ID("password"), password),
	)
	tb.follow(chromedp.Submit(chromedp.ID("password")), wantStatus)
}

// rowIDs are the user ids of the cohort table's rows, in order.
func (tb *tab) rowIDs() []string {
	tb.t.Helper()
	return run(tb, chromedp.Evaluate[[]string](`[...document.querySelectorAll('[data-testid="student-row"]')].map(r => r.dataset.userid)`))
}

// htmxSwap runs trigger, which must make htmx replace the cohort results in place, and waits
// until the new results have settled and cond (a JavaScript expression) holds. It fails if the
// page loads anew instead: the marker it leaves on window would be gone.
func (tb *tab) htmxSwap(trigger func(), cond string) {
	tb.t.Helper()
	run(tb, chromedp.Evaluate[chromedp.Void](`(() => {
		if (!window.__kts) {
			window.__kts = {settled: 0};
			document.body.addEventListener("htmx:afterSettle", () => window.__kts.settled++);
		}
		window.__kts.settled = 0;
		document.querySelector('[data-testid="cohort-results"]').setAttribute("data-stale", "");
	})()`))
	trigger()
	run(tb, chromedp.Poll[bool](`window.__kts && window.__kts.settled > 0 &&
		!document.querySelector('[data-testid="cohort-results"][data-stale]') &&
		!document.querySelector(".htmx-request") && !document.querySelector('[data-testid="poll"]') && (`+cond+`)`,
		chromedp.WithPollingInterval(25*time.Millisecond), chromedp.WithPollingTimeout(timeout)))
}

// selectOption picks the option with this label in a select, as a person would, and
// returns its value. The change event it fires is what htmx listens for.
func (tb *tab) selectOption(sel chromedp.CSS, label string) string {
	tb.t.Helper()
	v := run(tb, chromedp.Evaluate[*string](fmt.Sprintf(`(() => {
		const s = document.querySelector(%q);
		const o = [...s.options].find(o => o.textContent.trim() === %q);
		if (!o) return null;
		s.value = o.value;
		s.dispatchEvent(new Event("input", {bubbles: true}));
		s.dispatchEvent(new Event("change", {bubbles: true}));
		return o.value;
	})()`, string(sel), label)))
	if v == nil {
		tb.t.Fatalf("%s has no option %q", sel, label)
	}
	return *v
}

// attr is an attribute of the first element a CSS selector finds ("" when absent).
func (tb *tab) attr(css, name string) string {
	tb.t.Helper()
	return run(tb, chromedp.Evaluate[string](fmt.Sprintf(`(document.querySelector(%q) || {getAttribute: () => ""}).getAttribute(%q) || ""`, css, name)))
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string { return fmt.Sprintf("%q", s) }
