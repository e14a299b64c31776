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
	"sync/atomic"
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

// owner is the cache owner of the data loaded with c: the site, the Moodle user and a
// fingerprint of the token (the token itself is never in the cache or its keys).
func owner(c moodle.Credentials) cache.Owner {
	return cache.Owner{Site: c.Site, UserID: c.UserID, TokenFP: cache.Fingerprint(c.Token)}
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
	// RefreshAfter is how long a course snapshot is shown without asking Moodle again. An
	// older one is still shown at once, while an incremental refresh runs behind it.
	RefreshAfter time.Duration
	// FullRefreshAfter is how long incremental refreshes go on before the next refresh
	// re-reads everything (what an incremental refresh cannot see: a teacher's completion
	// override, a deleted submission). A course nobody looked at for this long is dropped.
	FullRefreshAfter time.Duration
	// SinceMargin widens an incremental refresh's window back from the previous load: clock
	// skew between Moodle and the dashboard, and Moodle's one-minute granularity of course
	// access times.
	SinceMargin time.Duration
	// LoadTimeout bounds one course load or refresh, which runs on its own, detached from
	// the request that started it.
	LoadTimeout time.Duration
	// Abandon is how long a course load goes on with nobody waiting for it or polling it
	// before it is cancelled (background refreshes excepted).
	Abandon time.Duration
}

// DefaultConfig is the plan measured against the latency model (see docs/PERFORMANCE.md).
func DefaultConfig() Config {
	return Config{BatchSize: 25, Concurrency: 4, StudentTTL: 2 * time.Minute,
		RefreshAfter: 5 * time.Minute, FullRefreshAfter: time.Hour, SinceMargin: 2 * time.Minute,
		LoadTimeout: 10 * time.Minute, Abandon: 20 * time.Second}
}

// withDefaults fills every zero or negative setting from DefaultConfig.
func (c Config) withDefaults() Config {
	d := DefaultConfig()
	pick := func(v *time.Duration, def time.Duration) {
		if *v <= 0 {
			*v = def
		}
	}
	if c.BatchSize <= 0 {
		c.BatchSize = d.BatchSize
	}
	if c.Concurrency <= 0 {
		c.Concurrency = d.Concurrency
	}
	pick(&c.StudentTTL, d.StudentTTL)
	pick(&c.RefreshAfter, d.RefreshAfter)
	pick(&c.FullRefreshAfter, d.FullRefreshAfter)
	pick(&c.SinceMargin, d.SinceMargin)
	pick(&c.LoadTimeout, d.LoadTimeout)
	pick(&c.Abandon, d.Abandon)
	c.FullRefreshAfter = max(c.FullRefreshAfter, c.RefreshAfter)
	return c
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
	courses map[string]*courseFlight // course loads and refreshes in flight
	version atomic.Uint64            // the last Snapshot.Version handed out
}

// New makes a Loader. Zero settings in cfg take their defaults.
func New(mc *moodle.Client, c *cache.Cache, cfg Config, log *slog.Logger, now func() time.Time) *Loader {
	if now == nil {
		now = time.Now
	}
	return &Loader{mc: mc, cache: c, cfg: cfg.withDefaults(), log: log, now: now,
		flights: map[string]*flight{}, courses: map[string]*courseFlight{}}
}

// Forget drops every cached entry of w (sign-out, rejected token) and stops w's course loads
// in flight, which then cache nothing.
func (l *Loader) Forget(w moodle.Credentials) {
	o := owner(w)
	l.mu.Lock()
	for _, f := range l.courses {
		if f.owner == o {
			f.forgotten = true
			f.cancel()
		}
	}
	l.mu.Unlock()
	l.cache.DropOwner(o)
}

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
