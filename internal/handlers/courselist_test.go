package handlers_test

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/app"
	"github.com/knowthystudents/kts/internal/moodle"

	"github.com/knowthystudents/kts/internal/demo"
)

// wrappedEnv is the dashboard over a demo Moodle whose handler wrap may change.
func wrappedEnv(t *testing.T, wrap func(http.Handler) http.Handler) *env {
	t.Helper()
	e := &env{t: t, logs: &syncBuffer{}}
	e.site = demo.New(demo.Options{Now: seeded, Clock: func() time.Time { return seeded }})
	e.moodle = httptest.NewServer(wrap(e.site.Handler()))
	t.Cleanup(e.moodle.Close)
	cfg := testConfig(e.moodle.URL)
	cfg.CacheTTL, cfg.PageSize = 5*time.Minute, 0
	a := newApp(t, cfg, app.Deps{Log: slog.New(slog.NewTextHandler(e.logs, nil)), Now: func() time.Time { return seeded }})
	e.cache = a.Cache
	h := a.Handler
	e.app = httptest.NewServer(h)
	t.Cleanup(e.app.Close)
	return e
}

// profileFault answers the course list's batch of core_user_get_course_user_profiles with a
// failure of the given kind while set.
type profileFault struct{ kind atomic.Value }

func (f *profileFault) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		kind, _ := f.kind.Load().(string)
		raw, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(raw)) // the demo parses the request itself
		form, _ := url.ParseQuery(string(raw))
		if kind == "" || form.Get("requests[0][function]") != moodle.FuncCourseUserProfiles {
			next.ServeHTTP(w, r)
			return
		}
		n := 0
		for form.Has(fmt.Sprintf("requests[%d][function]", n)) {
			n++
		}
		var items []string
		for i := range n {
			switch {
			case kind == "null":
				items = append(items, `{"error":false,"data":"null"}`)
			case kind == "exception" && i == 0:
				items = append(items, `{"error":true,"exception":"{\"exception\":\"dml_read_exception\",\"errorcode\":\"dmlreadexception\",\"message\":\"Error reading from database\"}"}`)
			}
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"responses":[`+strings.Join(items, ",")+`]}`)
	})
}

// TestCourseListIsNotCachedEmptyAfterAPartialFailure (issue 18): when Moodle fails to say,
// for some course, whether the teacher teaches it, the list is a failed load with a page that
// says so, not "you teach nothing" cached for five minutes.
func TestCourseListIsNotCachedEmptyAfterAPartialFailure(t *testing.T) {
	t.Parallel()
	for _, kind := range []string{"exception", "null"} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			f := &profileFault{}
			e := wrappedEnv(t, f.wrap)
			b := e.browser()
			b.signInTeacher()
			f.kind.Store(kind)
			p := b.get("/")
			if p.status < 500 || len(byTestID(p.doc, "no-courses")) != 0 || len(byTestID(p.doc, "error-message")) != 1 {
				t.Fatalf("course list while Moodle fails: status %d, no-courses %d; want a 5xx error page",
					p.status, len(byTestID(p.doc, "no-courses")))
			}
			f.kind.Store("")
			p = b.get("/")
			if p.status != http.StatusOK || len(byTestID(p.doc, "course-link")) == 0 {
				t.Fatalf("course list once Moodle answers: status %d, %d courses; want the teacher's courses at once (nothing cached)",
					p.status, len(byTestID(p.doc, "course-link")))
			}
		})
	}
}
