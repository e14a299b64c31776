package load

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/knowthystudents/kts/internal/moodle"
	"golang.org/x/sync/errgroup"
)

// rosterFields trims core_enrol_get_enrolled_users to what the dashboard shows: on a
// 500-student course it cuts the reply from 357 kB to about 160 kB and a third of the time.
var rosterFields = []string{"id", "fullname", "email", "firstaccess", "lastaccess", "lastcourseaccess", "groups", "roles"}

// teachingRoles are the roles that may see a cohort. Moodle decides what each of them sees
// (a non-editing teacher in separate groups only gets their groups).
var teachingRoles = []string{"editingteacher", "teacher", "manager"}

// loadFull is the plan of a first (or full) load, each call started as soon as what it
// needs is known:
//
//   - at once, in parallel: the roster (trimmed fields; the slowest call, 1.1 s at 500
//     students), the active enrolments, and one batch with the course, its activities,
//     assignments and groups;
//   - when the assignments are known: submissions, and one batch with grades and extensions;
//   - when the roster is in: the rows can be shown (f is ready), and completion starts, in
//     batches, the students in name order so the page's first rows fill in first; beside it,
//     the grade report of quizzes and other graded activities, one request for every
//     student, when the course has such an activity (gradeItemsCall).
//
// Every part that lands is written into f, so a page can show it before the load ends.
func (l *Loader) loadFull(ctx context.Context, w moodle.Credentials, courseID int64, f *courseFlight) (*Snapshot, error) {
	var (
		roster    []moodle.EnrolledUser
		st        structure
		active    map[int64]bool
		activeErr error
	)
	missing := func(what string) { f.set(func(b *building) { b.in.Missing = append(b.in.Missing, what) }) }
	f.set(func(b *building) { b.assignmentsPending = true })
	g, gctx := errgroup.WithContext(ctx)
	var first sync.WaitGroup
	first.Add(3)
	g.Go(func() (err error) {
		defer first.Done()
		roster, err = l.mc.EnrolledUsers(gctx, w.Token, courseID, moodle.EnrolledUsersOptions{UserFields: rosterFields})
		return err
	})
	g.Go(func() error {
		defer first.Done()
		var list []moodle.EnrolledUser
		list, activeErr = l.mc.EnrolledUsers(gctx, w.Token, courseID, moodle.EnrolledUsersOptions{OnlyActive: true, UserFields: []string{"id"}})
		if isFatal(activeErr) {
			return activeErr
		}
		active = usersSet(list)
		return nil
	})
	g.Go(func() error {
		defer first.Done()
		sr := newStructureRead(courseID)
		if err := l.mc.RunBatch(gctx, w.Token, sr.calls()...); err != nil {
			return err
		}
		var err error
		if st, err = sr.result(); err != nil {
			return err
		}
		if ids := assignIDs(st.assignments); len(ids) > 0 {
			g.Go(func() error { return l.loadAssignments(gctx, w, ids, f, missing) })
		} else {
			f.set(func(b *building) { b.assignmentsPending = false })
		}
		return nil
	})
	g.Go(func() error {
		first.Wait()
		if gctx.Err() != nil {
			return nil // the call that failed says why
		}
		viewer, err := checkTeacher(st, roster, w)
		if err != nil {
			return err
		}
		if activeErr != nil {
			if active, err = l.activeFromParticipants(gctx, w, st.assignments, roster, activeErr); err != nil {
				if isFatal(err) {
					return err
				}
				l.log.Warn("partial load", "part", "enrolment status", "err", err)
				missing("enrolment status (suspended students are shown as active)")
			}
		}
		ids := studentsByName(roster)
		if st.course.EnableCompletion == 0 {
			// Completion is off in this course: every call would fail, one batch request
			// per student. Ask for none.
			ids = nil
		}
		f.set(func(b *building) {
			b.in.Course, b.in.Sections, b.in.Assignments, b.in.Groups = *st.course, st.sections, st.assignments, st.groups
			b.in.Roster, b.in.ActiveIDs, b.viewer = roster, active, viewer
			b.in.Missing = append(b.in.Missing, st.missing...)
			b.in.Completion = make(map[int64]*moodle.ActivitiesCompletion, len(ids))
			b.in.CourseCompletion = make(map[int64]*moodle.CourseCompletion, len(ids))
			b.completionPending, b.ready = len(ids), true
		})
		f.markReady()
		if gi := gradeItemsCall(courseID, st.sections, len(studentsByName(roster))); gi != nil {
			g.Go(func() error { return l.loadGradeItems(gctx, w, courseID, gi, roster, active, f, missing) })
		}
		failed, err := l.loadCompletion(gctx, w, courseID, ids, active, func(c completionBatch) {
			f.set(func(b *building) {
				for id, ac := range c.activities {
					b.in.Completion[id] = ac
				}
				for id, cc := range c.course {
					b.in.CourseCompletion[id] = cc
				}
				b.completionPending -= c.asked
			})
		})
		if failed > 0 {
			missing(fmt.Sprintf("activity completion for %d students", failed))
		}
		return err
	})
	if err := g.Wait(); err != nil {
		return nil, notFound(err)
	}
	s := f.finish(l.nextVersion())
	s.FullAt = f.started
	return s, nil
}

// loadAssignments reads submissions (the second slowest call: 2 s for 5 assignments at 500
// students) on their own, and grades with extensions in one batch, into f.
func (l *Loader) loadAssignments(ctx context.Context, w moodle.Credentials, ids []int64, f *courseFlight, missing func(string)) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		r, err := l.mc.Submissions(gctx, w.Token, ids, moodle.SubmissionsOptions{})
		if err != nil {
			return l.optional(err, "assignment submissions", missing)
		}
		f.set(func(b *building) { b.in.Submissions = r })
		return nil
	})
	g.Go(func() error {
		grades, flags := moodle.GradesCall(ids, moodle.Time{}), moodle.UserFlagsCall(ids)
		if err := l.mc.RunBatch(gctx, w.Token, grades, flags); err != nil {
			if err := l.optional(err, "assignment grades and extensions", missing); err != nil {
				return err
			}
			return nil
		}
		if l.optional(grades.Err, "assignment grades", missing) == nil {
			f.set(func(b *building) { b.in.Grades = &grades.Reply })
		}
		if l.optional(flags.Err, "assignment extensions", missing) == nil {
			f.set(func(b *building) { b.in.UserFlags = &flags.Reply })
		}
		return nil
	})
	err := g.Wait()
	f.set(func(b *building) { b.assignmentsPending = false })
	return err
}

// optional lets a load go on without a part: err is returned only when it ends the load;
// otherwise the part is named as missing (when it failed at all) and nil returned.
func (l *Loader) optional(err error, what string, missing func(string)) error {
	if err == nil || isFatal(err) {
		return err
	}
	l.log.Warn("partial load", "part", what, "err", err)
	missing(what)
	return nil
}

// checkTeacher finds the signed-in user in the roster and makes sure they teach the course.
func checkTeacher(st structure, roster []moodle.EnrolledUser, w moodle.Credentials) (moodle.EnrolledUser, error) {
	if st.course == nil {
		return moodle.EnrolledUser{}, ErrCourseNotFound
	}
	viewer, ok := findUser(roster, w.UserID)
	if !ok || !moodle.HasRole(viewer.Roles, teachingRoles...) {
		return moodle.EnrolledUser{}, ErrNotTeacher
	}
	return viewer, nil
}

// activeFromParticipants finds the active enrolments for a user without
// moodle/course:enrolreview (a non-editing teacher), whom Moodle refuses onlyactive:
// mod_assign_list_participants lists only active enrolments to graders.
func (l *Loader) activeFromParticipants(ctx context.Context, w moodle.Credentials, assignments []moodle.Assignment, roster []moodle.EnrolledUser, cause error) (map[int64]bool, error) {
	if len(assignments) == 0 {
		return nil, cause
	}
	// Group 0 means "all participants", which Moodle lists only to those who may see every
	// group: in a separate-groups course a non-editing teacher gets an empty list for it, and
	// asks for each of their own groups instead (groups_group_visible).
	groups := []int64{0}
	active := map[int64]bool{}
	for len(groups) > 0 {
		ps, err := l.mc.ListParticipants(ctx, w.Token, moodle.ListParticipantsOptions{AssignID: assignments[0].ID, GroupID: groups[0], OnlyIDs: true})
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			active[p.ID] = true
		}
		if me, ok := findUser(roster, w.UserID); ok && groups[0] == 0 && len(ps) == 0 {
			for _, g := range me.Groups {
				groups = append(groups, g.ID)
			}
		}
		groups = groups[1:]
	}
	// Staff are not assignment participants but are active: keep them.
	for _, u := range roster {
		if !moodle.HasRole(u.Roles, "student") {
			active[u.ID] = true
		}
	}
	return active, nil
}

func usersSet(list []moodle.EnrolledUser) map[int64]bool {
	m := make(map[int64]bool, len(list))
	for _, u := range list {
		m[u.ID] = true
	}
	return m
}

// isFatal tells the errors that end a whole load (the token is dead, Moodle is down, the user
// may not see the course) from those that only leave a part missing.
func isFatal(err error) bool {
	return errors.Is(err, moodle.ErrInvalidToken) || errors.Is(err, moodle.ErrUnreachable) ||
		errors.Is(err, moodle.ErrTimeout) || errors.Is(err, moodle.ErrHTTPStatus) ||
		errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, moodle.ErrNotJSON) || errors.Is(err, moodle.ErrTruncated) || errors.Is(err, moodle.ErrBodyTooLarge)
}

// notFound maps Moodle's "no such record" for the course to ErrCourseNotFound.
func notFound(err error) error {
	if errors.Is(err, moodle.ErrNotFound) {
		return fmt.Errorf("%w: %w", ErrCourseNotFound, err)
	}
	return err
}

func findUser(roster []moodle.EnrolledUser, id int64) (moodle.EnrolledUser, bool) {
	for _, u := range roster {
		if u.ID == id {
			return u, true
		}
	}
	return moodle.EnrolledUser{}, false
}

func assignIDs(as []moodle.Assignment) []int64 {
	ids := make([]int64, 0, len(as))
	for _, a := range as {
		ids = append(ids, a.ID)
	}
	return ids
}
