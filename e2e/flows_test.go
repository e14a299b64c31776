package e2e_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/knowthystudents/kts/internal/demo"
)

// TestFlows walks what a teacher does in a browser with JavaScript on, checking every page
// and state with axe on the way. The subtests share one teacher's tab and run in order.
func TestFlows(t *testing.T) {
	t.Parallel()
	e := theEnv(t)
	teacher := newTab(t, e)

	t.Run("sign in with password", func(t *testing.T) {
		tb := teacher.sub(t)
		tb.open("/", 200)
		tb.audit("the sign-in page")
		tb.do(
			chromedp.SendKeys(chromedp.ID("username"), "kts.teacher"),
			chromedp.SendKeys(chromedp.ID("password"), "not-the-password"),
		)
		tb.follow(chromedp.Submit(chromedp.ID("password")), 401)
		if got := tb.text(testID("signin-error")); !strings.Contains(got, "username or password is wrong") {
			t.Errorf("a wrong password says %q", got)
		}
		if got := run(tb, chromedp.Value(chromedp.ID("username"))); got != "kts.teacher" {
			t.Errorf("the username field holds %q after a failed sign-in; want it kept", got)
		}
		tb.audit("the sign-in page with an error")
		tb.signIn("kts.teacher", demo.TeacherPassword)
		if tb.where() != "/" {
			t.Fatalf("signed in at %s; want /", tb.where())
		}
		if got := tb.text(chromedp.CSS(".site-header")); !strings.Contains(got, "Signed in as Margaret Ellis") {
			t.Errorf("header says %q; want the teacher's name", got)
		}
		if got := tb.text(testID("courses")); !strings.Contains(got, "Know Thy Students 101") || !strings.Contains(got, "Big Cohort 500") {
			t.Errorf("course list %q; want KTS101 and BIG500", got)
		}
		tb.audit("the course list")
	})

	t.Run("sign in with token", func(t *testing.T) {
		tb := newTab(t, e).sub(t)
		tb.open("/signin", 200)
		tb.do(chromedp.SendKeys(chromedp.ID("token"), e.teacherToken()))
		tb.follow(chromedp.Submit(chromedp.ID("token")), 200)
		if tb.where() != "/" || tb.count(`[data-testid="course-link"]`) != 2 {
			t.Fatalf("after a token sign-in: at %s with %d course links; want / with 2", tb.where(), tb.count(`[data-testid="course-link"]`))
		}
	})

	t.Run("open a course from its Moodle link", func(t *testing.T) {
		tb := newTab(t, e).sub(t)
		tb.open("/?courseid=2", 200)
		if u, _ := url.Parse(tb.where()); u.Path != "/signin" || u.Query().Get("next") != "/course/2" {
			t.Fatalf("signed out, /?courseid=2 went to %s; want /signin?next=/course/2", tb.where())
		}
		if got := tb.attr(`[data-testid="signin-password"] input[name="next"]`, "value"); got != "/course/2" {
			t.Errorf("the sign-in form's next is %q; want /course/2", got)
		}
		tb.signIn("kts.teacher", demo.TeacherPassword)
		if tb.where() != "/course/2" {
			t.Fatalf("after signing in: at %s; want /course/2", tb.where())
		}
		tb.do(chromedp.WaitVisible(testID("cohort-table")))
	})

	t.Run("filter by group", func(t *testing.T) {
		tb := teacher.sub(t)
		tb.follow(chromedp.Click(chromedp.CSS(`[data-testid="course-link"][href="/course/2"]`)), 200)
		tb.do(chromedp.WaitVisible(testID("cohort-table")))
		if n := len(tb.rowIDs()); n != 29 {
			t.Fatalf("%d rows before filtering; want 29", n)
		}
		tb.audit("the cohort")
		var group string
		tb.htmxSwap(func() { group = tb.selectOption(testID("filter-group"), "Group A") }, `location.search.includes("group=")`)
		if u, _ := url.Parse(tb.where()); u.Query().Get("group") != group {
			t.Errorf("URL %s after choosing Group A; want group=%s in it", tb.where(), group)
		}
		ids := tb.rowIDs()
		if len(ids) == 0 || len(ids) >= 29 {
			t.Fatalf("%d rows for Group A; want some but not all 29", len(ids))
		}
		groups := run(tb, chromedp.Evaluate[[]string](`[...document.querySelectorAll('[data-testid="student-row"] th .block')].map(e => e.textContent)`))
		for _, g := range groups {
			if !strings.Contains(g, "Group A") {
				t.Errorf("a row in the Group A view is in %q", g)
			}
		}
		if got := tb.text(testID("shown-count")); !strings.Contains(got, fmt.Sprintf("Showing %d of 29", len(ids))) {
			t.Errorf("count says %q with %d rows", got, len(ids))
		}
		tb.audit("the cohort filtered by group")
		tb.htmxSwap(func() { tb.selectOption(testID("filter-group"), "All groups you can see") }, `document.querySelectorAll('[data-testid="student-row"]').length === 29`)
	})

	t.Run("sort by a column", func(t *testing.T) {
		tb := teacher.sub(t)
		if got := tb.attr(`th:has([data-testid="sort-name"])`, "aria-sort"); got != "ascending" {
			t.Errorf("by default the name column is %q; want ascending", got)
		}
		tb.htmxSwap(func() { tb.do(chromedp.Click(testID("sort-access"))) }, `location.search.includes("sort=access")`)
		if got := tb.attr(`th:has([data-testid="sort-access"])`, "aria-sort"); got != "ascending" {
			t.Errorf("after one click the access column is %q; want ascending", got)
		}
		if got := tb.attr(`th:has([data-testid="sort-name"])`, "aria-sort"); got != "none" {
			t.Errorf("after sorting by access the name column is %q; want none", got)
		}
		first := tb.rowIDs()[0]
		tb.htmxSwap(func() { tb.do(chromedp.Click(testID("sort-access"))) }, `location.search.includes("dir=desc")`)
		if got := tb.attr(`th:has([data-testid="sort-access"])`, "aria-sort"); got != "descending" {
			t.Errorf("after a second click the access column is %q; want descending", got)
		}
		if ids := tb.rowIDs(); ids[len(ids)-1] != first {
			t.Errorf("descending order ends with %s; want %s, who came first ascending", ids[len(ids)-1], first)
		}
	})

	t.Run("search by name", func(t *testing.T) {
		tb := teacher.sub(t)
		tb.htmxSwap(func() { tb.do(chromedp.SendKeys(testID("filter-q"), "oliver"), chromedp.KeyEvent(kb.Enter)) }, `document.querySelectorAll('[data-testid="student-row"]').length === 1 && location.search.includes("q=oliver")`)
		if ids := tb.rowIDs(); len(ids) != 1 || ids[0] != "14" {
			t.Fatalf("searching oliver shows %v; want only Oliver Smith (14)", ids)
		}
	})

	t.Run("open a student", func(t *testing.T) {
		tb := teacher.sub(t)
		tb.follow(chromedp.Click(chromedp.CSS(`[data-testid="student-row"][data-userid="14"] [data-testid="student-link"]`)), 200)
		tb.checkOliver()
		tb.audit("Oliver Smith's page")
	})

	t.Run("download the CSV", func(t *testing.T) {
		tb := teacher.sub(t)
		tb.open("/course/2", 200)
		tb.checkCohortCSV(tb.download(testID("export-csv")))
	})

	t.Run("activities, a group, an activity", func(t *testing.T) {
		tb := teacher.sub(t)
		tb.follow(chromedp.Click(testID("activities-link")), 200)
		tb.do(chromedp.WaitVisible(testID("activities-table")))
		tb.audit("the activities page")
		tb.checkActivities()
	})

	t.Run("message the students who need attention", func(t *testing.T) {
		tb := teacher.sub(t)
		tb.open("/course/2", 200)
		tb.follow(chromedp.Click(testID("message-flagged")), 200)
		tb.audit("the compose form")
		tb.composeAndSend()
	})

	// Signing out drops the teacher's cached courses, and the demo gives every sign-in of an
	// account the same token: these two flows use a Moodle and dashboard of their own, so
	// the other tests keep their cache.
	own := newEnv(t)
	ownTab := newTab(t, own)

	t.Run("sign out", func(t *testing.T) {
		tb := ownTab.sub(t)
		tb.open("/signin", 200)
		tb.signIn("kts.teacher", demo.TeacherPassword)
		tb.follow(chromedp.Click(testID("signout")), 200)
		if tb.where() != "/" || tb.count(`[data-testid="signin-password"]`) != 1 {
			t.Fatalf("after signing out: at %s; want the sign-in page at /", tb.where())
		}
		tb.open("/course/2", 200)
		if u, _ := url.Parse(tb.where()); u.Path != "/signin" {
			t.Errorf("signed out, /course/2 shows %s; want the sign-in page", tb.where())
		}
	})

	t.Run("session expired", func(t *testing.T) {
		e := own // the teacher's token is revoked in this Moodle (signing in again issues it anew)
		tb := ownTab.sub(t)
		tb.open("/signin", 200)
		tb.signIn("kts.teacher", demo.TeacherPassword)
		e.site.RevokeToken(e.teacherToken()) // as an administrator would, or an expiry
		tb.open("/course/2?group=1", 200)
		u, _ := url.Parse(tb.where())
		if u.Path != "/signin" || u.Query().Get("reason") != "expired" || u.Query().Get("next") != "/course/2?group=1" {
			t.Fatalf("with a revoked token: at %s; want /signin?next=/course/2?group=1&reason=expired", tb.where())
		}
		if got := tb.text(testID("notice")); !strings.Contains(got, "Your session ended or Moodle no longer accepts your sign-in") {
			t.Errorf("the sign-in page says %q; want why the teacher is here again", got)
		}
		if got := tb.attr(`[data-testid="signin-password"] input[name="next"]`, "value"); got != "/course/2?group=1" {
			t.Errorf("the form's next is %q; want /course/2?group=1", got)
		}
		tb.audit("the sign-in page after the session expired")
		tb.signIn("kts.teacher", demo.TeacherPassword)
		if tb.where() != "/course/2?group=1" {
			t.Errorf("signed in again: at %s; want back at /course/2?group=1", tb.where())
		}
	})
}
