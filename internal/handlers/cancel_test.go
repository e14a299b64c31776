package handlers_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/moodle/wsfault"
)

// TestBrowserLeavingCancelsMoodleCalls: a teacher who closes the tab while a page waits on a
// slow Moodle stops the Moodle requests made for that page (the context goes all the way
// down to the HTTP requests), and no new ones start after. A course load is shared by the
// pages of that course and polled by a page showing it early, so it stops once nobody has
// waited for it for load.Config.Abandon (here 150 ms); the others stop at once.
func TestBrowserLeavingCancelsMoodleCalls(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		warm string // loaded before Moodle turns slow
		path string
	}{
		{"course list", "", "/"},
		{"student page", "/course/2", "/course/2/student/14"},
		{"cold course load", "", "/course/2"},
		{"course export", "", "/course/2/export.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fe := newFaultEnv(t, func(o *faultOptions) { o.timeout, o.abandon = time.Minute, 150*time.Millisecond })
			b := fe.browser()
			b.signInTeacher()
			if tt.warm != "" {
				if p := b.get(tt.warm); p.status != http.StatusOK {
					t.Fatalf("GET %s: %d", tt.warm, p.status)
				}
			}
			fe.faults.Inject(wsfault.Delay(time.Minute))
			before := fe.faults.Stats()
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, fe.app.URL+tt.path, nil)
			done := make(chan error, 1)
			go func() {
				resp, err := b.c.Do(req)
				if err == nil {
					resp.Body.Close()
				}
				done <- err
			}()
			waitFor(t, "a Moodle request in flight", func() bool { return fe.faults.Stats().InFlight > 0 })
			cancel()
			if err := <-done; err == nil {
				t.Fatal("the page answered although Moodle is a minute late")
			}
			waitFor(t, "the Moodle requests to be cancelled", func() bool { return fe.faults.Stats().InFlight == 0 })
			after := fe.faults.Stats()
			sent, abandoned := after.Requests-before.Requests, after.Abandoned-before.Abandoned
			if sent == 0 || abandoned != sent {
				t.Errorf("%d Moodle requests made for the page, %d abandoned; want all of them abandoned", sent, abandoned)
			}
			// The course load ends Abandon after the page left. Once no load runs and no request
			// is on its way, every context the page's work could send with is cancelled (the
			// page's own, the shared loads it waited for), and a cancelled request never leaves
			// the transport: no later request can reach Moodle, so counting now is final.
			waitFor(t, "the course loads to end", func() bool { return fe.loader.CoursesInFlight() == 0 && fe.sending.Load() == 0 })
			if n := fe.faults.Stats().Requests; n != after.Requests {
				t.Errorf("%d Moodle requests started after the browser left; want none", n-after.Requests)
			}
		})
	}
}
