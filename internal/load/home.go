package load

import (
	"context"
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

// TeachingCourses lists the courses where the user holds a teaching role. It costs two requests
// whatever the number of courses: the user's courses, then one batch asking each course for the
// user's own course profile, whose roles say what they are there. (Asking for a course's staff
// with withcapability needs moodle/role:review, which a non-editing teacher may lack; one's own
// profile is always visible.)
func (l *Loader) TeachingCourses(ctx context.Context, w Who) ([]TeachingCourse, error) {
	key := cache.Key{Owner: w.Owner(), Kind: "teaching-courses"}
	if v, ok := l.cache.Get(key); ok {
		return v.([]TeachingCourse), nil
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
			me := profiles[i].Reply
			if profiles[i].Err != nil || len(me) != 1 {
				continue
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
