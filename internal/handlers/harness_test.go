package handlers_test

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/app"
	"github.com/knowthystudents/kts/internal/moodle"

	"github.com/knowthystudents/kts/internal/attention"
	"github.com/knowthystudents/kts/internal/cache"
	"github.com/knowthystudents/kts/internal/demo"
	"github.com/knowthystudents/kts/internal/moodle/wsfake"
	"github.com/knowthystudents/kts/internal/store/storetest"
	"github.com/knowthystudents/kts/views"
	"golang.org/x/net/html"
)

// seeded is the demo's "now": the moment the recorded fixtures call seededat.
var seeded = time.Unix(1795376688, 0).UTC()

// syncBuffer is a log sink tests can read while the server writes.
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

// env is a dashboard wired to a demo Moodle served over HTTP, as in production.
type env struct {
	t      testing.TB
	site   *demo.Site
	moodle *httptest.Server
	app    *httptest.Server
	logs   *syncBuffer
	cache  *cache.Cache
}

type envOptions struct {
	latency   demo.Latency
	cacheTTL  time.Duration
	maxRecips int
	pageSize  int // students per cohort page; 0 shows them all
	// bigStudents sizes the demo's course 4 (600 unless set).
	bigStudents int
	noDemo      bool // run as against a real site: no demo accounts on the sign-in page
	// sendFails makes Moodle refuse messages to these users with this reason (the per-message
	// failure item Moodle sends, e.g. for a privacy setting).
	sendFails *failList
	// demo adjusts the demo Moodle's options (e.g. time zones); location is -timezone.
	demo     func(*demo.Options)
	location *time.Location
	// pageDeadline bounds a page's wait for Moodle (Deps.PageDeadline).
	pageDeadline time.Duration
	// firstScreen is Deps.FirstScreen: 30 s unless set, so that a test's page without
	// JavaScript arrives complete however slow the machine (the race detector, a busy CI).
	firstScreen time.Duration
	// memory is the teachers' working memory (an in-memory one unless set); appNow is the
	// dashboard's clock (the demo's seeded moment unless set), to step through visits.
	memory attention.Memory
	appNow func() time.Time
}

// failList is a set of users whose messages Moodle refuses; tests change it between sends.
type failList struct {
	mu sync.Mutex
	m  map[string]string
}

func (f *failList) clear(userID string) { f.mu.Lock(); delete(f.m, userID); f.mu.Unlock() }
func (f *failList) get(userID string) (string, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.m[userID]
	return r, ok
}

// refusing answers a send to a refused user the way Moodle does: HTTP 200, one item with
// msgid -1 and an English errormessage.
func refusing(next http.Handler, f *failList) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// wsfake.ReadRequest, not r.ParseForm: it leaves the body readable, in its order, for
		// the demo behind.
		if req, err := wsfake.ReadRequest(r); err == nil && req.Value("wsfunction") == moodle.FuncSendMessages {
			p := wsfake.Flatten(req.Post)
			if reason, ok := f.get(p["messages[0][touserid]"]); ok {
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprintf(w, `[{"msgid":-1,"clientmsgid":%q,"errormessage":%q,"candeletemessagesforallusers":false}]`,
					p["messages[0][clientmsgid]"], reason)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

func newEnv(t testing.TB, opts ...func(*envOptions)) *env {
	t.Helper()
	o := envOptions{cacheTTL: time.Minute, bigStudents: 600}
	for _, f := range opts {
		f(&o)
	}
	if o.appNow == nil {
		o.appNow = func() time.Time { return seeded }
	}
	e := &env{t: t, logs: &syncBuffer{}}
	do := demo.Options{Now: seeded, Clock: func() time.Time { return seeded }, BigStudents: o.bigStudents, Latency: o.latency}
	if o.demo != nil {
		o.demo(&do)
	}
	e.site = demo.New(do)
	var mh http.Handler = e.site.Handler()
	if o.sendFails != nil {
		mh = refusing(mh, o.sendFails)
	}
	e.moodle = httptest.NewServer(mh)
	t.Cleanup(e.moodle.Close)
	var accounts []views.DemoAccount
	for _, a := range e.site.Accounts() {
		if o.noDemo {
			break
		}
		accounts = append(accounts, views.DemoAccount{Username: a.Username, Password: a.Password, Role: a.Description})
	}
	cfg := testConfig(e.moodle.URL)
	cfg.CacheTTL, cfg.PageSize, cfg.Location = o.cacheTTL, o.pageSize, o.location
	cfg.MaxRecipients = cmp.Or(o.maxRecips, cfg.MaxRecipients)
	cfg.PageDeadline, cfg.FirstScreen = o.pageDeadline, cmp.Or(o.firstScreen, 30*time.Second)
	cfg.Demo = !o.noDemo
	a := newApp(t, cfg, app.Deps{Log: e.newLog(), Now: o.appNow,
		Memory: o.memory, DemoAccounts: accounts})
	e.cache = a.Cache
	h := a.Handler
	e.app = httptest.NewServer(h)
	t.Cleanup(e.app.Close)
	return e
}

// testConfig is the server's defaults over the Moodle at moodleURL, with what every test
// changes: a 10 s Moodle timeout (the server's is 30 s).
func testConfig(moodleURL string) app.Config {
	cfg := app.DefaultConfig()
	cfg.MoodleURL, cfg.MoodleTimeout = moodleURL, 10*time.Second
	return cfg
}

// newApp assembles the dashboard as cmd/server does (app.New) for one test: over a fresh
// store unless d names one, logging nowhere unless d names a log.
func newApp(t testing.TB, cfg app.Config, d app.Deps) *app.App {
	t.Helper()
	if d.Store == nil {
		d.Store = storetest.Open(t, "", t.TempDir())
	}
	a, err := app.New(t.Context(), cfg, d)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// newLog is a debug log into e.logs.
func (e *env) newLog() *slog.Logger {
	return slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// browser is one person's cookie jar.
type browser struct {
	e *env
	c *http.Client
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{e: e, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// page is a fetched response with its parsed HTML.
type page struct {
	status int
	header http.Header
	body   string
	doc    *html.Node
}

func (b *browser) do(req *http.Request) page {
	b.e.t.Helper()
	if req.Header.Get("Origin") == "" && req.Method == http.MethodPost {
		req.Header.Set("Origin", b.e.app.URL) // what a browser sends for a same-origin form
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.e.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	p := page{status: resp.StatusCode, header: resp.Header, body: string(body)}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		p.doc, err = html.Parse(bytes.NewReader(body))
		if err != nil {
			b.e.t.Fatalf("parse %s: %v", req.URL, err)
		}
	}
	return p
}

func (b *browser) get(path string, headers ...string) page {
	b.e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.e.app.URL+path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return b.do(req)
}

func (b *browser) post(path string, form url.Values) page {
	b.e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.e.app.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// signIn signs in with a demo account's username and password and fails the test otherwise.
func (b *browser) signIn(username, password string) {
	b.e.t.Helper()
	p := b.post("/signin", url.Values{"username": {username}, "password": {password}})
	if p.status != http.StatusSeeOther {
		b.e.t.Fatalf("sign in as %s: status %d; body:\n%s", username, p.status, text(p.doc))
	}
}

func (b *browser) signInTeacher() { b.signIn("kts.teacher", demo.TeacherPassword) }

// --- HTML helpers: find elements by data-testid and attributes, read their text. ---

func attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

func findAll(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n == nil {
			return
		}
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func byTestID(n *html.Node, id string) []*html.Node {
	return findAll(n, func(n *html.Node) bool { return attr(n, "data-testid") == id })
}

func one(t *testing.T, n *html.Node, id string) *html.Node {
	t.Helper()
	all := byTestID(n, id)
	if len(all) != 1 {
		t.Fatalf("found %d elements with data-testid=%q; want 1", len(all), id)
	}
	return all[0]
}

// text is an element's visible text with white space folded.
func text(n *html.Node) string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
			b.WriteByte(' ')
		}
		if n.Type == html.ElementNode && (n.Data == "script" || n.Data == "style") {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

// rowOf finds the cohort row of a student.
func rowOf(t *testing.T, doc *html.Node, userID string) *html.Node {
	t.Helper()
	rows := findAll(doc, func(n *html.Node) bool {
		return attr(n, "data-testid") == "student-row" && attr(n, "data-userid") == userID
	})
	if len(rows) != 1 {
		t.Fatalf("found %d rows for user %s; want 1", len(rows), userID)
	}
	return rows[0]
}
