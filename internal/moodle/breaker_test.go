package moodle_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/moodle"
	"github.com/knowthystudents/kts/internal/moodle/moodletest"
)

// handClock is a clock the test moves by hand, so that cool-downs pass without sleeping.
type handClock struct {
	mu sync.Mutex
	t  time.Time
}

func newHandClock() *handClock { return &handClock{t: time.Unix(1795376688, 0)} }

func (c *handClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *handClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// countingTransport counts the round trips a client makes.
type countingTransport struct{ n atomic.Int64 }

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return http.DefaultTransport.RoundTrip(r)
}

// gate is a transport that, once held, stops the next request until released, and counts
// the requests that pass while one is held.
type gate struct {
	mu      sync.Mutex
	held    bool
	arrived chan struct{} // closed when the held request has come
	open    chan struct{} // closed by release
	passed  atomic.Int64
}

func newGate() *gate { return &gate{} }

func (g *gate) hold() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.held, g.arrived, g.open = true, make(chan struct{}), make(chan struct{})
}

func (g *gate) release() { close(g.open) }

func (g *gate) RoundTrip(r *http.Request) (*http.Response, error) {
	g.mu.Lock()
	stop, open, arrived := g.held, g.open, g.arrived
	g.held = false
	g.mu.Unlock()
	if stop {
		close(arrived)
		select {
		case <-open:
		case <-r.Context().Done():
			return nil, r.Context().Err()
		}
	} else if open != nil {
		select {
		case <-open:
		default:
			g.passed.Add(1)
		}
	}
	return http.DefaultTransport.RoundTrip(r)
}

const rosterFn = "core_enrol_get_enrolled_users"

// readRoster is a read the fake answers from the recordings when no fault is on.
func readRoster(ctx context.Context, c *moodle.Client) error {
	_, err := c.EnrolledUsers(ctx, secretToken, 2, moodle.EnrolledUsersOptions{})
	return err
}

func writeNote(ctx context.Context, c *moodle.Client) error {
	_, err := c.CreateNotes(ctx, secretToken, []moodle.NewNote{{UserID: 14, CourseID: 2, PublishState: "personal", Text: "x", Format: 2}})
	return err
}

func login(ctx context.Context, c *moodle.Client) error {
	_, err := c.Login(ctx, "kts.teacher", loginPassword, "moodle_mobile_app")
	return err
}

// fakeSite is a fake Moodle with the teacher's token and account.
func fakeSite(t *testing.T) *moodletest.Server {
	t.Helper()
	srv := moodletest.New(t, moodletest.Recorded(t))
	srv.AddToken(secretToken, moodletest.KindTeacher)
	srv.AddAccount(moodletest.Account{Username: "kts.teacher", Password: loginPassword})
	return srv
}

// TestRetryAtMostOnceForReads: a read is sent again once after a network error or an HTTP
// 5xx, never after a timeout or an answer; a write or a sign-in is never sent twice.
func TestRetryAtMostOnceForReads(t *testing.T) {
	t.Parallel()
	nopermissions := func(s *moodletest.Server) {
		s.Handle(rosterFn, func(moodletest.Call) []byte { return moodletest.Exception("nopermissions", "No.") })
	}
	inject := func(f moodletest.Fault) func(*moodletest.Server) {
		return func(s *moodletest.Server) { s.Inject(f) }
	}
	tests := []struct {
		name     string
		setup    func(*moodletest.Server)
		call     func(context.Context, *moodle.Client) error
		noRetry  bool
		requests int
		want     error // nil: the call succeeds
	}{
		{"read, connection dropped", inject(moodletest.Drop()), readRoster, false, 2, moodle.ErrUnreachable},
		{"read, HTTP 500", inject(moodletest.Status(500)), readRoster, false, 2, moodle.ErrHTTPStatus},
		{"read, HTTP 502", inject(moodletest.Status(502)), readRoster, false, 2, moodle.ErrHTTPStatus},
		{"read, HTTP 503", inject(moodletest.Status(503)), readRoster, false, 2, moodle.ErrHTTPStatus},
		{"read, HTTP 500 once", inject(moodletest.Status(500).OnCall(1)), readRoster, false, 2, nil},
		{"read, dropped once", inject(moodletest.Drop().OnCall(1)), readRoster, false, 2, nil},
		{"read, timeout", inject(moodletest.Delay(10 * time.Second)), readRoster, false, 1, moodle.ErrTimeout},
		{"read, stalled body", inject(moodletest.Stall()), readRoster, false, 1, moodle.ErrTimeout},
		{"read, HTTP 403", inject(moodletest.Status(403)), readRoster, false, 1, moodle.ErrHTTPStatus},
		{"read, HTML page", inject(moodletest.HTML()), readRoster, false, 1, moodle.ErrNotJSON},
		{"read, truncated JSON", inject(moodletest.Truncated()), readRoster, false, 1, moodle.ErrTruncated},
		{"read, Moodle exception", nopermissions, readRoster, false, 1, moodle.ErrNoPermission},
		{"read, retry off", inject(moodletest.Status(500)), readRoster, true, 1, moodle.ErrHTTPStatus},
		{"write, HTTP 500", inject(moodletest.Status(500)), writeNote, false, 1, moodle.ErrHTTPStatus},
		{"write, connection dropped", inject(moodletest.Drop()), writeNote, false, 1, moodle.ErrUnreachable},
		{"sign-in, HTTP 503", inject(moodletest.Status(503)), login, false, 1, moodle.ErrHTTPStatus},
		{"sign-in, connection dropped", inject(moodletest.Drop()), login, false, 1, moodle.ErrUnreachable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := fakeSite(t)
			tt.setup(srv)
			c := newClient(t, srv.URL, moodle.Options{Timeout: slowMoodle, RetryReads: !tt.noRetry,
				Breaker: moodle.BreakerOptions{Disabled: true}})
			err := tt.call(t.Context(), c)
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if got := srv.TotalCalls(); got != tt.requests {
				t.Errorf("Moodle got %d requests, want %d", got, tt.requests)
			}
			checkNoLeak(t, err, loginPassword)
		})
	}
}

// breakerClient is a client whose breaker opens after 3 failures, with a hand-moved clock.
func breakerClient(t *testing.T, url string, clock *handClock) *moodle.Client {
	return newClient(t, url, moodle.Options{Timeout: slowMoodle, MaxBodyBytes: 1 << 20,
		Breaker: moodle.BreakerOptions{Threshold: 3, Window: time.Minute, Cooldown: 20 * time.Second, Clock: clock.Now}})
}

// TestBreakerOpensOnSiteFailuresOnly: three failures in a row that say the site is in trouble
// stop the fourth call from reaching Moodle; answers, even unwelcome ones, do not.
func TestBreakerOpensOnSiteFailuresOnly(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fault moodletest.Fault
		opens bool
		cause error // what the refusal still says about the failure that opened it
	}{
		{"HTTP 500", moodletest.Status(500), true, moodle.ErrHTTPStatus},
		{"HTTP 503", moodletest.Status(503), true, moodle.ErrHTTPStatus},
		{"connection dropped", moodletest.Drop(), true, moodle.ErrUnreachable},
		{"timeout", moodletest.Delay(10 * time.Second), true, moodle.ErrTimeout},
		{"stalled body", moodletest.Stall(), true, moodle.ErrTimeout},
		{"HTTP 403", moodletest.Status(403), false, nil},
		{"HTML page", moodletest.HTML(), false, nil},
		{"truncated JSON", moodletest.Truncated(), false, nil},
		{"body over the limit", moodletest.LargeBody(2 << 20), false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := fakeSite(t)
			srv.Inject(tt.fault)
			sent := &countingTransport{}
			c := newClient(t, srv.URL, moodle.Options{Timeout: slowMoodle, MaxBodyBytes: 1 << 20, HTTPClient: &http.Client{Transport: sent, Timeout: slowMoodle},
				Breaker: moodle.BreakerOptions{Threshold: 3, Window: time.Minute, Cooldown: 20 * time.Second, Clock: newHandClock().Now}})
			for range 3 {
				if err := readRoster(t.Context(), c); err == nil || errors.Is(err, moodle.ErrUnavailable) {
					t.Fatalf("failure before the threshold: err = %v", err)
				}
			}
			before := sent.n.Load()
			err := readRoster(t.Context(), c)
			if !tt.opens {
				if srv.TotalCalls() != 4 || errors.Is(err, moodle.ErrUnavailable) {
					t.Fatalf("%d requests, err %v: the breaker opened on an answer", srv.TotalCalls(), err)
				}
				return
			}
			if got := srv.TotalCalls(); got != 3 {
				t.Errorf("Moodle got %d requests, want 3: the fourth must not be sent", got)
			}
			var ue *moodle.UnavailableError
			if !errors.As(err, &ue) || !errors.Is(err, moodle.ErrUnavailable) {
				t.Fatalf("err = %v, want an *UnavailableError", err)
			}
			if ue.RetryAfter != 20*time.Second || ue.Function != rosterFn {
				t.Errorf("RetryAfter %v for %q, want 20s for %s", ue.RetryAfter, ue.Function, rosterFn)
			}
			if !errors.Is(err, tt.cause) || moodle.IsTransient(err) {
				t.Errorf("err = %v: want it to wrap %v and not be transient", err, tt.cause)
			}
			if n := sent.n.Load() - before; n != 0 {
				t.Errorf("the refusal made %d round trips; an open breaker answers at once, without the network", n)
			}
			checkNoLeak(t, err)
		})
	}
}

// openBreaker makes three calls fail so that the breaker opens, then resets the counters.
func openBreaker(t *testing.T, srv *moodletest.Server, c *moodle.Client) {
	t.Helper()
	remove := srv.Inject(moodletest.Status(503))
	for range 3 {
		readRoster(t.Context(), c)
	}
	remove()
	if err := readRoster(t.Context(), c); !errors.Is(err, moodle.ErrUnavailable) {
		t.Fatalf("after 3 failures: err = %v, want ErrUnavailable", err)
	}
	srv.Reset()
}

// TestBreakerHalfOpenLetsOneProbeThrough: after the cool-down, one call probes the site while
// the others wait for its outcome: when it is good they go on (the first page after an outage
// loads), when it fails they are refused and the breaker opens again.
func TestBreakerHalfOpenLetsOneProbeThrough(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		healthy bool
	}{
		{"site back", true},
		{"still failing", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := fakeSite(t)
			clock := newHandClock()
			gate := newGate()
			c := newClient(t, srv.URL, moodle.Options{Timeout: 2 * time.Second, HTTPClient: &http.Client{Transport: gate, Timeout: 2 * time.Second},
				Breaker: moodle.BreakerOptions{Threshold: 3, Cooldown: 20 * time.Second, Clock: clock.Now}})
			openBreaker(t, srv, c)

			clock.Add(19 * time.Second)
			if err := readRoster(t.Context(), c); !errors.Is(err, moodle.ErrUnavailable) || srv.TotalCalls() != 0 {
				t.Fatalf("during the cool-down: err %v, %d requests; want refused, none sent", err, srv.TotalCalls())
			}
			clock.Add(time.Second)
			if !tt.healthy {
				srv.Inject(moodletest.Status(500))
			}
			gate.hold() // the probe waits at the gate until the callers have come
			var wg sync.WaitGroup
			errs := make([]error, 10)
			var started sync.WaitGroup
			started.Add(len(errs))
			for i := range errs {
				wg.Go(func() { started.Done(); errs[i] = readRoster(t.Context(), c) })
			}
			<-gate.arrived // the probe is in flight
			started.Wait()
			if got := srv.TotalCalls() + int(gate.passed.Load()); got != 0 {
				t.Errorf("while the probe is in flight Moodle got %d more requests from 10 callers, want the probe only", got)
			}
			gate.release()
			wg.Wait()
			failed, refused := 0, 0
			for _, err := range errs {
				switch {
				case errors.Is(err, moodle.ErrUnavailable):
					refused++
				case err != nil:
					failed++
				}
			}
			if tt.healthy {
				if failed+refused != 0 || srv.TotalCalls() != 10 {
					t.Errorf("site back: %d failed, %d refused, %d requests; want every call answered (%v)", failed, refused, srv.TotalCalls(), errs)
				}
				return
			}
			if srv.TotalCalls() != 1 || refused != 9 {
				t.Errorf("still failing: %d requests, %d refused; want the probe only, 9 refused (%v)", srv.TotalCalls(), refused, errs)
			}
			if err := readRoster(t.Context(), c); !errors.Is(err, moodle.ErrUnavailable) || srv.TotalCalls() != 1 {
				t.Errorf("after a failed probe: err %v, %d requests; want refused for another cool-down", err, srv.TotalCalls())
			}
		})
	}
}

// TestBreakerWaiterLeaves: a call waiting for the probe gives up with its context.
func TestBreakerWaiterLeaves(t *testing.T) {
	t.Parallel()
	srv := fakeSite(t)
	clock := newHandClock()
	c := breakerClient(t, srv.URL, clock)
	openBreaker(t, srv, c)
	clock.Add(20 * time.Second)
	srv.Inject(moodletest.Delay(5 * time.Second))
	go readRoster(t.Context(), c) // the probe
	for deadline := time.Now().Add(10 * time.Second); srv.TotalCalls() == 0; {
		if time.Now().After(deadline) {
			t.Fatal("the probe never reached Moodle")
		}
		time.Sleep(time.Millisecond) // polling an observable event (the probe's arrival), with a deadline
	}
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	if err := readRoster(ctx, c); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("the waiter took %v to leave", d)
	}
	if srv.TotalCalls() != 1 {
		t.Errorf("Moodle got %d requests, want the probe only", srv.TotalCalls())
	}
}

// TestBreakerCountsOnlyFailuresInARow: an answer in between, failures further apart than the
// window, or a caller that leaves, do not open the breaker.
func TestBreakerCountsOnlyFailuresInARow(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// between runs between the second and the third failure.
		between func(t *testing.T, srv *moodletest.Server, c *moodle.Client, clock *handClock)
	}{
		{"an answer in between", func(t *testing.T, srv *moodletest.Server, c *moodle.Client, _ *handClock) {
			srv.ClearFaults()
			if err := readRoster(t.Context(), c); err != nil {
				t.Fatal(err)
			}
			srv.Inject(moodletest.Status(500))
		}},
		{"failures a window apart", func(_ *testing.T, _ *moodletest.Server, _ *moodle.Client, clock *handClock) {
			clock.Add(time.Minute + time.Second)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := fakeSite(t)
			clock := newHandClock()
			c := breakerClient(t, srv.URL, clock)
			srv.Inject(moodletest.Status(500))
			readRoster(t.Context(), c)
			readRoster(t.Context(), c)
			tt.between(t, srv, c, clock)
			readRoster(t.Context(), c)
			if err := readRoster(t.Context(), c); errors.Is(err, moodle.ErrUnavailable) {
				t.Errorf("the breaker opened: %v", err)
			}
		})
	}
}

// TestBreakerCancelledProbeLetsAnotherThrough: a probe whose caller left says nothing about
// the site: the next call is sent as the new probe (not refused), and the breaker is still
// half-open (not closed), so that probe failing opens it again at once.
func TestBreakerCancelledProbeLetsAnotherThrough(t *testing.T) {
	t.Parallel()
	srv := fakeSite(t)
	clock := newHandClock()
	c := breakerClient(t, srv.URL, clock)
	openBreaker(t, srv, c)
	clock.Add(20 * time.Second)
	remove := srv.Inject(moodletest.Delay(10 * time.Second))
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(20*time.Millisecond, cancel)
	if err := readRoster(ctx, c); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled probe: err = %v, want context.Canceled", err)
	}
	remove()
	srv.Inject(moodletest.Status(500))
	if err := readRoster(t.Context(), c); !errors.Is(err, moodle.ErrHTTPStatus) {
		t.Fatalf("next call: %v; want it sent as the new probe (and fail with the 500)", err)
	}
	if err := readRoster(t.Context(), c); !errors.Is(err, moodle.ErrUnavailable) {
		t.Errorf("after the failed probe: %v; want the breaker open again", err)
	}
	if got := srv.TotalCalls(); got != 2 {
		t.Errorf("Moodle got %d requests, want 2 (the cancelled probe and the next)", got)
	}
}

// TestBreakerDisabled: with the breaker off, every call goes to Moodle.
func TestBreakerDisabled(t *testing.T) {
	t.Parallel()
	srv := fakeSite(t)
	srv.Inject(moodletest.Status(503))
	c := newClient(t, srv.URL, moodle.Options{Breaker: moodle.BreakerOptions{Disabled: true, Threshold: 1}})
	for range 10 {
		readRoster(t.Context(), c)
	}
	if got := srv.TotalCalls(); got != 10 {
		t.Errorf("Moodle got %d requests, want 10", got)
	}
}

// TestRetryThenBreaker: a read's one retry counts as a failure too, and the breaker stops the
// next read before it reaches Moodle: no retry storm.
func TestRetryThenBreaker(t *testing.T) {
	t.Parallel()
	srv := fakeSite(t)
	srv.Inject(moodletest.Status(502))
	c := newClient(t, srv.URL, moodle.Options{RetryReads: true, Breaker: moodle.BreakerOptions{Threshold: 2}})
	for range 5 {
		readRoster(t.Context(), c)
	}
	if got := srv.TotalCalls(); got != 2 {
		t.Errorf("5 reads sent %d requests, want 2 (one read and its retry)", got)
	}
}

// slowMoodle is the client timeout of these tests: well under the fake's injected delays
// (10 s) and stalls, and well over what a plain answer takes under -race on a busy machine
// (200 ms was not: a recorded roster decoded under the race detector sometimes took longer).
const slowMoodle = 2 * time.Second
