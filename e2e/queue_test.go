package e2e_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/knowthystudents/kts/internal/demo"
)

// TestMondayRoutine walks this week → queue → handled → message → follow-up → changes →
// rules in a browser, with and without scripts, and audits each page with axe. It has a
// dashboard of its own: the states it sets would show on other tests' pages.
func TestMondayRoutine(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, mode := range []struct {
		name string
		opts []tabOption
	}{{"with scripts", nil}, {"without scripts", []tabOption{noJavaScript}}} {
		t.Run(mode.name, func(t *testing.T) {
			tb := newTab(t, e, mode.opts...).sub(t)
			tb.open("/", 200)
			tb.signIn("kts.teacher", demo.TeacherPassword)
			tb.do(chromedp.WaitVisible(testID("week")))
			tb.audit("this week, nothing loaded")
			tb.open("/course/2/queue", 200)
			tb.audit("the queue")
			first := tb.attr(`[data-testid="queue-focus"]`, "data-userid")
			second := tb.attr(`[data-testid="queue-next"]`, "href")
			tb.follow(chromedp.Click(chromedp.CSS(`[data-testid="form-handled"] button`)), 200)
			if got := tb.where(); !strings.HasPrefix(second, "/course/2/queue?at=") || !strings.HasPrefix(got, second) {
				t.Errorf("after handled: at %s; want the next student %s", got, second)
			}
			if tb.count(`[data-testid="queue-item"][data-userid="`+first+`"]`) != 0 {
				t.Errorf("student %s still in the queue after handled", first)
			}
			tb.audit("the queue after handled, with its notice")
			tb.follow(chromedp.Click(testID("queue-message")), 200)
			tb.do(chromedp.SendKeys(testID("compose-text"), "How is it going?"))
			tb.follow(chromedp.Click(chromedp.CSS(`button[name="action"][value="send"]`)), 200)
			tb.open("/course/2/followup", 200)
			if n := tb.count(`[data-testid="followup-row"]`); n < 1 {
				t.Errorf("follow-up rows: %d", n)
			}
			tb.audit("the follow-up")
			tb.open("/course/2/changes", 200)
			tb.audit("what changed")
			tb.open("/course/2/rules", 200)
			tb.do(chromedp.SetValue(chromedp.ID("rule_1_kind"), "not_submitted_after"), chromedp.SetValue(chromedp.ID("rule_1_cmid"), "8"))
			tb.follow(chromedp.Click(testID("rules-preview")), 200)
			if !strings.Contains(tb.text(testID("rules-preview-result")), "not saved") {
				t.Error("the preview does not say it is not saved")
			}
			tb.audit("the rules with a preview")
			tb.open("/", 200)
			tb.audit("this week, a course loaded")
		})
	}
}
