package wsfault_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/demo"
	"github.com/knowthystudents/kts/internal/moodle"
	"github.com/knowthystudents/kts/internal/moodle/wsfault"
)

// testNow anchors the demo at the main recording's seededat.
var testNow = time.Unix(1795376688, 0).UTC()

// faultySite is the demo behind Faults, and the teacher's client for it (no retry, no
// breaker: each call is one request), whose requests time out after timeout (10 s unless
// given: only a test of a timeout should depend on how fast the machine is).
func faultySite(t *testing.T, timeout ...time.Duration) (*wsfault.Faults, *moodle.Client, string) {
	t.Helper()
	site := demo.New(demo.Options{Now: testNow})
	f := wsfault.New(site.Handler())
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	t.Cleanup(f.Close)
	mc, err := moodle.New(srv.URL, moodle.Options{Timeout: append(timeout, 10*time.Second)[0], MaxBodyBytes: 1 << 20,
		Breaker: moodle.BreakerOptions{Disabled: true}})
	if err != nil {
		t.Fatal(err)
	}
	return f, mc, site.Token("kts.teacher", demo.MobileService)
}

func TestFaultsBreakTheWayTheySay(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fault wsfault.Fault
		want  error
	}{
		{"delay past the timeout", wsfault.Delay(5 * time.Second), moodle.ErrTimeout},
		{"dropped connection", wsfault.Drop(), moodle.ErrUnreachable},
		{"HTTP 503", wsfault.Status(503), moodle.ErrHTTPStatus},
		{"HTTP 403, empty body", wsfault.Status(403), moodle.ErrHTTPStatus},
		{"HTML page", wsfault.HTML(), moodle.ErrNotJSON},
		{"truncated JSON", wsfault.Truncated(), moodle.ErrTruncated},
		{"stalled halfway", wsfault.Stall(), moodle.ErrTimeout},
		{"body over the limit", wsfault.LargeBody(2 << 20), moodle.ErrBodyTooLarge},
		{"exception", wsfault.Exception("invalidtoken", "Invalid token - token not found"), moodle.ErrInvalidToken},
		{"other function", wsfault.Status(500).OnFunction("core_course_get_contents"), nil},
		{"second call only", wsfault.Status(500).OnCall(2), nil},
		{"from the second call", wsfault.Status(500).From(2), nil},
		{"short delay", wsfault.Delay(10 * time.Millisecond), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var timeout []time.Duration
			if errors.Is(tt.want, moodle.ErrTimeout) {
				timeout = append(timeout, 300*time.Millisecond)
			}
			f, mc, tok := faultySite(t, timeout...)
			f.Inject(tt.fault)
			_, err := mc.EnrolledUsers(t.Context(), tok, demo.KTS101CourseID, moodle.EnrolledUsersOptions{})
			if tt.want == nil && err != nil || !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

// TestFaultsCount: OnCall breaks only the nth request, From every one from the nth on, and
// Clear heals the site.
func TestFaultsCount(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fault wsfault.Fault
		fails []bool // per call
	}{
		{wsfault.Status(500).OnCall(2), []bool{false, true, false, false}},
		{wsfault.Status(500).From(2), []bool{false, true, true, true}},
		{wsfault.Status(500), []bool{true, true, true, true}},
	}
	for _, tt := range tests {
		f, mc, tok := faultySite(t)
		f.Inject(tt.fault)
		for i, fails := range tt.fails {
			_, err := mc.SiteInfo(t.Context(), tok)
			if (err != nil) != fails {
				t.Errorf("%+v call %d: err %v, want failure %v", tt.fault, i+1, err, fails)
			}
		}
		f.Clear()
		if _, err := mc.SiteInfo(t.Context(), tok); err != nil {
			t.Errorf("after Clear: %v", err)
		}
		if st := f.Stats(); st.Requests != len(tt.fails)+1 || st.InFlight != 0 {
			t.Errorf("stats %+v, want %d requests, none in flight", st, len(tt.fails)+1)
		}
	}
}

// TestFaultInnerFailsCallsOfABatch: the batch succeeds; the inner calls the fault names
// carry its exception, the others their data (the client re-issues what Moodle skipped).
func TestFaultInnerFailsCallsOfABatch(t *testing.T) {
	t.Parallel()
	const fn = "core_completion_get_activities_completion_status"
	const msg = "Sorry, but you do not currently have permissions to do that."
	users := []int{5, 14, 30}
	tests := []struct {
		name  string
		fault wsfault.Fault
		fails []bool // per user
	}{
		{"one student", wsfault.Inner(fn, 14, "nopermissions", msg), []bool{false, true, false}},
		{"every student", wsfault.Inner(fn, 0, "nopermissions", msg), []bool{true, true, true}},
		{"an exception on the function", wsfault.Exception("nopermissions", msg).OnFunction(fn), []bool{true, true, true}},
		{"another function", wsfault.Inner("core_completion_get_course_completion_status", 0, "nopermissions", msg), []bool{false, false, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, mc, tok := faultySite(t)
			f.Inject(tt.fault)
			var reqs []moodle.BatchRequest
			for _, uid := range users {
				reqs = append(reqs, moodle.BatchRequest{Function: fn, Args: map[string]any{"courseid": 2, "userid": uid}})
			}
			res, err := mc.Batch(t.Context(), tok, reqs)
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range res {
				var ac moodle.ActivitiesCompletion
				err := r.Decode(fn, &ac)
				if tt.fails[i] {
					if !errors.Is(err, moodle.ErrNoPermission) {
						t.Errorf("user %d: err = %v, want ErrNoPermission", users[i], err)
					}
					continue
				}
				if err != nil || len(ac.Statuses) == 0 {
					t.Errorf("user %d: %v, %d statuses; want the student's completion", users[i], err, len(ac.Statuses))
				}
			}
		})
	}
}

// TestFaultsCountAbandonedRequests: a request the client gives up on is counted, so tests can
// prove that a browser leaving cancels the Moodle calls made for it.
func TestFaultsCountAbandonedRequests(t *testing.T) {
	t.Parallel()
	f, mc, tok := faultySite(t)
	f.Inject(wsfault.Delay(10 * time.Second))
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	errc := make(chan error, 1)
	go func() { _, err := mc.SiteInfo(ctx, tok); errc <- err }()
	waitStats(t, f, "the request to reach the site", func(st wsfault.Stats) bool { return st.InFlight == 1 })
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	waitStats(t, f, "the request to be counted abandoned", func(st wsfault.Stats) bool { return st.Abandoned == 1 })
	if st := f.Stats(); st.Abandoned != 1 || st.InFlight != 0 {
		t.Errorf("stats %+v, want 1 abandoned, none in flight", st)
	}
}

// TestFaultsCloseReleasesStalls: Close ends a stalled answer, so a server can shut down.
func TestFaultsCloseReleasesStalls(t *testing.T) {
	t.Parallel()
	site := demo.New(demo.Options{Now: testNow})
	f := wsfault.New(site.Handler())
	f.Inject(wsfault.Stall())
	srv := httptest.NewServer(f)
	defer srv.Close()
	done := make(chan struct{})
	go func() {
		defer close(done)
		resp, err := http.Post(srv.URL+"/webservice/rest/server.php", "application/x-www-form-urlencoded", nil)
		if err == nil {
			io.Copy(io.Discard, resp.Body) // blocks while the answer stalls
			resp.Body.Close()
		}
	}()
	waitStats(t, f, "the stalled request to arrive", func(st wsfault.Stats) bool { return st.InFlight == 1 })
	f.Close()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the stalled answer did not end after Close")
	}
}

// waitStats polls f's counters (an observable event) until cond holds, for up to 5 s.
func waitStats(t *testing.T, f *wsfault.Faults, what string, cond func(wsfault.Stats) bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(f.Stats()); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s: %+v", what, f.Stats())
		}
	}
}
