package moodle

import (
	"errors"
	"testing"
	"testing/synctest"
	"time"
)

// TestBreakerWaitersWaitForTheProbe: in the half-open state one call probes the site and
// every other call waits for its outcome, then goes on (site back) or is refused (still
// failing). The breaker is pure (a clock and a channel), so it runs in a synctest bubble: the
// cool-down passes on the fake clock and synctest.Wait says when the waiters are blocked,
// without sleeping.
func TestBreakerWaitersWaitForTheProbe(t *testing.T) {
	t.Parallel()
	for _, healthy := range []bool{true, false} {
		synctest.Test(t, func(t *testing.T) {
			b := newBreaker(BreakerOptions{Threshold: 3, Cooldown: 20 * time.Second})
			failure := &StatusError{Function: "f", StatusCode: 503}
			for range 3 {
				probe, err := b.allow(t.Context(), "f")
				if probe || err != nil {
					t.Fatalf("closed breaker: probe %v, err %v", probe, err)
				}
				b.done(false, failure)
			}
			if _, err := b.allow(t.Context(), "f"); !errors.Is(err, ErrUnavailable) {
				t.Fatalf("after 3 failures: err %v, want ErrUnavailable", err)
			}
			time.Sleep(20 * time.Second) // the cool-down, on the bubble's clock
			probe, err := b.allow(t.Context(), "f")
			if !probe || err != nil {
				t.Fatalf("after the cool-down: probe %v, err %v; want the probe", probe, err)
			}
			type result struct {
				probe bool
				err   error
			}
			results := make(chan result, 9)
			for range 9 {
				go func() {
					p, err := b.allow(t.Context(), "f")
					results <- result{p, err}
				}()
			}
			synctest.Wait() // every waiter is blocked on the probe's outcome
			if n := len(results); n != 0 {
				t.Fatalf("%d calls went on while the probe was in flight; want 0", n)
			}
			if healthy {
				b.done(true, nil)
			} else {
				b.done(true, failure)
			}
			for range 9 {
				r := <-results
				switch {
				case r.probe:
					t.Error("a second probe while the first one answered")
				case healthy && r.err != nil:
					t.Errorf("site back: a waiter got %v; want it let through", r.err)
				case !healthy && !errors.Is(r.err, ErrUnavailable):
					t.Errorf("still failing: a waiter got %v; want ErrUnavailable", r.err)
				}
			}
		})
	}
}
