package e2e_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/knowthystudents/kts/internal/demo"
)

// TestFlowsWithoutJavaScript does, with scripts switched off, everything a link or a form
// can do on its own: every htmx control sits on a real link or form.
func TestFlowsWithoutJavaScript(t *testing.T) {
	t.Parallel()
	e := theEnv(t)
	teacher := newTab(t, e, noJavaScript)

	t.Run("sign in", func(t *testing.T) {
		tb := teacher.sub(t)
		tb.open("/", 200)
		if run(tb, chromedp.Evaluate[bool](`typeof window.htmx !== "undefined"`)) {
			t.Fatal("htmx ran: scripts are not switched off in this tab")
		}
		tb.signIn("kts.teacher", demo.TeacherPassword)
		tb.follow(chromedp.Click(chromedp.CSS(`[data-testid="course-link"][href="/course/2"]`)), 200)
		tb.do(chromedp.WaitVisible(testID("cohort-table")))
	})

	t.Run("group filter with Apply", func(t *testing.T) {
		tb := teacher.sub(t)
		group := tb.selectOption(testID("filter-group"), "Group A")
		tb.follow(chromedp.Click(chromedp.CSS(`form.filters button[type="submit"]`)), 200)
		if u, _ := url.Parse(tb.where()); u.Query().Get("group") != group {
			t.Fatalf("Apply went to %s; want group=%s", tb.where(), group)
		}
		groups := run(tb, chromedp.Evaluate[[]string](`[...document.querySelectorAll('[data-testid="student-row"] th .block')].map(e => e.textContent)`))
		if len(groups) == 0 || len(groups) >= 29 {
			t.Fatalf("%d rows in Group A; want some but not all 29", len(groups))
		}
		for _, g := range groups {
			if !strings.Contains(g, "Group A") {
				t.Errorf("a row in the Group A view is in %q", g)
			}
		}
	})

	t.Run("sort with header links", func(t *testing.T) {
		tb := teacher.sub(t)
		tb.follow(chromedp.Click(testID("sort-completion")), 200)
		u, _ := url.Parse(tb.where())
		if u.Query().Get("sort") != "completion" || u.Query().Get("group") == "" {
			t.Errorf("the header link went to %s; want sort=completion with the group kept", tb.where())
		}
		if got := tb.attr(`th:has([data-testid="sort-completion"])`, "aria-sort"); got != "ascending" {
			t.Errorf("the completion column is %q; want ascending", got)
		}
		tb.follow(chromedp.Click(testID("sort-completion")), 200)
		if got := tb.attr(`th:has([data-testid="sort-completion"])`, "aria-sort"); got != "descending" {
			t.Errorf("after the second click the completion column is %q; want descending", got)
		}
	})

	t.Run("open a student", func(t *testing.T) {
		tb := teacher.sub(t)
		tb.open("/course/2", 200)
		tb.follow(chromedp.Click(chromedp.CSS(`[data-testid="student-row"][data-userid="14"] [data-testid="student-link"]`)), 200)
		tb.checkOliver()
	})

	t.Run("CSV link", func(t *testing.T) {
		tb := teacher.sub(t)
		tb.open("/course/2", 200)
		tb.checkCohortCSV(tb.download(testID("export-csv")))
	})

	t.Run("activities", func(t *testing.T) {
		tb := teacher.sub(t)
		tb.follow(chromedp.Click(testID("activities-link")), 200)
		tb.checkActivities()
	})

	t.Run("message selected students", func(t *testing.T) {
		tb := teacher.sub(t)
		tb.open("/course/2", 200)
		tb.do(chromedp.Click(chromedp.ID("sel-14")), chromedp.Click(chromedp.ID("sel-30")))
		tb.follow(chromedp.Click(testID("message-selected")), 200)
		if u, _ := url.Parse(tb.where()); u.Path != "/course/2/message" {
			t.Fatalf("Message selected students went to %s", tb.where())
		}
		ids := tb.composeAndSend()
		slices.Sort(ids)
		if !slices.Equal(ids, []string{"14", "30"}) {
			t.Errorf("the message went to %v; want the two ticked students 14 and 30", ids)
		}
	})
}
