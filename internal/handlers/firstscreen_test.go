package handlers_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/demo"
	"github.com/knowthystudents/kts/internal/moodle"
)

// rosterClock records when the demo Moodle last answered the roster call.
type rosterClock struct {
	mu   sync.Mutex
	last time.Time
}

func (c *rosterClock) observe(rc demo.RequestCost) {
	if rc.Function == moodle.FuncEnrolledUsers {
		c.mu.Lock()
		c.last = rc.Done
		c.mu.Unlock()
	}
}

func (c *rosterClock) at() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.last }

// TestNoScriptPageWithinASecondOfTheRoster: on Moodle's latency model, a browser without
// JavaScript gets the 600-student course's roster within a second of Moodle's roster reply,
// in a page that says how far the load is and reloads itself until everything is in.
func TestNoScriptPageWithinASecondOfTheRoster(t *testing.T) {
	t.Parallel()
	clock := &rosterClock{}
	e := newEnv(t, func(o *envOptions) {
		o.latency = demo.RealisticLatency()
		o.firstScreen = time.Second // the server's default
		o.pageSize = 100            // cmd/server's default
		o.demo = func(d *demo.Options) { d.Observe = clock.observe }
	})
	b := e.browser()
	b.signInTeacher()
	start := time.Now()
	p := b.get("/course/4")
	took := time.Since(start)
	roster := clock.at()
	if p.status != http.StatusOK || roster.IsZero() {
		t.Fatalf("status %d, roster answered at %v", p.status, roster)
	}
	after := time.Since(roster) - (time.Since(start) - took)
	t.Logf("first page after %v, %v after the roster reply", took.Round(time.Millisecond), after.Round(time.Millisecond))
	bound := 1500 * time.Millisecond // a second, and slack for a loaded CI machine
	if raceEnabled {
		bound = 10 * time.Second
	}
	if after > bound {
		t.Errorf("the page came %v after the roster reply; want within a second", after)
	}
	if len(byTestID(p.doc, "student-row")) == 0 {
		t.Fatal("the first page shows no student")
	}
	if !strings.Contains(p.body, `<noscript><meta http-equiv="refresh" content="3"></noscript>`) ||
		!strings.Contains(text(one(t, p.doc, "load-state")), "reloads itself every 3 seconds") {
		t.Fatalf("a page still loading without JavaScript neither reloads itself nor says so:\n%s", text(one(t, p.doc, "data-age")))
	}
	deadline := time.Now().Add(60 * time.Second)
	for strings.Contains(p.body, `http-equiv="refresh"`) {
		if time.Now().After(deadline) {
			t.Fatal("the page still reloads itself after 60 s")
		}
		time.Sleep(200 * time.Millisecond) // what the browser's refresh does, faster
		p = b.get("/course/4")
	}
	t.Logf("complete after %v", time.Since(start).Round(time.Millisecond))
	if len(byTestID(p.doc, "load-state")) != 0 || len(byTestID(p.doc, "flags")) == 0 {
		t.Errorf("the complete page still says it is loading, or has no flags")
	}
}

// TestLongWaitEndsInAPage: a download that would wait past the page deadline ends in a page
// saying the load goes on, and the load does go on.
func TestLongWaitEndsInAPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(o *envOptions) {
		o.latency = demo.RealisticLatency()
		o.pageDeadline = 300 * time.Millisecond
	})
	b := e.browser()
	b.signInTeacher()
	p := b.get("/course/4/export.csv")
	if p.status != http.StatusGatewayTimeout || !strings.Contains(text(p.doc), "Moodle is still sending this course") {
		t.Fatalf("export.csv past the deadline: %d\n%s", p.status, text(p.doc))
	}
	deadline := time.Now().Add(60 * time.Second)
	for p.status != http.StatusOK {
		if time.Now().After(deadline) {
			t.Fatalf("the load did not go on: still %d after 60 s", p.status)
		}
		time.Sleep(250 * time.Millisecond)
		p = b.get("/course/4/export.csv")
	}
	if !strings.HasPrefix(p.body, "userid,") {
		t.Errorf("the CSV after the load: %q", p.body[:20])
	}
}
