package auth

import (
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Throttle slows down password guessing: each failed sign-in spends a token of the client
// address's bucket and of the username's bucket; an empty bucket refuses further attempts
// until it refills. Successful sign-ins cost nothing.
type Throttle struct {
	every time.Duration
	burst int

	mu      sync.Mutex
	buckets map[string]*bucket
	sweep   time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// NewThrottle allows burst failures, then one more per every.
func NewThrottle(burst int, every time.Duration) *Throttle {
	return &Throttle{every: every, burst: burst, buckets: map[string]*bucket{}}
}

func (t *Throttle) get(key string, now time.Time) *bucket {
	if now.Sub(t.sweep) > 10*time.Minute {
		for k, b := range t.buckets {
			if now.Sub(b.seen) > time.Duration(t.burst+1)*t.every {
				delete(t.buckets, k)
			}
		}
		t.sweep = now
	}
	b, ok := t.buckets[key]
	if !ok {
		b = &bucket{lim: rate.NewLimiter(rate.Every(t.every), t.burst)}
		t.buckets[key] = b
	}
	b.seen = now
	return b
}

func keys(ip, username string) []string {
	ks := []string{"ip:" + ip}
	if username != "" {
		ks = append(ks, "user:"+strings.ToLower(strings.TrimSpace(username)))
	}
	return ks
}

// Blocked reports whether another attempt from ip for username must wait, and how long.
func (t *Throttle) Blocked(ip, username string, now time.Time) (bool, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	var wait time.Duration
	for _, k := range keys(ip, username) {
		b := t.get(k, now)
		if b.lim.TokensAt(now) < 1 {
			r := b.lim.ReserveN(now, 1)
			wait = max(wait, r.DelayFrom(now))
			r.CancelAt(now)
		}
	}
	return wait > 0, wait
}

// Failed records a failed attempt.
func (t *Throttle) Failed(ip, username string, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, k := range keys(ip, username) {
		t.get(k, now).lim.AllowN(now, 1)
	}
}
