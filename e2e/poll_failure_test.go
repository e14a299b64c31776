package e2e_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/knowthystudents/kts/internal/demo"
	"github.com/knowthystudents/kts/internal/moodle"
	"github.com/knowthystudents/kts/internal/moodle/wsfake"
)

// TestALoadThatStopsSaysSo: Moodle answers the roster, then fails every batch of completion
// (HTTP 503) while the page fills itself in. The page does not stay "loading" forever: it
// says what happened, with a link that loads it again, and keeps what arrived.
func TestALoadThatStopsSaysSo(t *testing.T) {
	t.Parallel()
	failing := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if req, err := wsfake.ReadRequest(r); err == nil && req.Value("wsfunction") == moodle.FuncBatch &&
				strings.Contains(wsfake.Flatten(req.Post)["requests[0][function]"], "completion") {
				time.Sleep(1500 * time.Millisecond) // Moodle's time, after the first screen has gone out
				http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	e := newEnv(t, inFront(failing), func(s *envSetup) {
		s.demo = func(o *demo.Options) { o.BigStudents = 600 }
		s.firstScreen = 500 * time.Millisecond
	})
	tb := newTab(t, e)
	tb.open("/", 200)
	tb.signIn("kts.teacher", demo.TeacherPassword)
	// Not tb.open: it waits for the page to fill in, which this page never does.
	if resp := run(tb, chromedp.NavigateResponse(e.url("/course/4"))); resp == nil || resp.Status != 200 {
		t.Fatalf("the course answered %v; want its roster first", resp)
	}
	if tb.count(`[data-testid="student-row"]`) == 0 || tb.count(`[data-testid="poll"]`) != 1 {
		t.Fatal("the first page has no roster or does not fill itself in: the test checks nothing")
	}
	tb.do(chromedp.WaitVisible(testID("request-error-message")))
	if got := tb.text(testID("request-error-message")); !strings.Contains(got, "Moodle") {
		t.Errorf("the stopped load says %q", got)
	}
	if tb.count(`[data-testid="poll"]`) != 0 || tb.count(`[data-testid="poll-stopped"]`) != 1 {
		t.Error("the page still says it is loading")
	}
	if tb.count(`[data-testid="student-row"]`) == 0 {
		t.Error("the roster that arrived is gone")
	}
	if href := tb.attr(`[data-testid="request-error-retry"]`, "href"); !strings.HasSuffix(href, "/course/4") {
		t.Errorf("load again links to %q; want the course page", href)
	}
	tb.audit("a page whose load stopped")
}
