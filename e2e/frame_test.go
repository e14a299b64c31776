package e2e_test

import (
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/knowthystudents/kts/internal/demo"
)

// TestMoodleLinkDisplayOptions checks what docs/DEPLOY.md tells teachers to choose for the URL
// resource that links a Moodle course to its dashboard. The dashboard is reached as
// localhost and Moodle as 127.0.0.1: two sites, as a school's two hosts are. A course page on
// Moodle's site embeds the dashboard ("Embed"/"In frame") and links to it ("Open").
func TestMoodleLinkDisplayOptions(t *testing.T) {
	var dashboardURL atomic.Pointer[string] // set once the dashboard listens
	coursePage := func(next http.Handler) http.Handler {
		// The dashboard may be framed by its Moodle only (frame-ancestors): serve the course
		// page from Moodle's origin, in front of the demo.
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/course/view.php" {
				next.ServeHTTP(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<!DOCTYPE html><html lang="en"><title>KTS101</title><h1>Know Thy Students 101</h1>
<iframe id="embedded" title="Know thy students" src="%[1]s/course/2" width="900" height="400"></iframe>
<p><a id="open" href="%[1]s/course/2">Know thy students</a></p>`, *dashboardURL.Load())
		})
	}
	e := newEnv(t, inFront(coursePage))
	_, port, _ := net.SplitHostPort(e.app.Listener.Addr().String())
	dashboard := "http://localhost:" + port
	dashboardURL.Store(&dashboard)

	tb := newTab(t, e)
	tb.do(
		chromedp.Navigate(dashboard+"/signin"),
		chromedp.SendKeys("#username", "kts.teacher"),
		chromedp.SendKeys("#password", demo.TeacherPassword),
		chromedp.Submit("#password"),
		chromedp.WaitVisible(testID("courses")),
	)

	// Embedded: the frame's request is cross-site, so the SameSite=Lax session cookie stays
	// home and the frame is sent to sign in, again and again.
	mark := len(e.logs.String())
	tb.do(chromedp.Navigate(e.moodle.URL+"/course/view.php"), chromedp.WaitVisible("#embedded"))
	status := waitForRequest(t, e, mark, "path=/course/2 ")
	if status != "303" {
		t.Fatalf("the embedded dashboard answered %s; want 303 to sign in (the cookie is not sent in a frame of another site)", status)
	}

	// Open (same window) or In pop-up: a top-level navigation carries the cookie; the course shows.
	resp := tb.follow(chromedp.Click("#open"), http.StatusOK)
	if !strings.HasPrefix(resp.URL, dashboard+"/course/2") {
		t.Fatalf("the link opened %s", resp.URL)
	}
	tb.do(chromedp.WaitVisible(testID("cohort-table")))
}

// waitForRequest waits for the dashboard to log a request line containing what, after the
// first mark bytes of its log, and returns its status.
func waitForRequest(t *testing.T, e *env, mark int, what string) string {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		for _, line := range strings.Split(e.logs.String()[mark:], "\n") {
			if strings.Contains(line, "msg=request") && strings.Contains(line, what) {
				_, after, _ := strings.Cut(line, "status=")
				code, _, _ := strings.Cut(after, " ")
				return code
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("the dashboard never logged a request with %q", what)
	return ""
}
