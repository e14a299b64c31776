package e2e_test

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/chromedp/chromedp"
)

// checkOliver checks Oliver Smith's page (course 2, user 14): A1 submitted late, and the
// inactive flag with its reason.
func (tb *tab) checkOliver() {
	tb.t.Helper()
	tb.do(chromedp.WaitVisible(testID("student-page")))
	if got := tb.text(testID("student-name")); got != "Oliver Smith" {
		tb.t.Fatalf("student page of %q; want Oliver Smith", got)
	}
	a1 := `[data-testid="student-assignments"] tbody tr:first-child`
	if got := tb.attr(a1, "data-status"); got != "late" {
		tb.t.Errorf("A1's status is %q; want late", got)
	}
	if got := tb.text(chromedp.CSS(a1)); !strings.Contains(got, "A1 Essay") || !strings.Contains(got, "late") {
		tb.t.Errorf("A1's row reads %q; want it to say late", got)
	}
	inactive := tb.text(chromedp.CSS(`[data-testid="student-flags"] [data-flag="inactive"]`))
	if !strings.Contains(inactive, "inactive") || !strings.Contains(inactive, "no course access for 14 days") {
		tb.t.Errorf("the inactive flag reads %q; want it with its reason", inactive)
	}
}

// checkActivities starts on the activities page: it picks Group A, applies the filter, and
// follows the first activity to its lists of students.
func (tb *tab) checkActivities() {
	tb.t.Helper()
	group := tb.selectOption(testID("filter-group"), "Group A")
	tb.follow(chromedp.Click(chromedp.CSS(`form.filters button[type="submit"]`)), 200)
	if u, _ := url.Parse(tb.where()); u.Path != "/course/2/activities" || u.Query().Get("group") != group {
		tb.t.Fatalf("after applying Group A: at %s; want /course/2/activities?group=%s", tb.where(), group)
	}
	if got := run(tb, chromedp.Value(testID("filter-group"))); got != group {
		tb.t.Errorf("the group select shows %q after applying; want %q", got, group)
	}
	name := tb.text(chromedp.CSS(`[data-testid="activity-link"]`))
	tb.follow(chromedp.Click(chromedp.CSS(`[data-testid="activity-link"]`)), 200)
	u, _ := url.Parse(tb.where())
	if !strings.HasPrefix(u.Path, "/course/2/activity/") || u.Query().Get("group") != group {
		tb.t.Fatalf("the activity link went to %s; want /course/2/activity/N?group=%s", tb.where(), group)
	}
	if got := tb.text(chromedp.CSS("h1")); got != name {
		tb.t.Errorf("activity page heading %q; want %q", got, name)
	}
	for _, list := range []string{"list-incomplete", "list-complete"} {
		tb.do(chromedp.WaitVisible(testID(list)))
	}
	tb.audit("an activity's page")
}

// composeAndSend starts on the compose form: it writes a message with a placeholder,
// previews it, sends it, checks each recipient's outcome and that the demo Moodle stored
// exactly one message for each of them. It returns the recipients' ids.
func (tb *tab) composeAndSend() []string {
	tb.t.Helper()
	ids := run(tb, chromedp.Evaluate[[]string](`[...document.querySelectorAll('[data-testid="recipients"] input[name="userid"]:checked')].map(i => i.value)`))
	if len(ids) == 0 {
		tb.t.Fatal("the compose form has no recipients")
	}
	first := tb.text(chromedp.CSS(`[data-testid="recipients"] li label`))
	marker := fmt.Sprintf("please check in with me this week (%s)", tb.t.Name())
	tb.do(chromedp.SendKeys(testID("compose-text"), "Hello {firstname}, "+marker+"."))
	tb.follow(chromedp.Click(testID("preview-button")), 200)
	want := "Hello " + strings.Fields(first)[0] + ", " + marker
	if got := tb.text(testID("preview")); !strings.Contains(got, want) {
		tb.t.Errorf("the preview reads %q; want %q", got, want)
	}
	tb.audit("the message preview")
	tb.follow(chromedp.Click(testID("send-button")), 200)
	tb.do(chromedp.WaitVisible(testID("message-result")))
	outcomes := run(tb, chromedp.AttributesAll(chromedp.CSSAll(`[data-testid="outcome"]`)))
	if len(outcomes) != len(ids) {
		tb.t.Errorf("%d outcomes for %d recipients", len(outcomes), len(ids))
	}
	for _, o := range outcomes {
		if o["data-status"] != "sent" {
			tb.t.Errorf("recipient %s: outcome %q; want sent", o["data-userid"], o["data-status"])
		}
	}
	if got := tb.text(testID("result-summary")); !strings.HasPrefix(got, fmt.Sprintf("%d delivered", len(ids))) {
		tb.t.Errorf("result summary %q; want %d delivered", got, len(ids))
	}
	tb.audit("the message result")

	teacher := tb.e.site.Accounts()[0].UserID
	got := map[string]int{}
	for _, m := range tb.e.site.SentMessages() {
		if m.From == teacher && strings.Contains(m.Text, marker) {
			got[fmt.Sprint(m.To)]++
		}
	}
	for _, id := range ids {
		if got[id] != 1 {
			tb.t.Errorf("student %s got %d messages; want exactly 1", id, got[id])
		}
		delete(got, id)
	}
	for id, n := range got {
		tb.t.Errorf("student %s, not a recipient, got %d messages", id, n)
	}
	return ids
}
