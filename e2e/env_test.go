package e2e_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/knowthystudents/kts/internal/cache"
	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/demo"
	"github.com/knowthystudents/kts/internal/handlers"
	"github.com/knowthystudents/kts/internal/load"
	"github.com/knowthystudents/kts/internal/moodle"
	"github.com/knowthystudents/kts/static"
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
	gate   *tokenGate
	logs   *syncBuffer
}

// newEnv starts a demo Moodle and a dashboard in front of it for one test.
func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{logs: &syncBuffer{}}
	e.site = demo.New(demo.Options{Now: seeded, Clock: func() time.Time { return seeded }})
	e.gate = &tokenGate{next: e.site.Handler(), revoked: map[string]bool{}}
	e.moodle = httptest.NewServer(e.gate)
	t.Cleanup(e.moodle.Close)

	mc, err := moodle.New(e.moodle.URL, moodle.Options{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	var accounts []views.DemoAccount
	for _, a := range e.site.Accounts() {
		accounts = append(accounts, views.DemoAccount{Username: a.Username, Password: a.Password, Token: a.Token, Role: a.Description})
	}
	clock := func() time.Time { return seeded }
	h := handlers.New(handlers.Deps{
		Log: log, Sessions: scs.New(), Moodle: mc, Assets: static.New(),
		Loader:  load.New(mc, cache.New(cache.Options{TTL: time.Minute, MaxEntries: 1000}), load.Config{}, log, clock),
		Now:     clock,
		Cohort:  cohort.DefaultConfig(),
		Service: demo.MobileService, Demo: accounts,
		PageSize: 100, // cmd/server's default
	})
	e.app = httptest.NewServer(h)
	t.Cleanup(e.app.Close)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("dashboard log:\n%s", e.logs.String())
		}
	})
	return e
}

// url is the dashboard's address of path.
func (e *env) url(path string) string { return e.app.URL + path }

// teacherToken is the demo editing teacher's web-service token, as the sign-in page lists it.
func (e *env) teacherToken() string { return e.site.Accounts()[0].Token }

// tokenGate stands in front of the demo Moodle and answers invalidtoken for revoked tokens,
// exactly as Moodle does once an administrator deletes a token or it expires.
type tokenGate struct {
	next    http.Handler
	mu      sync.Mutex
	revoked map[string]bool
}

func (g *tokenGate) revoke(token string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.revoked[token] = true
}

// restore undoes revoke, as if Moodle had issued the token again.
func (g *tokenGate) restore(token string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.revoked, token)
}

func (g *tokenGate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err == nil {
		g.mu.Lock()
		gone := g.revoked[r.Form.Get("wstoken")]
		g.mu.Unlock()
		if gone {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"exception":"moodle_exception","errorcode":"invalidtoken","message":"Invalid token - token not found"}`))
			return
		}
	}
	g.next.ServeHTTP(w, r)
}

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

func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }
