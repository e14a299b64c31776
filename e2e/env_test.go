package e2e_test

import (
	"bytes"
	"cmp"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/app"

	"github.com/knowthystudents/kts/internal/demo"
	"github.com/knowthystudents/kts/internal/store"
	"github.com/knowthystudents/kts/views"
)

// seeded is the demo's "now": the moment the recorded fixtures call seededat. The dashboard's
// clock stands still there too, so "14 days ago" and every status are the same on every run.
var seeded = time.Unix(1795376688, 0).UTC()

// env is a dashboard wired to a demo Moodle served over HTTP, as in production: two servers,
// the dashboard reaching Moodle only through its real client.
type env struct {
	site   *demo.Site
	moodle *httptest.Server
	app    *httptest.Server
	logs   *syncBuffer
	store  *store.Store
	dir    string // the store's data directory
}

// sharedEnv is the env most tests use: one demo Moodle and one dashboard, so a course loaded
// from Moodle by one test is in the dashboard's cache for the next, as for a real teacher.
// Tests that change what Moodle answers (revoking a token) take an env of their own.
var sharedEnv struct {
	once sync.Once
	e    *env
	err  error
}

// theEnv returns the shared env. A test that fails prints the end of the dashboard's log.
func theEnv(t *testing.T) *env {
	t.Helper()
	sharedEnv.once.Do(func() { sharedEnv.e, sharedEnv.err = startEnv(envSetup{}) })
	if sharedEnv.err != nil {
		t.Fatal(sharedEnv.err)
	}
	e := sharedEnv.e
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the end of the dashboard's log:\n%s", e.logs.tail(150))
		}
	})
	return e
}

// envSetup is what a test may change in an env of its own.
type envSetup struct {
	wrap        []func(http.Handler) http.Handler // handlers in front of the demo Moodle
	demo        func(*demo.Options)               // changes to the demo Moodle
	firstScreen time.Duration                     // the dashboard's first-screen wait, 30 s unless set
}

// envOption changes an env's setup.
type envOption func(*envSetup)

// inFront puts a handler in front of the demo Moodle (e.g. a Moodle course page).
func inFront(wrap func(http.Handler) http.Handler) envOption {
	return func(s *envSetup) { s.wrap = append(s.wrap, wrap) }
}

// newEnv starts a demo Moodle and a dashboard for one test alone.
func newEnv(t *testing.T, opts ...envOption) *env {
	t.Helper()
	var setup envSetup
	for _, o := range opts {
		o(&setup)
	}
	e, err := startEnv(setup)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.close)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("dashboard log:\n%s", e.logs.tail(150))
		}
	})
	return e
}

// startEnv starts a demo Moodle and, on another server, the dashboard as cmd/server builds
// it (pages of 100 students) with its clock at the demo's "now".
func startEnv(setup envSetup) (*env, error) {
	e := &env{logs: &syncBuffer{}}
	opts := demo.Options{Now: seeded, Clock: func() time.Time { return seeded }}
	if setup.demo != nil {
		setup.demo(&opts)
	}
	e.site = demo.New(opts)
	h := e.site.Handler()
	for _, w := range setup.wrap {
		h = w(h)
	}
	e.moodle = httptest.NewServer(h)

	log := slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	var err error
	if e.dir, err = os.MkdirTemp("", "kts-e2e-store-"); err != nil {
		e.moodle.Close()
		return nil, err
	}
	if e.store, err = store.Open(context.Background(), "", e.dir, log); err != nil {
		e.moodle.Close()
		return nil, err
	}
	var accounts []views.DemoAccount
	for _, a := range e.site.Accounts() {
		accounts = append(accounts, views.DemoAccount{Username: a.Username, Password: a.Password, Token: a.Token, Role: a.Description})
	}
	cfg := app.DefaultConfig() // as cmd/server builds it: pages of 100 students
	// Moodle's timeout is the shipped one: under the race detector, a batch on Moodle's measured
	// latency can take more than 10 s.
	cfg.MoodleURL, cfg.CacheTTL = e.moodle.URL, 10*time.Minute
	// A page without scripts arrives complete however slow the machine (race detector,
	// busy CI); the self-reloading first screen is tested in internal/handlers.
	cfg.FirstScreen, cfg.Demo = cmp.Or(setup.firstScreen, 30*time.Second), true
	dash, err := app.New(context.Background(), cfg, app.Deps{Log: log, Store: e.store, Now: func() time.Time { return seeded }, DemoAccounts: accounts})
	if err != nil {
		e.moodle.Close()
		e.store.Close()
		return nil, err
	}
	e.app = httptest.NewServer(dash.Handler)
	return e, nil
}

// close stops both servers.
func (e *env) close() {
	e.app.Close()
	e.moodle.Close()
	e.store.Close()
	os.RemoveAll(e.dir)
}

// url is the dashboard's address of path.
func (e *env) url(path string) string { return e.app.URL + path }

// teacherToken is the demo editing teacher's web-service token, as the sign-in page lists it.
func (e *env) teacherToken() string { return e.site.Accounts()[0].Token }

// syncBuffer is a log sink the test can read while the server writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// tail is the last n lines written.
func (s *syncBuffer) tail(n int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	lines := strings.Split(strings.TrimRight(s.b.String(), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// String is everything written so far.
func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
