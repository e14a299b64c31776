package load_test

import (
	"cmp"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/cache"
	"github.com/knowthystudents/kts/internal/demo"
	"github.com/knowthystudents/kts/internal/load"
	"github.com/knowthystudents/kts/internal/moodle"
)

// seeded is the demo's "now": the moment the recorded fixtures call seededat.
var seeded = time.Unix(1795376688, 0).UTC()

// teacherID is kts.teacher's Moodle user id.
const teacherID = 3

// clock is a settable clock for the loader.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// harness is a loader talking over HTTP to a demo Moodle, as in production.
type harness struct {
	t     *testing.T
	site  *demo.Site
	url   string // the demo's base URL
	l     *load.Loader
	clock *clock
	who   moodle.Credentials
	down  *atomic.Bool // when set, Moodle answers every request with 503
	// sent counts the HTTP requests the loader sent, counted on the loader's side: once its
	// loads have ended the count is final (a request on the wire is already counted).
	sent *atomic.Int64
}

// countingTransport counts the requests it carries to the server: not those whose context
// has ended, which the transport refuses before sending.
type countingTransport struct {
	next http.RoundTripper
	n    *atomic.Int64
}

func (c countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Context().Err() == nil {
		c.n.Add(1)
	}
	return c.next.RoundTrip(r)
}

// waitLoadsEnd waits (polling, up to 10 s) until no course load or refresh is running.
func (h *harness) waitLoadsEnd() {
	h.t.Helper()
	for deadline := time.Now().Add(10 * time.Second); load.CoursesInFlight(h.l) != 0; {
		if time.Now().After(deadline) {
			h.t.Fatal("timed out waiting for the course loads to end")
		}
		time.Sleep(time.Millisecond) // polling an observable event (the flight's end), with a deadline
	}
}

type harnessOptions struct {
	latency demo.Latency
	cfg     load.Config
	cacheMB int64
	// rewrite, when set, changes every reply body of the demo before the loader reads it.
	rewrite func([]byte) []byte
	// transport, when set, carries the client's requests (to change what goes on the wire).
	transport http.RoundTripper
	// big is the size of the demo's optional benchmark course (demo.BigCourseID); 0: none.
	big int
}

// newHarness builds the site, with the loader's clock ten minutes after the demo's data was
// made (as a teacher would come to the dashboard a while after the students' last work).
func newHarness(t *testing.T, opts ...func(*harnessOptions)) *harness {
	t.Helper()
	o := harnessOptions{}
	for _, f := range opts {
		f(&o)
	}
	h := &harness{t: t, clock: &clock{t: seeded.Add(10 * time.Minute)}, down: &atomic.Bool{}, sent: &atomic.Int64{}}
	h.site = demo.New(demo.Options{Now: seeded, Clock: func() time.Time { return seeded }, Latency: o.latency, BigStudents: o.big})
	site := h.site.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h.down.Load() {
			http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
			return
		}
		if o.rewrite == nil {
			site.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		site.ServeHTTP(rec, r)
		w.Header().Set("Content-Type", rec.Header().Get("Content-Type"))
		w.WriteHeader(rec.Code)
		w.Write(o.rewrite(rec.Body.Bytes()))
	}))
	t.Cleanup(srv.Close)
	h.url = srv.URL
	next := o.transport
	if next == nil {
		next = http.DefaultTransport
	}
	hc := &http.Client{Transport: countingTransport{next: next, n: h.sent}, Timeout: 10 * time.Second}
	mc, err := moodle.New(srv.URL, moodle.Options{Timeout: 10 * time.Second, HTTPClient: hc})
	if err != nil {
		t.Fatal(err)
	}
	c := cache.New(cache.Options{TTL: time.Hour, MaxBytes: cmp.Or(o.cacheMB, 1<<10) << 20}) // 1 GiB unless the test names a bound
	h.l = load.New(mc, c, o.cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), h.clock.now)
	h.who = moodle.Credentials{Token: h.site.Token("kts.teacher", "moodle_mobile_app"), UserID: teacherID, Site: "demo"}
	return h
}

// course loads a course, waiting for all of it, and fails the test on an error.
func (h *harness) course(courseID int64) load.Latest {
	h.t.Helper()
	v, err := h.l.Course(h.ctx(), h.who, courseID, load.WaitComplete)
	if err != nil {
		h.t.Fatalf("Course(%d): %v", courseID, err)
	}
	return v
}

// refresh asks for a refresh and waits for it.
func (h *harness) refresh(courseID int64, full bool) load.Latest {
	h.t.Helper()
	v, err := h.l.Refresh(h.ctx(), h.who, courseID, full, true)
	if err != nil {
		h.t.Fatalf("Refresh(%d, full %v): %v", courseID, full, err)
	}
	return v
}

func (h *harness) ctx() context.Context {
	ctx, cancel := context.WithTimeout(h.t.Context(), 30*time.Second)
	h.t.Cleanup(cancel)
	return ctx
}

// cost is what Moodle served since the last reset: HTTP requests, and web-service calls
// counting those inside batches.
type cost struct {
	requests, calls int
	completion      int // core_completion_get_activities_completion_status calls
}

func (h *harness) cost() cost {
	c := cost{requests: h.site.Requests()}
	for fn, n := range h.site.Calls() {
		if fn != moodle.FuncBatch {
			c.calls += n
		}
	}
	for fn, n := range h.site.BatchedCalls() {
		c.calls += n
		if fn == moodle.FuncActivitiesCompletion {
			c.completion += n
		}
	}
	return c
}
