package load

import (
	"context"
	"fmt"
	"sync"

	"github.com/knowthystudents/kts/internal/moodle"
	"golang.org/x/sync/errgroup"
)

// loadRefresh is the incremental refresh of f.prev: two requests and the completion of the
// students who moved.
//
//   - In parallel: the roster (for lastcourseaccess; Moodle has no "since" for it), and one
//     batch with the course structure, the active enrolments, extensions, and the
//     submissions and grades changed since the previous load started (less
//     Config.SinceMargin), and the grade report of quizzes and other activities when the
//     full load read one (it has no "since": read whole again, in the same batch).
//   - Completion is read again only for the students changedStudents picks: new, or whose
//     course access, submission or grade moved, or whose enrolment changed.
//
// What it cannot see is left to the full refresh on the long timer: a teacher overriding a
// completion state moves none of those. A change of the course's structure (an activity
// with completion or an assignment added or removed) turns it into a full load.
func (l *Loader) loadRefresh(ctx context.Context, w moodle.Credentials, courseID int64, f *courseFlight) (*Snapshot, error) {
	prev := f.prev
	since := moodle.TimeOf(prev.LoadedAt.Add(-l.cfg.SinceMargin))
	ids := assignIDs(prev.Input.Assignments)
	var (
		roster []moodle.EnrolledUser
		sr     = newStructureRead(courseID)
		active = moodle.ActiveEnrolmentIDsCall(courseID)
		subs   = moodle.SubmissionsCall(ids, since)
		grades = moodle.GradesCall(ids, since)
		flags  = moodle.UserFlagsCall(ids)
	)
	calls := append(sr.calls(), active)
	if len(ids) > 0 {
		calls = append(calls, subs, grades, flags)
	}
	// The grade report has no "since": it is read again whole, in the same batch.
	gi := gradeItemsCall(courseID, prev.Input.Sections, len(studentsByName(prev.Input.Roster)))
	// The reports of the students suspended at the last load ride in the same batch (see
	// suspendedGradeReports); one suspended since costs a request of its own.
	var suspendedReports []*moodle.BatchCall[moodle.GradeItemsReply]
	if gi != nil {
		calls = append(calls, gi)
		if prev.Input.ActiveIDs != nil {
			suspendedReports, _ = suspendedReportCalls(courseID, prev.Input.Roster, prev.Input.ActiveIDs, nil)
			for _, c := range suspendedReports {
				calls = append(calls, c)
			}
		}
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		roster, err = l.mc.EnrolledUsers(gctx, w.Token, courseID, moodle.EnrolledUsersOptions{UserFields: rosterFields})
		return err
	})
	g.Go(func() error { return l.mc.RunBatch(gctx, w.Token, calls...) })
	if err := g.Wait(); err != nil {
		return nil, notFound(err)
	}
	st, err := sr.result()
	if err != nil {
		return nil, notFound(err)
	}
	viewer, err := checkTeacher(st, roster, w)
	if err != nil {
		return nil, err
	}
	why := structureChanged(prev.Input, st)
	for _, e := range []error{subs.Err, grades.Err, flags.Err} {
		if why == "" && e != nil {
			why = "a part did not load: " + e.Error()
		}
	}
	if why == "" && len(st.missing) > 0 {
		why = "a part did not load: " + st.missing[0]
	}
	activeIDs := usersSet(active.Reply)
	if why == "" && active.Err != nil {
		if activeIDs, err = l.activeFromParticipants(ctx, w, st.assignments, roster, active.Err); err != nil {
			if isFatal(err) {
				return nil, err
			}
			why = "enrolment status did not load"
		}
	}
	if why != "" {
		l.log.Info("incremental refresh turns full", "course", courseID, "why", why)
		return l.loadFull(ctx, w, courseID, f)
	}
	changed := changedStudents(prev.Input, roster, activeIDs, &subs.Reply, &grades.Reply, since)
	if prev.Input.Course.EnableCompletion == 0 {
		changed = nil // completion is off in this course: nothing to re-read (see loadFull)
	}
	var mu sync.Mutex
	got := completionBatch{activities: map[int64]*moodle.ActivitiesCompletion{}, course: map[int64]*moodle.CourseCompletion{}}
	failed, err := l.loadCompletion(ctx, w, courseID, changed, activeIDs, func(c completionBatch) {
		mu.Lock()
		defer mu.Unlock()
		got.add(c)
	})
	if err != nil {
		return nil, err
	}
	in := mergeRefresh(prev.Input, refreshed{st: st, roster: roster, active: activeIDs, subs: &subs.Reply, grades: &grades.Reply,
		flags: &flags.Reply, completion: got})
	if failed > 0 {
		in.Missing = append(in.Missing, fmt.Sprintf("activity completion for %d students", failed))
	}
	in.GradeItems = prev.Input.GradeItems
	if gi != nil {
		if gi.Err == nil {
			addReports(&gi.Reply, suspendedReports)
			if err := l.suspendedGradeReports(ctx, w, courseID, &gi.Reply, roster, activeIDs, func(what string) { in.Missing = append(in.Missing, what) }); err != nil {
				return nil, err
			}
			in.GradeItems = trimGradeItems(&gi.Reply)
		} else {
			l.log.Warn("partial refresh: the grade report kept from the previous load", "course", courseID, "err", gi.Err)
		}
	}
	l.log.Debug("incremental refresh", "course", courseID, "completion_reread", len(changed))
	return &Snapshot{Input: in, LoadedAt: f.started, FullAt: prev.FullAt, Viewer: viewer, Version: l.nextVersion(),
		Complete: true, memo: &cohortMemo{}}, nil
}

// add merges another batch's results into c.
func (c *completionBatch) add(o completionBatch) {
	for id, ac := range o.activities {
		c.activities[id] = ac
	}
	for id, cc := range o.course {
		c.course[id] = cc
	}
	c.noCourse = append(c.noCourse, o.noCourse...)
	c.asked += o.asked
	c.failed += o.failed
}
