package load

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/knowthystudents/kts/internal/moodle"
	"golang.org/x/sync/errgroup"
)

// completionBatch is what one completion batch brought back.
type completionBatch struct {
	activities map[int64]*moodle.ActivitiesCompletion
	course     map[int64]*moodle.CourseCompletion
	asked      int // students in the batch
	failed     int // students whose activity completion did not come
	// noCourse are the students of the batch whose course completion was not asked for
	// (suspended): an older one must not outlive the enrolment that had it.
	noCourse []int64
}

// loadCompletion reads activity and course completion for the students ids, in batches of
// Config.BatchSize students through tool_mobile_call_external_functions, Config.Concurrency
// batches at a time, in the order given (the page's first rows first). land is called once
// per batch, possibly concurrently. It returns how many students' completion failed; the
// error is only for what ends the whole load.
func (l *Loader) loadCompletion(ctx context.Context, w moodle.Credentials, courseID int64, ids []int64, active map[int64]bool, land func(completionBatch)) (int, error) {
	var failed atomic.Int64
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(l.cfg.Concurrency)
	for chunk := range slices.Chunk(ids, l.cfg.BatchSize) {
		g.Go(func() error {
			b, err := l.completionBatch(gctx, w, courseID, chunk, active)
			if err != nil {
				if isFatal(err) {
					return err
				}
				l.log.Warn("completion batch failed", "students", len(chunk), "err", err)
				b = completionBatch{asked: len(chunk), failed: len(chunk)}
			}
			failed.Add(int64(b.failed))
			land(b)
			return nil
		})
	}
	err := g.Wait()
	return int(failed.Load()), err
}

// completionBatch asks for one batch of students: activity completion for each, course
// completion for the active ones (Moodle does not track it for a suspended enrolment:
// asking would fail, and a failure stops the rest of the batch).
func (l *Loader) completionBatch(ctx context.Context, w moodle.Credentials, courseID int64, chunk []int64, active map[int64]bool) (completionBatch, error) {
	b := completionBatch{asked: len(chunk), activities: make(map[int64]*moodle.ActivitiesCompletion, len(chunk)),
		course: make(map[int64]*moodle.CourseCompletion, len(chunk))}
	acts := make([]*moodle.BatchCall[moodle.ActivitiesCompletion], len(chunk))
	courses := make([]*moodle.BatchCall[moodle.CourseCompletion], len(chunk))
	calls := make([]moodle.BatchItem, 0, 2*len(chunk))
	for i, id := range chunk {
		acts[i] = moodle.ActivitiesCompletionCall(courseID, id)
		calls = append(calls, acts[i])
		if active == nil || active[id] {
			courses[i] = moodle.CourseCompletionCall(courseID, id)
			calls = append(calls, courses[i])
		} else {
			b.noCourse = append(b.noCourse, id)
		}
	}
	if err := l.mc.RunBatch(ctx, w.Token, calls...); err != nil {
		return b, err
	}
	for i, id := range chunk {
		if acts[i].Err != nil {
			b.failed++
			continue
		}
		b.activities[id] = &acts[i].Reply
		if c := courses[i]; c != nil && c.Err == nil {
			b.course[id] = &c.Reply
		}
	}
	return b, nil
}

// studentsByName lists the roster's students (staff have no completion to show) in the
// cohort page's default order, so that its first rows fill in first.
func studentsByName(roster []moodle.EnrolledUser) []int64 {
	type s struct {
		name string
		id   int64
	}
	var list []s
	for _, u := range roster {
		if moodle.HasRole(u.Roles, "student") {
			list = append(list, s{strings.ToLower(u.FullName), u.ID})
		}
	}
	slices.SortFunc(list, func(a, b s) int { return cmp.Or(cmp.Compare(a.name, b.name), cmp.Compare(a.id, b.id)) })
	ids := make([]int64, 0, len(list))
	for i, e := range list {
		if i > 0 && e.id == list[i-1].id {
			continue
		}
		ids = append(ids, e.id)
	}
	return ids
}
