package load

import (
	"context"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/knowthystudents/kts/internal/cache"
	"github.com/knowthystudents/kts/internal/intake"
	"github.com/knowthystudents/kts/internal/moodle"
)

// loadKind is what a course load reads.
type loadKind int

const (
	// coldLoad: nothing is known yet; pages show the roster as soon as it lands.
	coldLoad loadKind = iota
	// refreshLoad: the roster, what changed since the last load, and the completion of the
	// students whose access, submissions or grades moved.
	refreshLoad
	// fullLoad: everything again, behind the snapshot already shown.
	fullLoad
)

func (k loadKind) String() string {
	return [...]string{"cold", "refresh", "full"}[k]
}

// courseFlight is one course load or refresh in flight. It runs detached from the request
// that started it, so that a page can answer with the roster and let the rest land behind it;
// it is cancelled when nobody has waited for it or polled it for Config.Abandon (a background
// refresh, which nobody waits for, is never abandoned).
type courseFlight struct {
	kind       loadKind
	prev       *Snapshot // the snapshot shown while a refresh runs; nil for a cold load
	started    time.Time
	background bool
	cancel     context.CancelFunc
	done       chan struct{} // closed when final and err are set
	ready      chan struct{} // closed when rows can be shown (or at the end)
	readyOnce  sync.Once
	final      *Snapshot // the snapshot made, or after a failed refresh prev marked failed
	err        error

	owner cache.Owner

	// Guarded by the Loader's mu.
	forgotten bool // the user signed out: cache nothing
	waitable  bool // pages without JavaScript wait for it: a first load, the refresh button
	waiters   int
	idle      *time.Timer

	mu      sync.Mutex
	b       building
	dirty   bool // b changed since partial was made
	partial *Snapshot
	changed chan struct{} // closed and replaced whenever b changes
}

// building is the snapshot a load is filling in.
type building struct {
	in                 intake.Replies
	viewer             moodle.EnrolledUser
	ready              bool // roster and course structure are in: rows can be shown
	assignmentsPending bool
	completionPending  int
}

func newCourseFlight(owner cache.Owner, kind loadKind, prev *Snapshot, started time.Time, background bool, cancel context.CancelFunc) *courseFlight {
	return &courseFlight{owner: owner, kind: kind, prev: prev, started: started, background: background, cancel: cancel,
		done: make(chan struct{}), ready: make(chan struct{}), changed: make(chan struct{})}
}

// set changes the snapshot being built and wakes whoever waits for a newer one.
func (f *courseFlight) set(change func(b *building)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	change(&f.b)
	f.dirty = true
	close(f.changed)
	f.changed = make(chan struct{})
}

// markReady says rows can be shown.
func (f *courseFlight) markReady() { f.readyOnce.Do(func() { close(f.ready) }) }

// changes returns a channel closed at the next change.
func (f *courseFlight) changes() <-chan struct{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.changed
}

// isDone reports whether the flight has ended.
func (f *courseFlight) isDone() bool {
	select {
	case <-f.done:
		return true
	default:
		return false
	}
}

// latest is what a page can show of the flight now: the final snapshot once it has ended,
// the snapshot it refreshes while it runs, or for a first load the latest partial snapshot
// (nil before the roster is in). next hands out versions.
func (f *courseFlight) latest(next func() uint64) Latest {
	if f.isDone() {
		return Latest{Snapshot: f.final}
	}
	if f.prev != nil {
		return Latest{Snapshot: f.prev, Loading: true}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.b.ready {
		return Latest{Loading: true}
	}
	if f.partial == nil || f.dirty {
		f.partial = f.b.snapshot(next(), f.started)
		f.dirty = false
	}
	return Latest{Snapshot: f.partial, Loading: true}
}

// finish makes the complete snapshot of a full load.
func (f *courseFlight) finish(version uint64) *Snapshot {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.b.snapshot(version, f.started)
	s.Complete, s.AssignmentsPending, s.CompletionPending = true, false, 0
	return s
}

// snapshot copies what is built so far; the maps completion batches write into are cloned,
// everything else is set once and shared.
func (b *building) snapshot(version uint64, loadedAt time.Time) *Snapshot {
	in := b.in
	in.Completion = maps.Clone(b.in.Completion)
	in.CourseCompletion = maps.Clone(b.in.CourseCompletion)
	in.Missing = slices.Clone(b.in.Missing)
	return &Snapshot{Input: in, LoadedAt: loadedAt, FullAt: loadedAt, Viewer: b.viewer, Version: version,
		AssignmentsPending: b.assignmentsPending, CompletionPending: b.completionPending, memo: &cohortMemo{}}
}
