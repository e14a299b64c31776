package handlers_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/app"
	"github.com/knowthystudents/kts/internal/load"

	"github.com/knowthystudents/kts/internal/demo"
	"github.com/knowthystudents/kts/internal/moodle"
	"github.com/knowthystudents/kts/internal/moodle/wsfault"
)

// faultEnv is the dashboard against the demo Moodle behind demo.Faults, with the Moodle client
// set up as in production (one retry for reads, the breaker, a size limit) but with a short
// timeout, and a dialer that counts connections and can be told to get them refused.
type faultEnv struct {
	*env
	faults *wsfault.Faults
	client *moodle.Client
	loader *load.Loader
	tr     *http.Transport
	dials  atomic.Int64
	refuse atomic.Bool
	// sending counts the dashboard's Moodle requests between the start of their round trip
	// and the end of their answer's headers, as the client sees them.
	sending atomic.Int64
}

// counting is a transport that keeps fe.sending.
type counting struct {
	fe   *faultEnv
	next http.RoundTripper
}

func (c counting) RoundTrip(r *http.Request) (*http.Response, error) {
	c.fe.sending.Add(1)
	defer c.fe.sending.Add(-1)
	return c.next.RoundTrip(r)
}

type faultOptions struct {
	timeout  time.Duration // of one Moodle request
	maxBody  int64
	breaker  moodle.BreakerOptions
	cacheTTL time.Duration
	latency  demo.Latency
	big      int // students of the demo's generated course 4 (0: none)
	// abandon is how long a course load goes on after its last page left (0: the default).
	abandon time.Duration
}

// defaultFaultOptions: the breaker off, so that each test sees the failure it injects (the
// breaker has tests of its own); a 2 s timeout, well above the demo's answers under -race.
func defaultFaultOptions() faultOptions {
	return faultOptions{timeout: 2 * time.Second, maxBody: 1 << 20, cacheTTL: time.Minute,
		breaker: moodle.BreakerOptions{Disabled: true}}
}

func newFaultEnv(t *testing.T, opts ...func(*faultOptions)) *faultEnv {
	t.Helper()
	o := defaultFaultOptions()
	for _, f := range opts {
		f(&o)
	}
	fe := &faultEnv{env: &env{t: t, logs: &syncBuffer{}}}
	e := fe.env
	e.site = demo.New(demo.Options{Now: seeded, Clock: func() time.Time { return seeded }, BigStudents: o.big, Latency: o.latency})
	fe.faults = wsfault.New(e.site.Handler())
	e.moodle = httptest.NewServer(fe.faults)
	t.Cleanup(e.moodle.Close)
	t.Cleanup(fe.faults.Close) // first: releases stalled answers so Close does not wait on them

	refused := closedAddr(t)
	fe.tr = http.DefaultTransport.(*http.Transport).Clone()
	var d net.Dialer
	fe.tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		fe.dials.Add(1)
		if fe.refuse.Load() {
			addr = refused
		}
		return d.DialContext(ctx, network, addr)
	}
	t.Cleanup(fe.tr.CloseIdleConnections)
	cfg := testConfig(e.moodle.URL)
	cfg.MoodleTimeout, cfg.MoodleMaxBody, cfg.Breaker, cfg.CacheTTL, cfg.Abandon = o.timeout, o.maxBody, o.breaker, o.cacheTTL, o.abandon
	cfg.FirstScreen = 30 * time.Second // a page without JavaScript arrives complete, however slow the machine
	seededNow := func() time.Time { return seeded }
	a := newApp(t, cfg, app.Deps{Log: e.newLog(), Now: seededNow,
		MoodleHTTP: &http.Client{Transport: counting{fe, fe.tr}, Timeout: o.timeout}})
	fe.client, fe.loader, e.cache = a.Moodle, a.Loader, a.Cache
	h := a.Handler
	e.app = httptest.NewServer(h)
	t.Cleanup(e.app.Close)
	return fe
}

// refuseConnections makes every new connection to Moodle refused by the kernel, as for a site
// that is down, and drops the idle ones.
func (fe *faultEnv) refuseConnections() {
	fe.refuse.Store(true)
	fe.tr.CloseIdleConnections()
}

// closedAddr is a loopback address nobody listens on: connecting to it is refused.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// teacherToken is the token the teacher's password sign-in gets.
func (fe *faultEnv) teacherToken() string { return fe.site.Token("kts.teacher", demo.MobileService) }

// checkNoSecrets fails when the teacher's token or password shows in a page or in the logs.
func (fe *faultEnv) checkNoSecrets(t *testing.T, p page) {
	t.Helper()
	for _, secret := range []string{fe.teacherToken(), demo.TeacherPassword} {
		if strings.Contains(p.body, secret) || strings.Contains(strings.Join(p.header.Values("Location"), " "), secret) {
			t.Errorf("the page shows a secret (%.6s…)", secret)
		}
		if strings.Contains(fe.logs.String(), secret) {
			t.Errorf("the logs hold a secret (%.6s…)", secret)
		}
	}
}

// errorSentence is the error page's sentence, failing the test when there is none or when the
// page shows what a teacher should never see.
func errorSentence(t *testing.T, p page) string {
	t.Helper()
	msg := byTestID(p.doc, "error-message")
	if len(msg) != 1 {
		t.Fatalf("status %d page has no error sentence: %q", p.status, text(p.doc))
	}
	for _, bad := range []string{"goroutine", ".go:", "moodle:", "wsfunction", "errorcode", "exception"} {
		if strings.Contains(p.body, bad) {
			t.Errorf("the page shows internals (%q): %q", bad, text(msg[0]))
		}
	}
	return text(msg[0])
}

// handClock is a clock the test moves by hand, for the breaker's cool-down.
type handClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *handClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *handClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
