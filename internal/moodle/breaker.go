package moodle

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// ErrUnavailable: the client did not call Moodle at all, because the site failed several
// times in a row just before (see BreakerOptions). Try again after the error's RetryAfter.
var ErrUnavailable = errors.New("moodle: site failing, calls paused")

// BreakerOptions tune the client's circuit breaker. A Client talks to one site, so the breaker
// is per site: when the site fails Threshold times in a row (a network error, a timeout or an
// HTTP 5xx, each after the previous within Window), every call fails at once with an
// *UnavailableError for Cooldown; then one call goes through as a probe (the calls made
// meanwhile wait for it), and its outcome closes the breaker or opens it for another Cooldown. A school's Moodle that stalls under
// exam load is then not sent the requests of every teacher who presses reload.
//
// Only answers that say the site is in trouble count. A Moodle exception, an HTTP 4xx, an
// HTML page or a reply over the size limit is the site answering: it closes the breaker. A
// call the caller cancelled counts for nothing.
type BreakerOptions struct {
	// Threshold is how many failures in a row open the breaker; zero means 5.
	Threshold int
	// Window: a failure more than Window after the previous one starts a new count; zero
	// means 30s.
	Window time.Duration
	// Cooldown is how long an open breaker fails calls before it lets a probe through; zero
	// means 15s.
	Cooldown time.Duration
	// Disabled sends every call to Moodle, however it fails.
	Disabled bool
	// Clock tells the time; nil means time.Now. Tests move it by hand.
	Clock func() time.Time
}

// UnavailableError is a call the client did not make because the breaker is open. It wraps
// the failure that opened the breaker (a *NetworkError or *StatusError, which never hold a
// token), so errors.Is(err, ErrTimeout) still says how the site failed.
type UnavailableError struct {
	Function string
	// RetryAfter is when the breaker lets a call through again (at least a second).
	RetryAfter time.Duration
	// Cause is the failure that opened the breaker.
	Cause error
}

func (e *UnavailableError) Error() string {
	return fmt.Sprintf("moodle: %s: not called: the site failed repeatedly, calls paused for %s (last failure: %v)",
		e.Function, e.RetryAfter, e.Cause)
}

// Is matches ErrUnavailable.
func (e *UnavailableError) Is(target error) bool { return target == ErrUnavailable }

// Unwrap returns the failure that opened the breaker.
func (e *UnavailableError) Unwrap() error { return e.Cause }

type breakerState int

const (
	breakerClosed breakerState = iota
	breakerOpen
	breakerHalfOpen
)

// breaker is the state behind BreakerOptions. A nil *breaker lets every call through.
type breaker struct {
	threshold int
	window    time.Duration
	cooldown  time.Duration
	now       func() time.Time

	mu          sync.Mutex
	state       breakerState
	failures    int           // in a row, while closed
	lastFailure time.Time     // of the current run
	until       time.Time     // end of the cool-down, while open
	probing     bool          // a probe is in flight, while half-open
	probeDone   chan struct{} // closed when the probe in flight has answered
	cause       error         // the failure that opened the breaker
}

// newBreaker returns the breaker o describes, or nil when it is disabled.
func newBreaker(o BreakerOptions) *breaker {
	if o.Disabled {
		return nil
	}
	b := &breaker{threshold: o.Threshold, window: o.Window, cooldown: o.Cooldown, now: o.Clock}
	if b.threshold <= 0 {
		b.threshold = 5
	}
	if b.window <= 0 {
		b.window = 30 * time.Second
	}
	if b.cooldown <= 0 {
		b.cooldown = 15 * time.Second
	}
	if b.now == nil {
		b.now = time.Now
	}
	return b
}

// allow reports whether a call of fn may go to the site. probe says the call is the one
// half-open probe; the caller must pass it back to done. While a probe is in flight, other
// calls wait for its outcome (or for ctx) instead of failing: the first page after a
// cool-down loads when the site is back.
func (b *breaker) allow(ctx context.Context, fn string) (probe bool, err error) {
	if b == nil {
		return false, nil
	}
	for {
		b.mu.Lock()
		now := b.now()
		if b.state == breakerOpen {
			if now.Before(b.until) {
				err := b.refuse(fn, b.until.Sub(now))
				b.mu.Unlock()
				return false, err
			}
			b.state = breakerHalfOpen
		}
		if b.state != breakerHalfOpen {
			b.mu.Unlock()
			return false, nil
		}
		if !b.probing {
			b.probing, b.probeDone = true, make(chan struct{})
			b.mu.Unlock()
			return true, nil
		}
		wait := b.probeDone
		b.mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
			return false, transportError(ctx, fn, ctx.Err())
		}
	}
}

func (b *breaker) refuse(fn string, wait time.Duration) error {
	return &UnavailableError{Function: fn, RetryAfter: max(wait.Round(time.Second), time.Second), Cause: b.cause}
}

// done records the outcome of a call that allow let through.
func (b *breaker) done(probe bool, err error) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if probe {
		b.probing = false
		close(b.probeDone) // the calls waiting for it look again
	}
	now := b.now()
	switch {
	case errors.Is(err, context.Canceled):
		// The caller left: the site said nothing either way. A probe's waiters send another.
	case !siteFailure(err):
		b.state, b.failures, b.cause = breakerClosed, 0, nil
	case probe:
		b.open(now, err)
	case b.state == breakerClosed:
		if now.Sub(b.lastFailure) > b.window {
			b.failures = 0
		}
		b.failures++
		b.lastFailure = now
		if b.failures >= b.threshold {
			b.open(now, err)
		}
	}
	// A failure of a call sent before the breaker opened does not extend the cool-down, nor
	// does it end a probe in flight.
}

func (b *breaker) open(now time.Time, cause error) {
	b.state, b.until, b.failures, b.cause = breakerOpen, now.Add(b.cooldown), 0, cause
}

// siteFailure reports whether err says the site is in trouble: no answer, or an HTTP 5xx.
func siteFailure(err error) bool {
	var ne *NetworkError
	var se *StatusError
	return errors.As(err, &ne) || errors.As(err, &se) && se.StatusCode >= 500
}
