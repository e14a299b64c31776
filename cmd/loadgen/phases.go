package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/knowthystudents/kts/internal/demo"
	"github.com/knowthystudents/kts/internal/moodle"
	"github.com/knowthystudents/kts/internal/perf"
)

// coldResult is a first load of a course.
type coldResult struct {
	total       time.Duration // until the page without scripts arrived, complete
	plainFirst  time.Duration // until the page without scripts first arrived (it may reload itself)
	lowerBound  time.Duration // perf.LowerBound of the calls made
	first       time.Duration // until the page with scripts arrived, roster shown
	afterRoster time.Duration // first, counted from the roster's reply
	jsComplete  time.Duration // until the last poll of the page with scripts came back
	polls       int
	requests    int // HTTP requests Moodle served
	calls       int // web-service calls, those inside batches counted one by one
	modelled    time.Duration
}

var pollRE = regexp.MustCompile(`hx-get="(/course/\d+/rows\?[^"]+)"`)

// cold loads a course for the first time, as two teachers at once: one whose browser runs
// scripts (gets the roster early, then polls) and one whose does not (gets it complete).
func (b *bench) cold(ctx context.Context, id int64) (coldResult, error) {
	var r coldResult
	js, err := newTeacher(ctx, b.srv.url, b.tr, true)
	if err != nil {
		return r, err
	}
	plain, err := newTeacher(ctx, b.srv.url, b.tr, false)
	if err != nil {
		return r, err
	}
	path := fmt.Sprintf("/course/%d", id)
	b.rec.Take()
	b.site.ResetCalls()
	start := time.Now()
	var wg sync.WaitGroup
	var plainErr error
	wg.Go(func() {
		status, body, err := plain.get(ctx, path)
		r.plainFirst = time.Since(start)
		// Without scripts a page still filling in reloads itself (every 3 s in a browser;
		// faster here, so that the time it is complete is measured, not the refresh period).
		for err == nil && status == http.StatusOK && strings.Contains(body, `http-equiv="refresh"`) {
			time.Sleep(100 * time.Millisecond)
			status, body, err = plain.get(ctx, path)
		}
		r.total = time.Since(start)
		switch {
		case err != nil:
			plainErr = err
		case status != http.StatusOK || pollRE.MatchString(body) || !strings.Contains(body, `data-testid="student-row"`):
			plainErr = fmt.Errorf("the page without scripts: status %d, complete %v", status, !pollRE.MatchString(body))
		}
	})
	status, body, err := js.get(ctx, path)
	r.first = time.Since(start)
	firstAt := time.Now()
	if err != nil {
		return r, err
	}
	if status != http.StatusOK || !strings.Contains(body, `data-testid="student-row"`) {
		return r, fmt.Errorf("the page with scripts: status %d", status)
	}
	for {
		m := pollRE.FindStringSubmatch(body)
		if m == nil {
			break
		}
		r.polls++
		href := strings.ReplaceAll(m[1], "&amp;", "&")
		if status, body, err = js.get(ctx, href, "HX-Request", "true"); err != nil || status != http.StatusOK {
			return r, fmt.Errorf("poll %d: status %d, %v", r.polls, status, err)
		}
	}
	r.jsComplete = time.Since(start)
	wg.Wait()
	if plainErr != nil {
		return r, plainErr
	}
	reqs := b.rec.Take()
	r.requests = b.site.Requests()
	r.calls = perf.Calls(reqs)
	r.modelled = time.Duration(perf.Modelled(reqs))
	r.lowerBound = perf.LowerBound(reqs, b.o.concurrency)
	var roster demo.RequestCost
	for _, q := range reqs {
		if q.Function == moodle.FuncEnrolledUsers && q.Modelled > roster.Modelled {
			roster = q
		}
	}
	r.afterRoster = firstAt.Sub(roster.Done)
	return r, nil
}

// warmResult is a run of teachers on cached pages.
type warmResult struct {
	name           string
	pages          int
	p50, p99, top  time.Duration
	perSecond      float64
	errors         int
	moodleRequests int
	cpuPerPage     time.Duration // the dashboard's CPU time per page
}

// warm has o.teachers teachers ask for paths in turn for d, each pausing think (on average)
// between two pages, and measures each answer as the teacher sees it.
func (b *bench) warm(ctx context.Context, paths []string, d, think time.Duration) (warmResult, error) {
	var r warmResult
	ts := make([]*teacher, b.o.teachers)
	for i := range ts {
		t, err := newTeacher(ctx, b.srv.url, b.tr, false)
		if err != nil {
			return r, err
		}
		ts[i] = t
	}
	b.site.ResetCalls()
	cpu0, err := perf.ProcessCPU(b.srv.pid())
	if err != nil {
		return r, err
	}
	deadline := time.Now().Add(d)
	var (
		mu   sync.Mutex
		lats []time.Duration
		wg   sync.WaitGroup
	)
	for i, t := range ts {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(i), 7))
			var mine []time.Duration
			// Teachers do not all click at the same millisecond: each starts somewhere in
			// its first pause.
			if think > 0 {
				time.Sleep(time.Duration(rng.Float64() * float64(think)))
			}
			errs := 0
			for j := i; time.Now().Before(deadline) && ctx.Err() == nil; j++ {
				t0 := time.Now()
				status, _, err := t.get(ctx, paths[j%len(paths)])
				mine = append(mine, time.Since(t0))

				if err != nil || status != http.StatusOK {
					errs++
				}
				if think > 0 {
					pause := time.Duration(float64(think) * (0.5 + rng.Float64()))
					select {
					case <-time.After(min(pause, time.Until(deadline))):
					case <-ctx.Done():
					}
				}
			}
			mu.Lock()
			lats = append(lats, mine...)
			r.errors += errs
			mu.Unlock()
		})
	}
	wg.Wait()
	if ctx.Err() != nil {
		return r, ctx.Err()
	}
	cpu1, err := perf.ProcessCPU(b.srv.pid())
	if err != nil {
		return r, err
	}
	r.pages, r.moodleRequests = len(lats), b.site.Requests()
	if len(lats) > 0 {
		r.cpuPerPage = (cpu1 - cpu0) / time.Duration(len(lats))
	}
	r.p50, r.p99, r.top = perf.Percentile(lats, 50), perf.Percentile(lats, 99), perf.Percentile(lats, 100)
	r.perSecond = float64(len(lats)) / d.Seconds()
	return r, nil
}

// refreshResult is an incremental refresh after some students moved.
type refreshResult struct {
	moved                   int
	took                    time.Duration
	requests, calls         int
	completion              int // activity completion calls
	modelled                time.Duration
	requestShare, callShare float64 // of the cold load's
	modelledShare           float64
}

// refresh has 5 % of the course's students open it (the demo's Visit: their course access
// moves and one more activity is complete), then asks for a refresh as a browser without
// scripts does, which waits for it.
func (b *bench) refresh(ctx context.Context, id int64, cold coldResult) (refreshResult, error) {
	var r refreshResult
	t, err := newTeacher(ctx, b.srv.url, b.tr, false)
	if err != nil {
		return r, err
	}
	ids, err := studentIDs(ctx, t, id)
	if err != nil {
		return r, err
	}
	at := time.Now()
	for i := 0; i < len(ids); i += 20 {
		if err := b.site.Visit(id, ids[i], at); err != nil {
			return r, err
		}
		r.moved++
	}
	b.rec.Take()
	b.site.ResetCalls()
	start := time.Now()
	path := fmt.Sprintf("/course/%d", id)
	status, _, err := t.post(ctx, path+"/refresh", url.Values{"next": {path}})
	r.took = time.Since(start)
	if err != nil || status != http.StatusSeeOther {
		return r, fmt.Errorf("refresh: status %d, %v", status, err)
	}
	reqs := b.rec.Take()
	r.requests, r.calls, r.modelled = b.site.Requests(), perf.Calls(reqs), time.Duration(perf.Modelled(reqs))
	r.completion = b.site.BatchedCalls()[moodle.FuncActivitiesCompletion]
	r.requestShare = float64(r.requests) / float64(cold.requests)
	r.callShare = float64(r.calls) / float64(cold.calls)
	r.modelledShare = float64(r.modelled) / float64(cold.modelled)
	return r, nil
}

// studentIDs reads the course's active students from the CSV export, in name order.
func studentIDs(ctx context.Context, t *teacher, id int64) ([]int64, error) {
	status, body, err := t.get(ctx, fmt.Sprintf("/course/%d/export.csv", id))
	if err != nil || status != http.StatusOK {
		return nil, fmt.Errorf("export: status %d, %v", status, err)
	}
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, rec := range recs[1:] {
		n, err := strconv.ParseInt(rec[0], 10, 64)
		if err != nil {
			return nil, err
		}
		ids = append(ids, n)
	}
	return ids, nil
}
