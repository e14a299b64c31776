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

// graderCapability is held by editing and non-editing teachers and managers, not students:
// asking Moodle for the course's users with it returns the (short) staff list.
const graderCapability = "moodle/grade:viewall"

// TeachingCourses lists the courses where the user can see grades, i.e. teaches. It costs two
// requests whatever the number of courses: the user's courses, then one batch asking each
// course for its staff.
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
		reqs := make([]moodle.BatchRequest, len(courses))
		for i, c := range courses {
			reqs[i] = moodle.BatchRequest{Function: "core_enrol_get_enrolled_users", Args: map[string]any{
				"courseid": c.ID,
				"options":  []map[string]string{{"name": "withcapability", "value": graderCapability}, {"name": "userfields", "value": "id"}},
			}}
		}
		res, err := l.mc.Batch(ctx, w.Token, reqs)
		if err != nil {
			return nil, err
		}
		var out []TeachingCourse
		for i, c := range courses {
			var staff []moodle.EnrolledUser
			if res[i].Decode(reqs[i].Function, &staff) != nil {
				continue
			}
			if _, ok := findUser(staff, w.UserID); ok {
				out = append(out, TeachingCourse{ID: c.ID, FullName: c.FullName, ShortName: c.ShortName,
					Students: c.EnrolledUserCount, Visible: c.Visible != 0 && !c.Hidden})
			}
		}
		sort.SliceStable(out, func(i, j int) bool { return out[i].FullName < out[j].FullName })
		l.cache.Set(key, out)
		return out, nil
	})
}
