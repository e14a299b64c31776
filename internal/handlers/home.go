package handlers

import (
	"net/http"

	"github.com/knowthystudents/kts/views"
)

// home is the course list, or the sign-in page when signed out. /?courseid=N and /?id=N (what a
// Moodle URL resource with URL variables sends) go to the course.
func (s *server) home(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	for _, name := range []string{views.ParamCourse, "id"} {
		if q.Has(name) {
			id, err := parseID(q.Get(name), "course")
			if err != nil {
				return err
			}
			http.Redirect(w, r, views.CoursePath(id), http.StatusSeeOther)
			return nil
		}
	}
	u, ok := s.sess.Current(r.Context())
	if !ok {
		return s.signInForm(w, r)
	}
	courses, err := s.Loader.TeachingCourses(r.Context(), u.Credentials)
	if err != nil {
		return err
	}
	m := views.Home{}
	for _, c := range courses {
		m.Courses = append(m.Courses, views.HomeCourse{ID: c.ID, FullName: c.FullName, ShortName: c.ShortName, Enrolled: c.Students, Hidden: !c.Visible})
	}
	m.Week = s.week(r, courses)
	s.render(w, r, http.StatusOK, views.HomePage(s.page(r, "My courses"), m))
	return nil
}
