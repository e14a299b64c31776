package moodle_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/cache"
	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/demo"
	"github.com/knowthystudents/kts/internal/load"
	"github.com/knowthystudents/kts/internal/moodle"
)

// countingWriter counts a reply's bytes.
type countingWriter struct {
	http.ResponseWriter
	n int
}

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n += len(p)
	return c.ResponseWriter.Write(p)
}

// TestBiggestReplyOfA5000StudentCourseFitsTheDefaultLimit loads the demo's 5,000-student
// course as the dashboard does (every call, with the fields the loader asks for) and checks
// that its biggest reply fits DefaultMaxBodyBytes with room to spare: the limit is what
// bounds a runaway reply's memory, so it is sized by this measurement (docs/PERFORMANCE.md).
// KTS_REPLY_SIZES=1 logs every function's biggest reply.
func TestBiggestReplyOfA5000StudentCourseFitsTheDefaultLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a 5,000-student course")
	}
	t.Parallel()
	seeded := time.Unix(1795376688, 0).UTC()
	site := demo.New(demo.Options{Now: seeded, Clock: func() time.Time { return seeded }, BigStudents: 5000})
	var mu sync.Mutex
	biggest := map[string]int{}
	h := site.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Read the form without parsing the request: the demo parses it itself.
		raw, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(raw))
		form, _ := url.ParseQuery(string(raw))
		fn := form.Get("wsfunction")
		if fn == "tool_mobile_call_external_functions" {
			fn += "(" + form.Get("requests[0][function]") + ")"
		}
		cw := &countingWriter{ResponseWriter: w}
		h.ServeHTTP(cw, r)
		mu.Lock()
		biggest[fn] = max(biggest[fn], cw.n)
		mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	mc, err := moodle.New(srv.URL, moodle.Options{Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	c := cache.New(cache.Options{TTL: time.Hour, MaxBytes: 1 << 30})
	l := load.New(mc, c, load.Config{}, slog.New(slog.DiscardHandler), func() time.Time { return seeded.Add(10 * time.Minute) })
	who := moodle.Credentials{Token: site.Token("kts.teacher", "moodle_mobile_app"), UserID: 3, Site: "demo"}
	v, err := l.Course(t.Context(), who, demo.BigCourseID, load.WaitComplete)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(v.Cohort(seeded, cohort.DefaultConfig()).Students); n < 5000 {
		t.Fatalf("%d students loaded; want 5000", n)
	}
	var fns []string
	top := ""
	for fn, n := range biggest {
		fns = append(fns, fn)
		if n > biggest[top] {
			top = fn
		}
	}
	slices.Sort(fns)
	if os.Getenv("KTS_REPLY_SIZES") != "" {
		for _, fn := range fns {
			t.Logf("%-90s %8d kB", fn, biggest[fn]>>10)
		}
	}
	t.Logf("biggest reply: %s, %d kB; limit %d kB", top, biggest[top]>>10, moodle.DefaultMaxBodyBytes>>10)
	if int64(biggest[top])*2 > moodle.DefaultMaxBodyBytes {
		t.Errorf("the biggest reply (%s, %d kB) leaves less than 2× headroom under DefaultMaxBodyBytes (%d kB)",
			top, biggest[top]>>10, moodle.DefaultMaxBodyBytes>>10)
	}
}
