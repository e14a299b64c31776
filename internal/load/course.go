package load

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/knowthystudents/kts/internal/cache"
	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/moodle"
	"golang.org/x/sync/errgroup"
)

// rosterFields trims core_enrol_get_enrolled_users to what the dashboard shows: on a
// 500-student course it cuts the reply from 357 kB to about 160 kB and a third of the time.
var rosterFields = []string{"id", "fullname", "email", "firstaccess", "lastaccess", "lastcourseaccess", "groups", "roles"}

// teachingRoles are the roles that may see a cohort. Moodle decides what each of them sees
// (a non-editing teacher in separate groups only gets their groups).
var teachingRoles = []string{"editingteacher", "teacher", "manager"}

// Snapshot is one user's view of one course at one moment.
type Snapshot struct {
	Input    cohort.Input
	LoadedAt time.Time
	Viewer   moodle.EnrolledUser // the signed-in user's own roster entry
}

// Course returns the cached snapshot of a course, loading it if needed. refresh forces a
// new load. Only users with a teaching role in the course get one (ErrNotTeacher otherwise).
func (l *Loader) Course(ctx context.Context, w Who, courseID int64, refresh bool) (*Snapshot, error) {
	key := cache.CourseKey(w.Owner(), "course", courseID)
	if !refresh {
		if v, ok := l.cache.Get(key); ok {
			return v.(*Snapshot), nil
		}
	}
	return shared(ctx, l, key.String(), func(ctx context.Context) (*Snapshot, error) {
		s, err := l.loadCourse(ctx, w, courseID)
		if err != nil {
			return nil, err // errors are never cached as data
		}
		l.cache.Set(key, s)
		return s, nil
	})
}

// loadCourse is the cold load plan: the bulk calls in parallel, then the per-assignment and
// per-student calls that need their ids.
func (l *Loader) loadCourse(ctx context.Context, w Who, courseID int64) (*Snapshot, error) {
	s := &Snapshot{LoadedAt: l.now()}
	in := &s.Input
	var (
		course   *moodle.Course
		mu       sync.Mutex
		missing  = func(what string) { mu.Lock(); in.Missing = append(in.Missing, what); mu.Unlock() }
		optional = func(what string, err error) error {
			if err == nil || isFatal(err) {
				return err
			}
			l.log.Warn("partial load", "part", what, "err", err)
			missing(what)
			return nil
		}
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		course, err = l.mc.CourseByID(gctx, w.Token, courseID)
		return err
	})
	g.Go(func() (err error) {
		in.Roster, err = l.mc.EnrolledUsers(gctx, w.Token, courseID, moodle.EnrolledUsersOptions{UserFields: rosterFields})
		return err
	})
	var activeErr error
	g.Go(func() error {
		active, err := l.mc.EnrolledUsers(gctx, w.Token, courseID, moodle.EnrolledUsersOptions{OnlyActive: true, UserFields: []string{"id"}})
		if err == nil {
			in.ActiveIDs = idSet(len(active), func(yield func(int64)) {
				for _, u := range active {
					yield(u.ID)
				}
			})
			return nil
		}
		if isFatal(err) {
			return err
		}
		activeErr = err // tried again below, another way
		return nil
	})
	g.Go(func() (err error) {
		in.Sections, err = l.mc.CourseContents(gctx, w.Token, courseID, moodle.Option{Name: "excludecontents", Value: "1"})
		return optional("the course's activities", err)
	})
	g.Go(func() error {
		r, err := l.mc.Assignments(gctx, w.Token, []int64{courseID})
		if err == nil {
			for _, a := range r.All() {
				if a.Course == courseID {
					in.Assignments = append(in.Assignments, a)
				}
			}
		}
		return optional("assignments", err)
	})
	g.Go(func() error {
		r, err := l.mc.GroupsForSelector(gctx, w.Token, courseID)
		if err == nil {
			for _, gr := range r.Groups {
				if gr.ID > 0 {
					in.Groups = append(in.Groups, gr)
				}
			}
		}
		return optional("groups", err)
	})
	if err := g.Wait(); err != nil {
		return nil, notFound(err)
	}
	if course == nil {
		return nil, ErrCourseNotFound
	}
	in.Course = *course
	viewer, ok := findUser(in.Roster, w.UserID)
	if !ok || !moodle.HasRole(viewer.Roles, teachingRoles...) {
		return nil, ErrNotTeacher
	}
	s.Viewer = viewer

	g, gctx = errgroup.WithContext(ctx)
	if activeErr != nil {
		g.Go(func() error {
			return optional("enrolment status (suspended students are shown as active)", l.activeFromParticipants(gctx, w, in, activeErr))
		})
	}
	if ids := assignIDs(in.Assignments); len(ids) > 0 {
		g.Go(func() (err error) {
			in.Submissions, err = l.mc.Submissions(gctx, w.Token, ids, moodle.SubmissionsOptions{})
			return optional("assignment submissions", err)
		})
		g.Go(func() (err error) {
			in.Grades, err = l.mc.Grades(gctx, w.Token, ids, moodle.Time{})
			return optional("assignment grades", err)
		})
		g.Go(func() (err error) {
			in.UserFlags, err = l.mc.UserFlags(gctx, w.Token, ids)
			return optional("assignment extensions", err)
		})
	}
	g.Go(func() error {
		return l.loadCompletion(gctx, w, courseID, studentIDs(in.Roster), in, missing)
	})
	if err := g.Wait(); err != nil {
		return nil, notFound(err)
	}
	return s, nil
}

// loadCompletion reads activity and course completion for every student, in batches through
// tool_mobile_call_external_functions, a few batches at a time.
func (l *Loader) loadCompletion(ctx context.Context, w Who, courseID int64, ids []int64, in *cohort.Input, missing func(string)) error {
	in.Completion = make(map[int64]*moodle.ActivitiesCompletion, len(ids))
	in.CourseCompletion = make(map[int64]*moodle.CourseCompletion, len(ids))
	var mu sync.Mutex
	failed := 0
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(l.cfg.Concurrency)
	for start := 0; start < len(ids); start += l.cfg.BatchSize {
		chunk := ids[start:min(start+l.cfg.BatchSize, len(ids))]
		g.Go(func() error {
			reqs := make([]moodle.BatchRequest, 0, 2*len(chunk))
			type slot struct{ activities, course int }
			slots := make([]slot, len(chunk))
			for i, id := range chunk {
				args := map[string]any{"courseid": courseID, "userid": id}
				slots[i] = slot{activities: len(reqs), course: -1}
				reqs = append(reqs, moodle.BatchRequest{Function: "core_completion_get_activities_completion_status", Args: args})
				// Moodle does not track course completion for a suspended enrolment: asking
				// would fail, and a failure stops the rest of the batch.
				if in.ActiveIDs == nil || in.ActiveIDs[id] {
					slots[i].course = len(reqs)
					reqs = append(reqs, moodle.BatchRequest{Function: "core_completion_get_course_completion_status", Args: args})
				}
			}
			res, err := l.mc.Batch(gctx, w.Token, reqs)
			if err != nil {
				if isFatal(err) {
					return err
				}
				l.log.Warn("completion batch failed", "students", len(chunk), "err", err)
				mu.Lock()
				failed += len(chunk)
				mu.Unlock()
				return nil
			}
			mu.Lock()
			defer mu.Unlock()
			for i, id := range chunk {
				var ac moodle.ActivitiesCompletion
				if err := res[slots[i].activities].Decode(reqs[slots[i].activities].Function, &ac); err != nil {
					failed++
					continue
				}
				in.Completion[id] = &ac
				if c := slots[i].course; c >= 0 {
					var cc moodle.CourseCompletion
					if err := res[c].Decode(reqs[c].Function, &cc); err == nil {
						in.CourseCompletion[id] = &cc
					}
				}
			}
			return nil
		})
	}
	err := g.Wait()
	if failed > 0 {
		missing(fmt.Sprintf("activity completion for %d students", failed))
	}
	return err
}

// activeFromParticipants finds the active enrolments for a user without
// moodle/course:enrolreview (a non-editing teacher), whom Moodle refuses onlyactive:
// mod_assign_list_participants lists only active enrolments to graders.
func (l *Loader) activeFromParticipants(ctx context.Context, w Who, in *cohort.Input, cause error) error {
	if len(in.Assignments) == 0 {
		return cause
	}
	ps, err := l.mc.ListParticipants(ctx, w.Token, moodle.ListParticipantsOptions{AssignID: in.Assignments[0].ID, OnlyIDs: true})
	if err != nil {
		return err
	}
	in.ActiveIDs = idSet(len(ps), func(yield func(int64)) {
		for _, p := range ps {
			yield(p.ID)
		}
	})
	// Staff are not assignment participants but are active: keep them.
	for _, u := range in.Roster {
		if !moodle.HasRole(u.Roles, "student") {
			in.ActiveIDs[u.ID] = true
		}
	}
	return nil
}

func idSet(n int, each func(yield func(int64))) map[int64]bool {
	m := make(map[int64]bool, n)
	each(func(id int64) { m[id] = true })
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

// studentIDs lists the roster's students (staff have no completion to show).
func studentIDs(roster []moodle.EnrolledUser) []int64 {
	var ids []int64
	for _, u := range roster {
		if moodle.HasRole(u.Roles, "student") {
			ids = append(ids, u.ID)
		}
	}
	return ids
}

func assignIDs(as []moodle.Assignment) []int64 {
	ids := make([]int64, 0, len(as))
	for _, a := range as {
		ids = append(ids, a.ID)
	}
	return ids
}
