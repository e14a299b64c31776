package load

import (
	"context"
	"errors"
	"time"

	"github.com/knowthystudents/kts/internal/cache"
	"github.com/knowthystudents/kts/internal/moodle"
)

// Wait says what a request needs before it can answer.
type Wait int

const (
	// WaitComplete: a complete snapshot. A stale one will do while a background refresh
	// runs; a first load or a refresh the teacher asked for is waited for.
	WaitComplete Wait = iota
	// WaitEarly: anything a page can show: a complete snapshot, or a first load's roster
	// with the rest still loading (Snapshot.Complete false).
	WaitEarly
)

// Latest is what the loader hands a page for a course: the latest snapshot it can show (nil
// while a first load has no roster yet) and whether a newer one is on its way.
type Latest struct {
	*Snapshot
	// Loading says a load or refresh is in flight: a newer snapshot will follow
	// (CourseAfter waits for it).
	Loading bool
}

// Progressive reports whether pages may show a course before its load has finished: a
// partial page needs the finished load to stay in the cache for the requests that fill it in.
func (l *Loader) Progressive() bool { return l.cache.Enabled() }

// Course returns w's snapshot of a course. A fresh cached one comes at once. An older one
// (Config.RefreshAfter) comes at once too, while a refresh starts behind it: incremental, or
// full once Config.FullRefreshAfter has passed since the last full load. Without one, a
// first load starts (or is joined) and wait says how much of it to wait for. Only users
// with a teaching role in the course get one (ErrNotTeacher otherwise).
func (l *Loader) Course(ctx context.Context, w moodle.Credentials, courseID int64, wait Wait) (Latest, error) {
	key := l.courseKey(w, courseID)
	now := l.now()
	l.mu.Lock()
	snap := l.cachedCourse(key)
	f := l.courses[key.String()]
	if f == nil {
		switch {
		case snap == nil:
			f = l.startCourse(w, courseID, key, nil, coldLoad, false)
		case l.due(snap, now):
			f = l.startCourse(w, courseID, key, snap, l.kindFor(snap, now), true)
		}
	}
	if f == nil {
		l.mu.Unlock()
		return Latest{Snapshot: snap}, nil
	}
	waitable := f.waitable
	l.join(f)
	l.mu.Unlock()
	defer l.leave(f)
	if snap == nil {
		snap = f.prev
	}
	if snap != nil && !(waitable && wait == WaitComplete) {
		return Latest{Snapshot: snap, Loading: true}, nil
	}
	if wait == WaitEarly {
		select {
		case <-f.ready:
		case <-ctx.Done():
			return Latest{}, ctx.Err()
		}
		if v := f.latest(l.nextVersion); v.Snapshot != nil {
			return v, nil
		}
	}
	return l.await(ctx, f)
}

// CourseAfter waits, at most maxWait, for a snapshot newer than version of the course load
// in flight, and returns the latest one: what a page polls to fill itself in. With no load
// in flight it returns the cached snapshot at once, Loading false. It never starts a load
// unless there is nothing at all to show.
func (l *Loader) CourseAfter(ctx context.Context, w moodle.Credentials, courseID int64, version uint64, maxWait time.Duration) (Latest, error) {
	key := l.courseKey(w, courseID)
	l.mu.Lock()
	f := l.courses[key.String()]
	if f != nil {
		l.join(f)
	}
	snap := l.cachedCourse(key)
	l.mu.Unlock()
	if f == nil {
		if snap == nil {
			return l.Course(ctx, w, courseID, WaitEarly)
		}
		return Latest{Snapshot: snap}, nil
	}
	defer l.leave(f)
	timeout := time.NewTimer(maxWait)
	defer timeout.Stop()
	for {
		changed := f.changes()
		v := f.latest(l.nextVersion)
		switch {
		case !v.Loading:
			if v.Snapshot == nil {
				return Latest{}, f.err
			}
			return v, nil
		case v.Snapshot != nil && v.Version > version:
			return v, nil
		}
		select {
		case <-changed:
			// Batches land close together: let the ones just behind this one land too,
			// rather than answer once per batch.
			settle(ctx, f.done, settleTime)
		case <-f.done:
		case <-timeout.C:
			if v.Snapshot != nil {
				return v, nil
			}
		case <-ctx.Done():
			return Latest{}, ctx.Err()
		}
	}
}

// settleTime is how long a poll waits after a change for the changes right behind it.
const settleTime = 150 * time.Millisecond

func settle(ctx context.Context, done <-chan struct{}, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-done:
	case <-ctx.Done():
	}
}

// Refresh starts a refresh of the course the teacher asked for, or joins the one in flight,
// and marks it as one pages wait for: incremental, full when full is set (or when the last
// full load is too old), a first load when nothing is cached. With wait it returns the
// refreshed snapshot; without, at once, with what there is now.
func (l *Loader) Refresh(ctx context.Context, w moodle.Credentials, courseID int64, full, wait bool) (Latest, error) {
	key := l.courseKey(w, courseID)
	now := l.now()
	l.mu.Lock()
	snap := l.cachedCourse(key)
	f := l.courses[key.String()]
	if f == nil {
		kind := coldLoad
		if snap != nil {
			kind = l.kindFor(snap, now)
			if full {
				kind = fullLoad
			}
		}
		f = l.startCourse(w, courseID, key, snap, kind, false)
	}
	f.waitable = true
	l.join(f)
	l.mu.Unlock()
	defer l.leave(f)
	if !wait {
		if snap == nil {
			snap = f.prev
		}
		return Latest{Snapshot: snap, Loading: true}, nil
	}
	return l.await(ctx, f)
}

// await waits for a flight to end. A refresh that failed still gives the snapshot it
// refreshed, marked failed, unless the token itself was refused.
func (l *Loader) await(ctx context.Context, f *courseFlight) (Latest, error) {
	select {
	case <-f.done:
	case <-ctx.Done():
		return Latest{}, ctx.Err()
	}
	if f.err != nil && (f.final == nil || errors.Is(f.err, moodle.ErrInvalidToken)) {
		return Latest{}, f.err
	}
	return Latest{Snapshot: f.final}, nil
}

func (l *Loader) courseKey(w moodle.Credentials, courseID int64) cache.Key {
	return cache.CourseKey(owner(w), "course", courseID)
}

func (l *Loader) cachedCourse(key cache.Key) *Snapshot {
	v, _ := cache.Get[*Snapshot](l.cache, key)
	return v
}

// due reports whether a snapshot should be refreshed.
func (l *Loader) due(s *Snapshot, now time.Time) bool {
	return now.Sub(s.LoadedAt) >= l.cfg.RefreshAfter && !now.Before(s.RetryAt)
}

// kindFor is the refresh a snapshot needs: full when its last full load is too old or a part
// of it is missing (an incremental refresh only adds to what is there), else incremental.
func (l *Loader) kindFor(s *Snapshot, now time.Time) loadKind {
	if now.Sub(s.FullAt) >= l.cfg.FullRefreshAfter || len(s.Input.Missing) > 0 || !s.Complete {
		return fullLoad
	}
	return refreshLoad
}

func (l *Loader) nextVersion() uint64 { return l.version.Add(1) }

// join counts a request waiting for f. Called with l.mu held.
func (l *Loader) join(f *courseFlight) {
	f.waiters++
	if f.idle != nil {
		f.idle.Stop()
		f.idle = nil
	}
}

// leave uncounts a request; when nobody is left, f is cancelled after Config.Abandon unless
// someone comes back (the poll of a page that showed the roster comes within milliseconds).
func (l *Loader) leave(f *courseFlight) {
	l.mu.Lock()
	defer l.mu.Unlock()
	f.waiters--
	if f.waiters > 0 || f.background || f.isDone() {
		return
	}
	f.idle = time.AfterFunc(l.cfg.Abandon, func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		if f.waiters == 0 {
			f.cancel()
		}
	})
}

// startCourse starts a load and registers it. Called with l.mu held.
func (l *Loader) startCourse(w moodle.Credentials, courseID int64, key cache.Key, prev *Snapshot, kind loadKind, background bool) *courseFlight {
	ctx, cancel := context.WithTimeout(context.Background(), l.cfg.LoadTimeout)
	f := newCourseFlight(owner(w), kind, prev, l.now(), background, cancel)
	f.waitable = kind == coldLoad
	l.courses[key.String()] = f
	go l.runCourse(ctx, f, w, courseID, key)
	return f
}

// runCourse runs a flight to its end, caches what it made, and wakes its waiters.
func (l *Loader) runCourse(ctx context.Context, f *courseFlight, w moodle.Credentials, courseID int64, key cache.Key) {
	defer f.cancel()
	var (
		snap *Snapshot
		err  error
	)
	switch f.kind {
	case refreshLoad:
		snap, err = l.loadRefresh(ctx, w, courseID, f)
	default:
		snap, err = l.loadFull(ctx, w, courseID, f)
	}
	took := l.now().Sub(f.started)
	// Under mu, so that Forget either sees the flight and stops it caching, or comes after
	// what it cached and drops it.
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case f.forgotten:
		if err == nil {
			err = context.Canceled
		}
		snap = nil
	case err == nil:
		l.cache.SetFor(key, snap, l.cfg.FullRefreshAfter)
		l.log.Info("course loaded", "course", courseID, "kind", f.kind.String(), "students", len(snap.Input.Completion),
			"took_ms", took.Milliseconds())
	case errors.Is(err, moodle.ErrInvalidToken):
		l.cache.DropOwner(owner(w))
	case f.prev != nil:
		failed := *f.prev
		now := l.now()
		failed.Version, failed.RefreshFailed, failed.RetryAt = l.nextVersion(), now, now.Add(min(l.cfg.RefreshAfter, time.Minute))
		snap = &failed
		l.cache.SetFor(key, snap, max(l.cfg.FullRefreshAfter-now.Sub(f.prev.LoadedAt), time.Minute))
		l.log.Warn("course refresh failed; the older data stays", "course", courseID, "kind", f.kind.String(), "err", err)
	}
	f.final, f.err = snap, err
	if l.courses[key.String()] == f {
		delete(l.courses, key.String())
	}
	if f.idle != nil {
		f.idle.Stop()
	}
	f.markReady()
	close(f.done)
}
