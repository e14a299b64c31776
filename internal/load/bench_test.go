package load_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/cache"
	"github.com/knowthystudents/kts/internal/demo"
	"github.com/knowthystudents/kts/internal/load"
	"github.com/knowthystudents/kts/internal/moodle"
	"github.com/knowthystudents/kts/internal/perf"
)

// Benchmarks of the load plan against demo.RealisticLatency: each cold load of BIG500 takes
// about 6 s, so these are run by `make perf`, not by the tests. They report what the plan
// costs Moodle (requests and calls per load) and how close it comes to the latency model's
// own lower bound for its calls (lb-ratio).

// realistic is a loader over a demo Moodle as slow as the measured one.
type realistic struct {
	site *demo.Site
	rec  *perf.Recorder
	mc   *moodle.Client
	who  moodle.Credentials
}

func newRealistic(b *testing.B) *realistic {
	r := &realistic{rec: &perf.Recorder{}}
	r.site = demo.New(demo.Options{Now: seeded, Clock: func() time.Time { return seeded }, Latency: demo.RealisticLatency(), Observe: r.rec.Add})
	srv := httptest.NewServer(r.site.Handler())
	b.Cleanup(srv.Close)
	var err error
	if r.mc, err = moodle.New(srv.URL, moodle.Options{Timeout: time.Minute}); err != nil {
		b.Fatal(err)
	}
	r.who = moodle.Credentials{Token: r.site.Token("kts.teacher", "moodle_mobile_app"), UserID: teacherID, Site: "demo"}
	return r
}

func (r *realistic) loader(cfg load.Config, now func() time.Time) *load.Loader {
	c := cache.New(cache.Options{TTL: time.Hour, MaxBytes: 1 << 30})
	return load.New(r.mc, c, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), now)
}

// BenchmarkColdLoad500 sweeps batch size and concurrency: the figures behind the defaults
// (docs/PERFORMANCE.md, "Tuning").
func BenchmarkColdLoad500(b *testing.B) {
	for _, size := range []int{10, 25, 50} {
		for _, conc := range []int{2, 4, 8} {
			b.Run(fmt.Sprintf("batch=%d/concurrency=%d", size, conc), func(b *testing.B) {
				r := newRealistic(b)
				var lb, took time.Duration
				var requests, calls int
				for b.Loop() {
					l := r.loader(load.Config{BatchSize: size, Concurrency: conc}, nil)
					r.rec.Take()
					start := time.Now()
					if _, err := l.Course(b.Context(), r.who, demo.BIG500CourseID, load.WaitComplete); err != nil {
						b.Fatal(err)
					}
					took = time.Since(start)
					reqs := r.rec.Take()
					lb, requests, calls = perf.LowerBound(reqs, conc), len(reqs), perf.Calls(reqs)
				}
				b.ReportMetric(float64(requests), "requests/op")
				b.ReportMetric(float64(calls), "calls/op")
				b.ReportMetric(float64(lb.Milliseconds()), "lower-bound-ms")
				b.ReportMetric(float64(took)/float64(lb), "lb-ratio")
			})
		}
	}
}

// BenchmarkRefresh500 is an incremental refresh after 5 % of the students opened the course.
func BenchmarkRefresh500(b *testing.B) {
	r := newRealistic(b)
	now := seeded.Add(10 * time.Minute)
	l := r.loader(load.Config{}, func() time.Time { return now })
	v, err := l.Course(b.Context(), r.who, demo.BIG500CourseID, load.WaitComplete)
	if err != nil {
		b.Fatal(err)
	}
	cold := r.rec.Take()
	ids := students(v)
	var reqs []demo.RequestCost
	for b.Loop() {
		now = now.Add(10 * time.Minute)
		for i := 0; i < len(ids); i += 20 {
			if err := r.site.Visit(demo.BIG500CourseID, ids[i], now.Add(-time.Minute)); err != nil {
				b.Fatal(err)
			}
		}
		r.rec.Take()
		if _, err := l.Refresh(b.Context(), r.who, demo.BIG500CourseID, false, true); err != nil {
			b.Fatal(err)
		}
		reqs = r.rec.Take()
	}
	b.ReportMetric(float64(len(reqs)), "requests/op")
	b.ReportMetric(100*float64(len(reqs))/float64(len(cold)), "%requests-of-cold")
	b.ReportMetric(100*float64(perf.Calls(reqs))/float64(perf.Calls(cold)), "%calls-of-cold")
}
