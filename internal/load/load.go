// Package load decides which Moodle calls a page needs and makes them: the bulk calls in
// parallel with trimmed fields, per-student completion in batches with bounded concurrency,
// concurrent requests for the same user and course sharing one load, and the results cached
// per user. It is the only place that knows what a page costs Moodle.
package load

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/knowthystudents/kts/internal/cache"
	"github.com/knowthystudents/kts/internal/moodle"
)

// Errors a page turns into a status and a sentence.
var (
	// ErrCourseNotFound: Moodle does not show this course to this user.
	ErrCourseNotFound = errors.New("load: course not found")
	// ErrNotTeacher: the user holds no teaching role in the course.
	ErrNotTeacher = errors.New("load: not a teacher in this course")
	// ErrStudentNotFound: the user is not a student of the course this teacher can see.
	ErrStudentNotFound = errors.New("load: student not found")
)

// Who is the signed-in user a load is made for. The token is used for the calls and never
// stored in the cache or its keys.
type Who struct {
	Token  string
	UserID int64
	Site   string
}

// Owner is the cache owner of w's data.
func (w Who) Owner() cache.Owner {
	return cache.Owner{Site: w.Site, UserID: w.UserID, TokenFP: cache.Fingerprint(w.Token)}
}

// Config tunes the load plan.
type Config struct {
	// BatchSize is how many students' completion go into one
	// tool_mobile_call_external_functions request (two inner calls each).
	BatchSize int
	// Concurrency is how many batches are in flight at once: Moodle is a shared school
	// server, so this stays small.
	Concurrency int
	// StudentTTL is how long per-student extras (notes, conversation, grade items) live.
	StudentTTL time.Duration
}

// DefaultConfig is the plan measured against the latency model (see docs/PERFORMANCE.md).
func DefaultConfig() Config {
	return Config{BatchSize: 25, Concurrency: 4, StudentTTL: 2 * time.Minute}
}

// Loader loads and caches Moodle data per user.
type Loader struct {
	mc    *moodle.Client
	cache *cache.Cache
	cfg   Config
	log   *slog.Logger
	now   func() time.Time

	mu      sync.Mutex
	flights map[string]*flight
}

// New makes a Loader.
func New(mc *moodle.Client, c *cache.Cache, cfg Config, log *slog.Logger, now func() time.Time) *Loader {
	d := DefaultConfig()
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = d.BatchSize
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = d.Concurrency
	}
	if cfg.StudentTTL <= 0 {
		cfg.StudentTTL = d.StudentTTL
	}
	if now == nil {
		now = time.Now
	}
	return &Loader{mc: mc, cache: c, cfg: cfg, log: log, now: now, flights: map[string]*flight{}}
}

// Forget drops every cached entry of w (sign-out, rejected token).
func (l *Loader) Forget(w Who) { l.cache.DropOwner(w.Owner()) }

// flight is one shared load. singleflight alone cannot do this: the load runs with its own
// context, cancelled when every request waiting for it has gone away, so a browser that leaves
// stops the Moodle calls made for it without cutting short another tab waiting for the same data.
type flight struct {
	ctx     context.Context
	cancel  context.CancelFunc
	done    chan struct{}
	val     any
	err     error
	waiters int
}

// shared runs fn once for all concurrent callers with the same key.
func shared[T any](ctx context.Context, l *Loader, key string, fn func(ctx context.Context) (T, error)) (T, error) {
	l.mu.Lock()
	f, ok := l.flights[key]
	if !ok {
		fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		f = &flight{ctx: fctx, cancel: cancel, done: make(chan struct{})}
		l.flights[key] = f
		go func() {
			f.val, f.err = fn(fctx)
			l.mu.Lock()
			if l.flights[key] == f {
				delete(l.flights, key)
			}
			l.mu.Unlock()
			cancel()
			close(f.done)
		}()
	}
	f.waiters++
	l.mu.Unlock()

	var zero T
	select {
	case <-f.done:
		if f.err != nil {
			return zero, f.err
		}
		return f.val.(T), nil
	case <-ctx.Done():
		l.mu.Lock()
		f.waiters--
		if f.waiters == 0 {
			f.cancel()
			if l.flights[key] == f {
				delete(l.flights, key)
			}
		}
		l.mu.Unlock()
		return zero, ctx.Err()
	}
}

func itoa(i int64) string { return strconv.FormatInt(i, 10) }
