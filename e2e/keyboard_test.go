package e2e_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/knowthystudents/kts/internal/demo"
)

// TestKeyboard goes through the cohort table with the keyboard only: Tab reaches every sort
// header with a visible focus ring, Enter sorts, and Tab and Enter open a student.
func TestKeyboard(t *testing.T) {
	t.Parallel()
	e := theEnv(t)
	tb := newTab(t, e).sub(t)
	tb.open("/signin?next=/course/2", 200)
	tb.signIn("kts.teacher", demo.TeacherPassword)
	tb.do(chromedp.WaitVisible(testID("cohort-table")))

	headers := run(tb, chromedp.Evaluate[[]string](`[...document.querySelectorAll("th[aria-sort] a.sort")].map(a => a.dataset.testid)`))
	if len(headers) < 4 {
		t.Fatalf("%d sortable headers; want name, access, completion and the assignments", len(headers))
	}
	states := run(tb, chromedp.Evaluate[[]string](`[...document.querySelectorAll("th:has(a.sort)")].map(th => th.getAttribute("aria-sort"))`))
	if len(states) != len(headers) || !strings.HasPrefix(strings.Join(states, " "), "ascending") || strings.Count(strings.Join(states, " "), "none") != len(states)-1 {
		t.Errorf("sortable headers announce %q; want aria-sort on each, ascending on the first and none on the rest", states)
	}

	// The first Tab shows the skip link; Enter on it moves the focus to the content.
	tb.do(chromedp.KeyEvent(kb.Tab))
	if got := tb.attr(":focus", "class"); got != "skip-link" {
		t.Fatalf("the first Tab focuses %q; want the skip link", got)
	}
	tb.checkFocusRing()
	if top := run(tb, chromedp.Evaluate[float64](`document.activeElement.getBoundingClientRect().top`)); top < 0 {
		t.Errorf("the focused skip link is off screen (top %.0fpx)", top)
	}
	tb.do(chromedp.KeyEvent(kb.Enter))
	if got := run(tb, chromedp.Evaluate[string](`document.activeElement.id`)); got != "main" {
		t.Errorf("Enter on the skip link focuses #%s; want #main", got)
	}

	tb.tabTo(`[data-testid="sort-name"]`, 60)
	for _, h := range headers {
		if got := tb.focused(); got != h {
			t.Fatalf("focus is on %q; want the header %q next", got, h)
		}
		tb.checkFocusRing()
		if h != headers[len(headers)-1] {
			tb.do(chromedp.KeyEvent(kb.Tab))
		}
	}

	tb.tabBackTo(`[data-testid="sort-access"]`, len(headers))
	tb.htmxSwap(func() { tb.do(chromedp.KeyEvent(kb.Enter)) }, `location.search.includes("sort=access")`)
	if got := tb.attr(`th:has([data-testid="sort-access"])`, "aria-sort"); got != "ascending" {
		t.Errorf("after Enter on the access header it is %q; want ascending", got)
	}
	// htmx puts the focus back on the header (same id) in the new table, so the next Tab
	// goes on from there.
	if got := tb.focused(); got != "sort-access" {
		t.Errorf("after sorting, the focus is on %q; want it still on the access header", got)
	}
	tb.checkFocusRing()

	tb.tabTo(`[data-testid="student-link"]`, len(headers)+2)
	tb.checkFocusRing()
	href := tb.attr(`:focus`, "href")
	tb.follow(chromedp.KeyEvent(kb.Enter), 200)
	if tb.where() != href {
		t.Errorf("Enter on a student link went to %s; want %s", tb.where(), href)
	}
	tb.do(chromedp.WaitVisible(testID("student-page")))
}

// focused is the data-testid (or, failing that, the tag) of the element that has the focus.
func (tb *tab) focused() string {
	tb.t.Helper()
	return run(tb, chromedp.Evaluate[string](`(e => e ? (e.dataset.testid || e.tagName.toLowerCase()) : "")(document.activeElement)`))
}

// tabTo presses Tab until the focus is on an element matching css, at most max times.
func (tb *tab) tabTo(css string, max int) {
	tb.t.Helper()
	tb.pressUntil(kb.Tab, nil, css, max)
}

// tabBackTo presses Shift+Tab until the focus is on an element matching css.
func (tb *tab) tabBackTo(css string, max int) {
	tb.t.Helper()
	tb.pressUntil(kb.Tab, []chromedp.KeyOption{chromedp.KeyModifiers(chromedp.ModifierShift)}, css, max)
}

func (tb *tab) pressUntil(key string, opts []chromedp.KeyOption, css string, max int) {
	tb.t.Helper()
	match := `(document.activeElement && document.activeElement.matches(` + jsString(css) + `))`
	for range max {
		if run(tb, chromedp.Evaluate[bool](match)) {
			return
		}
		tb.do(chromedp.KeyEvent(key, opts...))
	}
	if !run(tb, chromedp.Evaluate[bool](match)) {
		tb.t.Fatalf("after %d key presses the focus is on %q, not on %s", max, tb.focused(), css)
	}
}

// checkFocusRing fails unless the focused element shows a focus indicator: an outline
// that is not none, at least 2px wide, as :focus-visible draws it for keyboard users.
func (tb *tab) checkFocusRing() {
	tb.t.Helper()
	ring := run(tb, chromedp.Evaluate[struct {
		Style   string  `json:"style"`
		Width   float64 `json:"width"`
		Visible bool    `json:"visible"`
	}](`(() => {
		const e = document.activeElement, s = getComputedStyle(e);
		return {style: s.outlineStyle, width: parseFloat(s.outlineWidth), visible: e.matches(":focus-visible")};
	})()`))
	if ring.Style == "none" || ring.Width < 2 || !ring.Visible {
		tb.t.Errorf("focus on %q shows no ring: outline %s %.0fpx, :focus-visible %v", tb.focused(), ring.Style, ring.Width, ring.Visible)
	}
}
