package handlers_test

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/demo"
	"github.com/knowthystudents/kts/internal/moodle"
	"github.com/knowthystudents/kts/internal/moodle/wsfault"
)

// loadFlag turns on the full load test; without it TestLoadSmoke runs a small version of it.
var loadFlag = flag.Bool("load", false, "run TestLoad: 50 teachers against a slow, then failing, then healthy Moodle (docs/RELIABILITY.md)")

// loadPlan sizes a load run. Everything is bounded: teachers, phases, requests per teacher.
type loadPlan struct {
	teachers  int
	phase     time.Duration // each of slow, failing, back
	think     time.Duration // mean pause between one teacher's requests
	maxPerRun int           // requests per teacher per phase, at most
	slowBy    time.Duration // every Moodle request during the slow phase
	cooldown  time.Duration // the breaker's
	deadline  time.Duration // a teacher's browser gives up after this
	// fast bounds /healthz and cached pages at the 95th percentile. Not the 99th: on a shared
	// 2-CPU machine the slowest 1 % are scheduling stalls that hit /healthz as much as any page.
	// 0: reported only (TestLoadSmoke).
	fast      time.Duration
	moodleCap int // Moodle requests allowed during the failing phase
	// backShare is the share of student pages (new to each teacher in each phase, so they
	// need Moodle) that must work in the back phase once the breaker's cool-down is over.
	backShare  float64
	memorySlop uint64 // heap growth allowed after the run, bytes
}

// TestLoad is the load test of docs/RELIABILITY.md, run with
//
//	go test ./internal/handlers -run 'TestLoad$' -v -load
//
// 50 teachers (each their own Moodle account, so their own cache and loads) browse a course
// while Moodle is slow (every request 1.5 s late, under the client's 4 s timeout), then
// failing (every request a 503), then healthy again, ten seconds each, over loopback only.
// /healthz and cached pages must stay under half of Moodle's delay at the 95th percentile:
// were they waiting on Moodle, they could not.
func TestLoad(t *testing.T) {
	if !*loadFlag {
		t.Skip("the full load test runs with -load: go test ./internal/handlers -run 'TestLoad$' -v -load")
	}
	runLoad(t, loadPlan{teachers: 50, phase: 10 * time.Second, think: 100 * time.Millisecond, maxPerRun: 200,
		slowBy: 1500 * time.Millisecond, cooldown: 2 * time.Second, deadline: 15 * time.Second,
		fast: 750 * time.Millisecond, moodleCap: 60, backShare: 0.8, memorySlop: 32 << 20})
}

// TestLoadSmoke is TestLoad made small enough for every CI run (and -race): 8 teachers,
// 1.5 s phases; what it proves is the same (no 500, nothing past its deadline, Moodle spared
// while failing, served again when back, goroutines and memory back to their baseline). Its
// latencies are in the report it logs, not asserted: a timed bound on a shared CI machine
// measures the machine. TestLoad (-load) keeps the p95 bound.
func TestLoadSmoke(t *testing.T) {
	if *loadFlag || testing.Short() {
		t.Skip("TestLoad runs instead")
	}
	// Not parallel: the goroutine and memory baselines need the package's other tests paused.
	runLoad(t, loadPlan{teachers: 8, phase: 1500 * time.Millisecond, think: 30 * time.Millisecond, maxPerRun: 60,
		slowBy: 200 * time.Millisecond, cooldown: 500 * time.Millisecond, deadline: 15 * time.Second,
		fast: 0, moodleCap: 40, backShare: 0.5, memorySlop: 64 << 20})
}

// loadKind is what a teacher asks for.
type loadKind int

const (
	kindHealthz loadKind = iota // GET /healthz
	kindCached                  // a cohort page or the course list, loaded before the run
	kindStudent                 // a student's page: extras from Moodle the first time (each phase has its own students)
	kindRefresh                 // "Refresh from Moodle": always Moodle
)

var kindNames = [...]string{"healthz", "cached page", "student page", "refresh"}

// pick chooses a request: mostly cached pages, as a teacher browsing a course.
func pick(r *rand.Rand) loadKind {
	switch n := r.IntN(100); {
	case n < 20:
		return kindHealthz
	case n < 60:
		return kindCached
	case n < 90:
		return kindStudent
	default:
		return kindRefresh
	}
}

// sample is one request's outcome.
type sample struct {
	phase  int
	kind   loadKind
	status int // 0: no answer before the deadline
	took   time.Duration
	at     time.Duration // since the phase started
}

// phaseStudents are the KTS101 students each phase visits: new ones, so that their pages
// need Moodle (a student's extras are cached for two minutes).
var phaseStudents = [3][]int{{5, 6, 7, 8, 9, 10}, {11, 12, 13, 14, 15, 16}, {17, 18, 19, 20, 21, 22}}

var phaseNames = [...]string{"slow", "failing", "back"}

func runLoad(t *testing.T, plan loadPlan) {
	fe := newFaultEnv(t, func(o *faultOptions) {
		o.timeout = max(2*time.Second, 8*plan.slowBy/3)
		o.breaker = moodle.BreakerOptions{Threshold: 5, Window: 30 * time.Second, Cooldown: plan.cooldown}
	})
	tr := &http.Transport{MaxIdleConns: 200, MaxIdleConnsPerHost: 200, IdleConnTimeout: time.Minute}
	teachers := make([]*http.Client, plan.teachers)
	for i := range teachers {
		jar, _ := cookiejar.New(nil)
		teachers[i] = &http.Client{Jar: jar, Transport: tr, Timeout: plan.deadline,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		user, pw := fmt.Sprintf("load.teacher.%d", i), fmt.Sprintf("load-pw-%d", i)
		if _, err := fe.site.AddTeacher(demo.KTS101CourseID, user, pw); err != nil {
			t.Fatal(err)
		}
		if st, _ := send(teachers[i], fe.app.URL, http.MethodPost, "/signin", url.Values{"username": {user}, "password": {pw}}); st != http.StatusSeeOther {
			t.Fatalf("teacher %d sign-in: status %d", i, st)
		}
		for _, warm := range []string{"/", "/course/2"} { // what "cached page" asks for
			if st, _ := send(teachers[i], fe.app.URL, http.MethodGet, warm, nil); st != http.StatusOK {
				t.Fatalf("teacher %d warm-up %s: status %d", i, warm, st)
			}
		}
	}
	tr.CloseIdleConnections()
	fe.tr.CloseIdleConnections()
	goroutines, heap := baseline()

	var (
		mu      sync.Mutex
		samples []sample
		moodleN [3]int // Moodle requests per phase
	)
	for phase := range 3 {
		switch phase {
		case 0:
			fe.faults.Inject(wsfault.Delay(plan.slowBy))
		case 1:
			fe.faults.Clear()
			fe.faults.Inject(wsfault.Status(http.StatusServiceUnavailable))
		case 2:
			fe.faults.Clear()
		}
		before := fe.faults.Stats().Requests
		begin := time.Now()
		end := begin.Add(plan.phase)
		var wg sync.WaitGroup
		for i, c := range teachers {
			wg.Go(func() {
				r := rand.New(rand.NewPCG(uint64(i), uint64(phase)))
				time.Sleep(time.Duration(r.Int64N(int64(2 * plan.think)))) // teachers do not start in step
				for n := 0; n < plan.maxPerRun && time.Now().Before(end); n++ {
					kind := pick(r)
					method, path, form := http.MethodGet, "", url.Values(nil)
					switch kind {
					case kindHealthz:
						path = "/healthz"
					case kindCached:
						path = []string{"/", "/course/2", "/course/2?sort=access&dir=desc", "/course/2?attention=1"}[r.IntN(4)]
					case kindStudent:
						path = fmt.Sprintf("/course/2/student/%d", phaseStudents[phase][r.IntN(len(phaseStudents[phase]))])
					case kindRefresh:
						method, path, form = http.MethodPost, "/course/2/refresh", url.Values{"next": {"/course/2"}}
					}
					start := time.Now()
					st, _ := send(c, fe.app.URL, method, path, form)
					mu.Lock()
					samples = append(samples, sample{phase: phase, kind: kind, status: st, took: time.Since(start), at: start.Sub(begin)})
					mu.Unlock()
					time.Sleep(time.Duration(r.Int64N(int64(2 * plan.think))))
				}
			})
		}
		wg.Wait()
		moodleN[phase] = fe.faults.Stats().Requests - before
	}
	fe.faults.Clear()
	tr.CloseIdleConnections()
	fe.tr.CloseIdleConnections()

	report := loadReport(plan, samples, moodleN)
	t.Log("\n" + report)
	checkLoad(t, plan, samples, moodleN)
	checkBaseline(t, goroutines, heap, plan.memorySlop, func() { tr.CloseIdleConnections(); fe.tr.CloseIdleConnections() })
}

// send makes one request and reads the whole answer; status 0 means none came in time.
func send(c *http.Client, base, method, path string, form url.Values) (int, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequestWithContext(context.Background(), method, base+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", base)
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// checkLoad holds the run to what docs/RELIABILITY.md promises.
func checkLoad(t *testing.T, plan loadPlan, samples []sample, moodleN [3]int) {
	t.Helper()
	backOK, backMoodle := 0, 0
	for _, s := range samples {
		what := fmt.Sprintf("%s phase, %s", phaseNames[s.phase], kindNames[s.kind])
		switch {
		case s.status == 0:
			t.Errorf("%s: no answer within the %v deadline", what, plan.deadline)
		case s.status >= 500 && s.status != 502 && s.status != 503 && s.status != 504:
			t.Errorf("%s: status %d", what, s.status)
		case (s.kind == kindHealthz || s.kind == kindCached) && s.status != http.StatusOK:
			t.Errorf("%s: status %d; /healthz and cached pages must not depend on Moodle", what, s.status)
		}
		if s.phase == 2 && s.kind == kindStudent && s.at > plan.cooldown {
			backMoodle++
			if s.status < 400 {
				backOK++
			}
		}
	}
	for phase := range 3 {
		for _, k := range []loadKind{kindHealthz, kindCached} {
			if p95 := percentile(durations(samples, phase, k), 95); plan.fast > 0 && p95 > plan.fast {
				t.Errorf("%s phase: %s p95 %v; want at most %v", phaseNames[phase], kindNames[k], p95, plan.fast)
			}
		}
	}
	if moodleN[1] > plan.moodleCap {
		t.Errorf("Moodle got %d requests while failing; want at most %d (the breaker)", moodleN[1], plan.moodleCap)
	}
	if backMoodle == 0 || float64(backOK) < plan.backShare*float64(backMoodle) {
		t.Errorf("back phase, after the cool-down: %d of %d student pages worked; want at least %.0f %%", backOK, backMoodle, 100*plan.backShare)
	}
}

// baseline settles the runtime and returns its goroutine count and live heap.
func baseline() (int, uint64) {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return runtime.NumGoroutine(), m.HeapAlloc
}

// checkBaseline waits up to 10 s for goroutines to return to the count before the run, and
// checks the live heap did not grow by more than slop.
func checkBaseline(t *testing.T, goroutines int, heap, slop uint64, closeIdle func()) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		closeIdle()
		g, h := baseline()
		if g <= goroutines+2 || time.Now().After(deadline) {
			t.Logf("goroutines %d → %d; live heap %.1f → %.1f MB", goroutines, g, float64(heap)/1e6, float64(h)/1e6)
			if g > goroutines+2 {
				buf := make([]byte, 1<<20)
				t.Errorf("%d goroutines after the run, %d before:\n%s", g, goroutines, buf[:runtime.Stack(buf, true)])
			}
			if h > heap+slop {
				t.Errorf("live heap %.1f MB after the run, %.1f MB before", float64(h)/1e6, float64(heap)/1e6)
			}
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func durations(samples []sample, phase int, k loadKind) []time.Duration {
	var out []time.Duration
	for _, s := range samples {
		if s.phase == phase && s.kind == k {
			out = append(out, s.took)
		}
	}
	slices.Sort(out)
	return out
}

// percentile of sorted durations (0 for none).
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, len(sorted)*p/100)]
}

// loadReport is the run's figures as the Markdown table docs/RELIABILITY.md shows.
func loadReport(plan loadPlan, samples []sample, moodleN [3]int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d teachers, %v per phase; Moodle %v late, then HTTP 503, then healthy; breaker cool-down %v\n\n",
		plan.teachers, plan.phase, plan.slowBy, plan.cooldown)
	b.WriteString("| phase | request | count | statuses | p50 | p95 | p99 | max |\n|---|---|---|---|---|---|---|---|\n")
	for phase := range 3 {
		for k := range kindNames {
			d := durations(samples, phase, loadKind(k))
			if len(d) == 0 {
				continue
			}
			statuses := map[int]int{}
			for _, s := range samples {
				if s.phase == phase && s.kind == loadKind(k) {
					statuses[s.status]++
				}
			}
			var sts []string
			for _, st := range slices.Sorted(mapKeys(statuses)) {
				sts = append(sts, fmt.Sprintf("%d×%d", st, statuses[st]))
			}
			fmt.Fprintf(&b, "| %s | %s | %d | %s | %v | %v | %v | %v |\n", phaseNames[phase], kindNames[k], len(d),
				strings.Join(sts, " "), round(percentile(d, 50)), round(percentile(d, 95)), round(percentile(d, 99)), round(d[len(d)-1]))
		}
	}
	fmt.Fprintf(&b, "\nMoodle requests: slow %d, failing %d, back %d\n", moodleN[0], moodleN[1], moodleN[2])
	return b.String()
}

func mapKeys(m map[int]int) func(func(int) bool) {
	return func(yield func(int) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func round(d time.Duration) time.Duration {
	if d < time.Millisecond {
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(time.Millisecond)
}
