package load

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/knowthystudents/kts/internal/cache"
	"github.com/knowthystudents/kts/internal/moodle"
)

// TeachingCourse is a course where the user holds a teaching role, for the home page.
type TeachingCourse struct {
	ID        int64
	FullName  string
	ShortName string
	Students  int // enrolled users as Moodle counts them (staff included)
	Visible   bool
}

// ErrCourseListIncomplete: Moodle did not say, for some course, whether the user teaches it.
var ErrCourseListIncomplete = errors.New("load: course list incomplete")

// IncompleteError is a course list that could not be told: the course whose profile failed,
// and why. It is not cached: "you teach nothing" after a failure would stay for minutes.
type IncompleteError struct {
	CourseID int64
	Err      error
}

func (e *IncompleteError) Error() string {
	return fmt.Sprintf("load: course list: course %d: %v", e.CourseID, e.Err)
}

// Is matches ErrCourseListIncomplete; Unwrap gives the cause (a timeout, an invalid token).
func (e *IncompleteError) Is(target error) bool { return target == ErrCourseListIncomplete }
func (e *IncompleteError) Unwrap() error        { return e.Err }

// TeachingCourses lists the courses where the user holds a teaching role. It costs two requests
// whatever the number of courses: the user's courses, then one batch asking each course for the
// user's own course profile, whose roles say what they are there. (Asking for a course's staff
// with withcapability needs moodle/role:review, which a non-editing teacher may lack; one's own
// profile is always visible.) A course whose profile Moodle refuses (no access) is not
// taught; any other failure fails the whole list, uncached (ErrCourseListIncomplete).
func (l *Loader) TeachingCourses(ctx context.Context, w moodle.Credentials) ([]TeachingCourse, error) {
	key := cache.Key{Owner: owner(w), Kind: "teaching-courses"}
	if v, ok := cache.Get[[]TeachingCourse](l.cache, key); ok {
		return v, nil
	}
	return shared(ctx, l, key.String(), func(ctx context.Context) ([]TeachingCourse, error) {
		courses, err := l.mc.UsersCourses(ctx, w.Token, w.UserID)
		if err != nil {
			return nil, err
		}
		profiles := make([]*moodle.BatchCall[[]moodle.CourseUserProfile], len(courses))
		calls := make([]moodle.BatchItem, len(courses))
		for i, c := range courses {
			profiles[i] = moodle.OwnCourseProfileCall(w.UserID, c.ID)
			calls[i] = profiles[i]
		}
		if err := l.mc.RunBatch(ctx, w.Token, calls...); err != nil {
			return nil, err
		}
		var out []TeachingCourse
		for i, c := range courses {
			me, err := profiles[i].Reply, profiles[i].Err
			switch {
			case errors.Is(err, moodle.ErrNoPermission), errors.Is(err, moodle.ErrNotFound):
				continue // Moodle's answer: no access to the course (a suspended enrolment, a hidden course), so no teaching
			case err != nil:
				return nil, &IncompleteError{CourseID: c.ID, Err: err}
			case len(me) != 1:
				return nil, &IncompleteError{CourseID: c.ID, Err: fmt.Errorf("%d profiles in the reply; want 1", len(me))}
			}
			if moodle.HasRole(me[0].Roles, teachingRoles...) {
				out = append(out, TeachingCourse{ID: c.ID, FullName: c.FullName, ShortName: c.ShortName,
					Students: c.EnrolledUserCount, Visible: c.Visible != 0 && !c.Hidden})
			}
		}
		sort.SliceStable(out, func(i, j int) bool { return out[i].FullName < out[j].FullName })
		l.cache.Set(key, out)
		return out, nil
	})
}
