package load_test

import (
	"errors"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/demo"
	"github.com/knowthystudents/kts/internal/load"
	"github.com/knowthystudents/kts/internal/moodle"
)

// students lists a snapshot's student ids in roster order.
func students(v load.Latest) []int64 {
	var ids []int64
	for _, u := range v.Input.Roster {
		if moodle.HasRole(u.Roles, "student") {
			ids = append(ids, u.ID)
		}
	}
	return ids
}

// TestColdLoadCost pins what a first load costs Moodle. For 500 students: the roster, the
// active enrolments, submissions, one batch for the course's structure, one for grades and
// extensions, the grade report of the other graded activities (both courses have a quiz or a
// forum), and 20 completion batches of 25 students: 26 requests (the target is at most 30),
// against 1,000 requests for the same data one call at a time.
func TestColdLoadCost(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                string
		course              int64
		students, requests  int
		courseCompletionMax int
	}{
		{"KTS101, 30 students", demo.KTS101CourseID, 30, 8, 30},
		{"BIG500, 500 students", demo.BIG500CourseID, 500, 26, 500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			v := h.course(tt.course)
			c := h.cost()
			if got := len(students(v)); got != tt.students {
				t.Fatalf("%d students in the roster; want %d", got, tt.students)
			}
			if c.requests != tt.requests || c.requests > 30 {
				t.Errorf("cold load made %d requests (%v); want %d", c.requests, h.site.Calls(), tt.requests)
			}
			if c.completion != tt.students {
				t.Errorf("%d activity completion calls; want one per student (%d)", c.completion, tt.students)
			}
			if n := h.site.BatchedCalls()[moodle.FuncCourseCompletion]; n == 0 || n > tt.courseCompletionMax {
				t.Errorf("%d course completion calls; want one per active student", n)
			}
			if !v.Complete || len(v.Input.Completion) != tt.students || len(v.Input.Missing) != 0 {
				t.Errorf("snapshot complete %v, completion for %d students, missing %v", v.Complete, len(v.Input.Completion), v.Input.Missing)
			}
			// Warm: no request at all.
			h.site.ResetCalls()
			h.course(tt.course)
			if n := h.site.Requests(); n != 0 {
				t.Errorf("warm load made %d requests", n)
			}
		})
	}
}

// TestIncrementalRefresh proves the saving of a refresh, one step after the other on the
// same 500-student course: the roster and one batch, and completion only for the students
// who moved; at the end, what the refreshes made equals a full load.
func TestIncrementalRefresh(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	prev := h.course(demo.BIG500CourseID)
	cold := h.cost()
	ids := students(prev)
	steps := []struct {
		name  string
		moved []int64 // 5 % of the students each
		touch func(s *demo.Site, course, user int64, at time.Time) error
	}{
		{"nothing changed", nil, nil},
		{"5% opened the course", ids[:25], func(s *demo.Site, c, u int64, at time.Time) error { return s.Visit(c, u, at) }},
		{"5% submitted", ids[100:125], func(s *demo.Site, c, u int64, at time.Time) error { return s.Submit(c, u, 4, at) }},
	}
	for _, st := range steps {
		at := h.clock.now().Add(time.Minute)
		for _, id := range st.moved {
			if err := st.touch(h.site, demo.BIG500CourseID, id, at); err != nil {
				t.Fatal(err)
			}
		}
		h.clock.add(5 * time.Minute)
		h.site.ResetCalls()
		after := h.refresh(demo.BIG500CourseID, false)
		c := h.cost()
		wantRequests := 2 + (len(st.moved)+24)/25
		if c.requests != wantRequests {
			t.Errorf("%s: refresh made %d requests (%v, batched %v); want %d", st.name, c.requests, h.site.Calls(), h.site.BatchedCalls(), wantRequests)
		}
		if c.completion != len(st.moved) {
			t.Errorf("%s: refresh read completion for %d students; want the %d who moved", st.name, c.completion, len(st.moved))
		}
		if c.requests*100 > 15*cold.requests || c.calls*100 > 15*cold.calls {
			t.Errorf("%s: refresh cost %d requests and %d calls against %d and %d cold: more than 15 %%", st.name, c.requests, c.calls, cold.requests, cold.calls)
		}
		if after.Version <= prev.Version || !after.LoadedAt.After(prev.LoadedAt) || !after.FullAt.Equal(prev.FullAt) {
			t.Errorf("%s: version %d after %d, loaded %v after %v, full load %v (want %v kept)", st.name,
				after.Version, prev.Version, after.LoadedAt, prev.LoadedAt, after.FullAt, prev.FullAt)
		}
		for _, id := range st.moved {
			if u, _ := userOf(after, id); !u.LastCourseAccess.Time().Equal(at) {
				t.Errorf("%s: student %d's access %v after the refresh; want %v", st.name, id, u.LastCourseAccess.Time(), at)
			}
		}
		prev = after
	}
	assertSameCompletion(t, prev, h.refresh(demo.BIG500CourseID, true))
}

func userOf(v load.Latest, id int64) (moodle.EnrolledUser, bool) {
	for _, u := range v.Input.Roster {
		if u.ID == id {
			return u, true
		}
	}
	return moodle.EnrolledUser{}, false
}

// assertSameCompletion compares what a teacher reads of completion and submissions.
func assertSameCompletion(t *testing.T, got, want load.Latest) {
	t.Helper()
	if len(got.Input.Completion) != len(want.Input.Completion) {
		t.Fatalf("completion for %d students; a full load has %d", len(got.Input.Completion), len(want.Input.Completion))
	}
	for id, w := range want.Input.Completion {
		g := got.Input.Completion[id]
		if g == nil || completed(g) != completed(w) {
			t.Errorf("student %d: %d activities complete after the refresh; a full load says %d", id, completed(g), completed(w))
		}
	}
	subs := func(v load.Latest) map[[2]int64]string {
		m := map[[2]int64]string{}
		for _, a := range v.Input.Submissions.Assignments {
			for _, s := range a.Submissions {
				m[[2]int64{a.AssignmentID, s.UserID}] = s.Status
			}
		}
		return m
	}
	g, w := subs(got), subs(want)
	if len(g) != len(w) {
		t.Errorf("%d submissions after the refresh; a full load has %d", len(g), len(w))
	}
	for k, st := range w {
		if g[k] != st {
			t.Errorf("submission %v: %q after the refresh; a full load says %q", k, g[k], st)
		}
	}
}

func completed(c *moodle.ActivitiesCompletion) int {
	if c == nil {
		return -1
	}
	n := 0
	for _, s := range c.Statuses {
		if s.State == moodle.StateComplete || s.State == moodle.StateCompletePass {
			n++
		}
	}
	return n
}

// TestStaleIsShownWhileARefreshRuns: past RefreshAfter, a page gets the older snapshot at
// once, marked Loading, and the refresh lands behind it; past FullRefreshAfter the refresh
// reads everything.
func TestStaleIsShownWhileARefreshRuns(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		after    time.Duration
		wantFull bool
	}{
		{"incremental after RefreshAfter", 6 * time.Minute, false},
		{"full after FullRefreshAfter", 61 * time.Minute, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, func(o *harnessOptions) {
				o.cfg = load.Config{RefreshAfter: 5 * time.Minute, FullRefreshAfter: time.Hour}
			})
			first := h.course(demo.KTS101CourseID)
			cold := h.cost()
			h.clock.add(tt.after)
			h.site.ResetCalls()
			stale := h.course(demo.KTS101CourseID)
			if stale.Version != first.Version || !stale.Loading {
				t.Fatalf("got version %d (loading %v); want the older %d at once, loading", stale.Version, stale.Loading, first.Version)
			}
			fresh, err := h.l.CourseAfter(h.ctx(), h.who, demo.KTS101CourseID, stale.Version, 10*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			if fresh.Loading || fresh.Version <= first.Version || !fresh.LoadedAt.Equal(h.clock.now()) {
				t.Fatalf("after the refresh: version %d loading %v loaded %v", fresh.Version, fresh.Loading, fresh.LoadedAt)
			}
			c := h.cost()
			if full := c.requests == cold.requests; full != tt.wantFull {
				t.Errorf("refresh made %d requests (cold %d): full %v, want %v", c.requests, cold.requests, full, tt.wantFull)
			}
			if got := fresh.FullAt.Equal(fresh.LoadedAt); got != tt.wantFull {
				t.Errorf("FullAt %v, LoadedAt %v: full %v, want %v", fresh.FullAt, fresh.LoadedAt, got, tt.wantFull)
			}
		})
	}
}

// TestProgressiveLoad: a page that asks early gets the roster with completion to come, and
// each poll a newer snapshot with less to come, until the complete one.
func TestProgressiveLoad(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(o *harnessOptions) {
		o.latency = demo.Latency{Functions: map[string]demo.Cost{moodle.FuncActivitiesCompletion: {Base: 20 * time.Millisecond}}}
		o.cfg = load.Config{BatchSize: 5, Concurrency: 1}
	})
	v, err := h.l.Course(h.ctx(), h.who, demo.KTS101CourseID, load.WaitEarly)
	if err != nil {
		t.Fatal(err)
	}
	if v.Complete || !v.Loading || len(v.Input.Roster) == 0 || v.CompletionPending == 0 {
		t.Fatalf("early view: complete %v, loading %v, %d in roster, %d pending; want the roster with completion to come",
			v.Complete, v.Loading, len(v.Input.Roster), v.CompletionPending)
	}
	polls := 0
	for v.Loading {
		next, err := h.l.CourseAfter(h.ctx(), h.who, demo.KTS101CourseID, v.Version, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if next.Version <= v.Version || next.Loading && next.CompletionPending > v.CompletionPending {
			t.Fatalf("poll %d: version %d (pending %d) after %d (pending %d)", polls, next.Version, next.CompletionPending, v.Version, v.CompletionPending)
		}
		v = next
		polls++
	}
	if !v.Complete || v.CompletionPending != 0 || len(v.Input.Completion) != 30 || polls < 2 {
		t.Fatalf("after %d polls: complete %v, pending %d, completion for %d", polls, v.Complete, v.CompletionPending, len(v.Input.Completion))
	}
}

// TestAbandonedLoadStops: a first load nobody waits for or polls any more stops asking
// Moodle.
func TestAbandonedLoadStops(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(o *harnessOptions) {
		o.latency = demo.Latency{Functions: map[string]demo.Cost{moodle.FuncActivitiesCompletion: {Base: 50 * time.Millisecond}}}
		o.cfg = load.Config{BatchSize: 1, Concurrency: 1, Abandon: 50 * time.Millisecond}
	})
	if _, err := h.l.Course(h.ctx(), h.who, demo.KTS101CourseID, load.WaitEarly); err != nil {
		t.Fatal(err)
	}
	h.waitLoadsEnd() // the abandon timer fires, the batch in flight is cut, the load ends
	n := h.sent.Load()
	if m := h.sent.Load(); m != n {
		t.Fatalf("the abandoned load went on: %d requests, then %d", n, m)
	}
	if n >= 5+30 {
		t.Fatalf("the load ran to its end (%d requests) instead of stopping", n)
	}
}

// TestFailedRefreshKeepsData: when Moodle is down, the older data stays, marked, and the
// next refresh waits a while.
func TestFailedRefreshKeepsData(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(o *harnessOptions) { o.cfg = load.Config{RefreshAfter: 30 * time.Second} })
	first := h.course(demo.KTS101CourseID)
	h.down.Store(true)
	h.clock.add(time.Minute)
	v, err := h.l.Refresh(h.ctx(), h.who, demo.KTS101CourseID, false, true)
	if err != nil {
		t.Fatalf("a failed refresh with data to show: %v", err)
	}
	if v.RefreshFailed.IsZero() || v.LoadedAt != first.LoadedAt || len(v.Input.Completion) != 30 {
		t.Fatalf("after a failed refresh: failed at %v, loaded %v (first %v), %d students", v.RefreshFailed, v.LoadedAt, first.LoadedAt, len(v.Input.Completion))
	}
	h.down.Store(false)
	h.site.ResetCalls()
	h.clock.add(10 * time.Second) // stale, but the retry waits a minute at most
	if v := h.course(demo.KTS101CourseID); v.Loading || h.site.Requests() != 0 {
		t.Fatalf("a refresh started %v after the failure (loading %v, %d requests)", 10*time.Second, v.Loading, h.site.Requests())
	}
	h.clock.add(time.Minute)
	stale := h.course(demo.KTS101CourseID)
	fresh, err := h.l.CourseAfter(h.ctx(), h.who, demo.KTS101CourseID, stale.Version, 10*time.Second)
	if err != nil || !fresh.RefreshFailed.IsZero() || !fresh.LoadedAt.Equal(h.clock.now()) {
		t.Fatalf("the retry: %v, failed %v, loaded %v", err, fresh.RefreshFailed, fresh.LoadedAt)
	}
	// Without data to show, the error is the page's.
	h2 := newHarness(t)
	h2.down.Store(true)
	if _, err := h2.l.Course(h2.ctx(), h2.who, demo.KTS101CourseID, load.WaitComplete); !errors.Is(err, moodle.ErrHTTPStatus) {
		t.Fatalf("first load with Moodle down: %v; want ErrHTTPStatus", err)
	}
}

// TestConcurrentPagesShareOneLoad: pages of the same course asked for at once, early or
// complete, make one load between them.
func TestConcurrentPagesShareOneLoad(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(o *harnessOptions) {
		o.latency = demo.Latency{Request: 5 * time.Millisecond}
	})
	errs := make(chan error, 10)
	for i := range 10 {
		wait := load.WaitComplete
		if i%2 == 0 {
			wait = load.WaitEarly
		}
		go func() {
			_, err := h.l.Course(h.ctx(), h.who, demo.KTS101CourseID, wait)
			errs <- err
		}()
	}
	for range 10 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	h.course(demo.KTS101CourseID) // the load ends
	if n := h.site.Requests(); n != 8 {
		t.Fatalf("10 pages at once made %d Moodle requests (%v); want one load's 8", n, h.site.Calls())
	}
}

// TestForgetStopsLoads: signing out stops the user's course loads in flight, and nothing
// they read stays cached.
func TestForgetStopsLoads(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(o *harnessOptions) {
		o.latency = demo.Latency{Functions: map[string]demo.Cost{moodle.FuncActivitiesCompletion: {Base: 20 * time.Millisecond}}}
		o.cfg = load.Config{BatchSize: 1, Concurrency: 1}
	})
	if _, err := h.l.Course(h.ctx(), h.who, demo.KTS101CourseID, load.WaitEarly); err != nil {
		t.Fatal(err)
	}
	h.l.Forget(h.who)
	h.waitLoadsEnd()
	n := h.sent.Load()
	if n >= 5+30 {
		t.Fatalf("the load ran to its end (%d requests) instead of stopping", n)
	}
	if m := h.sent.Load(); m != n {
		t.Fatalf("the load went on after sign-out: %d requests, then %d", n, m)
	}
	h.site.ResetCalls()
	if v := h.course(demo.KTS101CourseID); h.site.Requests() == 0 || v.Version == 0 {
		t.Fatalf("after sign-out the course came from the cache (%d requests)", h.site.Requests())
	}
}
