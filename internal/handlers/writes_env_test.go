package handlers_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/app"

	"github.com/knowthystudents/kts/internal/demo"
	"github.com/knowthystudents/kts/internal/moodle"
	"github.com/knowthystudents/kts/internal/moodle/wsfake"
	"github.com/knowthystudents/kts/internal/moodle/wsfault"
	"github.com/knowthystudents/kts/internal/store"
	"github.com/knowthystudents/kts/internal/store/storetest"
	"golang.org/x/net/html"
)

// tricky is a text with what broke matching before: quotes, an apostrophe, an ampersand, a
// less-than, an emoji.
const tricky = `Quote check: "Chapter 2" & don't <miss> it 🎉`

// writeEnv is the dashboard against the demo Moodle behind wsfault.Faults (and, inside it, an
// optional wrapper of the site's own handler), with its store given or fresh: for the tests
// of writes under faults, restarts and replicas.
type writeEnv struct {
	*env
	faults *wsfault.Faults
	client *moodle.Client // the first server's Moodle client
	cfg    app.Config     // of every server
}

type writeOptions struct {
	timeout time.Duration // of one Moodle request (15 s)
	store   *store.Store  // the app's store (default: a fresh SQLite one)
	// wrap wraps the demo site's handler, inside the faults: to make Moodle store a write and
	// then fail, as no wsfault.Fault does.
	wrap func(http.Handler) http.Handler
}

func newWriteEnv(t *testing.T, opts ...func(*writeOptions)) *writeEnv {
	t.Helper()
	o := writeOptions{timeout: 15 * time.Second}
	for _, f := range opts {
		f(&o)
	}
	we := &writeEnv{env: &env{t: t, logs: &syncBuffer{}}}
	e := we.env
	e.site = demo.New(demo.Options{Now: seeded, Clock: func() time.Time { return seeded }})
	var site http.Handler = e.site.Handler()
	if o.wrap != nil {
		site = o.wrap(site)
	}
	we.faults = wsfault.New(site)
	e.moodle = httptest.NewServer(we.faults)
	t.Cleanup(e.moodle.Close)
	t.Cleanup(we.faults.Close)
	we.cfg = testConfig(e.moodle.URL)
	we.cfg.MoodleTimeout, we.cfg.MoodleMaxBody, we.cfg.Breaker = o.timeout, 1<<20, moodle.BreakerOptions{Disabled: true}
	we.cfg.CacheTTL, we.cfg.PageSize = time.Minute, 0
	st := o.store
	if st == nil {
		st = storetest.Open(t, "", t.TempDir())
	}
	e.app = we.server(st)
	return we
}

// app is one dashboard server over this Moodle and st: a replica, or the same server after a
// restart (a new process knows only what the store kept).
func (we *writeEnv) server(st *store.Store) *httptest.Server {
	t := we.t
	a := newApp(t, we.cfg, app.Deps{Log: we.newLog(), Store: st, Now: func() time.Time { return seeded }})
	if we.client == nil {
		we.client = a.Moodle
	}
	h := a.Handler
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// browserOn is a signed-in teacher's browser on the dashboard server srv.
func (we *writeEnv) browserOn(srv *httptest.Server) *browser {
	e := *we.env
	e.app = srv
	b := e.browser()
	b.signInTeacher()
	return b
}

// messagesTo counts the messages Moodle holds to the student, and fails the test when one of
// them is not text as Moodle stores it.
func (we *writeEnv) messagesTo(t *testing.T, to int) int {
	t.Helper()
	n := 0
	for _, m := range we.site.SentMessages() {
		if m.To == to {
			n++
			if m.Text != `<p>Quote check: "Chapter 2" &amp; don't &lt;miss&gt; it 🎉</p>` {
				t.Errorf("Moodle holds %q", m.Text)
			}
		}
	}
	return n
}

// notesAbout counts the notes Moodle holds about the student with the tricky text.
func (we *writeEnv) notesAbout(to int) int {
	n := 0
	for _, x := range we.site.Notes() {
		if x.UserID == to && strings.Contains(x.Content, tricky) {
			n++
		}
	}
	return n
}

// outcomes maps each recipient of a message result page to its status and reason.
func outcomes(p page) map[string][2]string {
	m := map[string][2]string{}
	if p.doc == nil {
		return m
	}
	for _, o := range byTestID(p.doc, "outcome") {
		m[attr(o, "data-userid")] = [2]string{attr(o, "data-status"), text(o)}
	}
	return m
}

// noteKey is the key of the note form on a student's page.
func noteKey(t *testing.T, b *browser, student string) string {
	t.Helper()
	p := b.get("/course/2/student/" + student)
	if p.status != http.StatusOK {
		t.Fatalf("student page: %d", p.status)
	}
	for _, in := range findAll(one(t, p.doc, "note-form"), func(n *html.Node) bool { return attr(n, "name") == "key" }) {
		return attr(in, "value")
	}
	t.Fatal("the note form has no key")
	return ""
}

// storedThenFailed makes Moodle store a call of fn and then answer with body instead of its
// reply: a write that happened behind an error.
func storedThenFailed(fn string, status int, body string) func(*writeOptions) {
	return func(o *writeOptions) {
		o.wrap = func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if req, err := wsfake.ReadRequest(r); err != nil || req.Value("wsfunction") != fn {
					next.ServeHTTP(w, r)
					return
				}
				next.ServeHTTP(discard{h: http.Header{}}, r)
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(status)
				w.Write([]byte(body))
			})
		}
	}
}

type discard struct{ h http.Header }

func (d discard) Header() http.Header         { return d.h }
func (d discard) Write(p []byte) (int, error) { return len(p), nil }
func (d discard) WriteHeader(int)             {}
