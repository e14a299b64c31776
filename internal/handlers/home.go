package handlers

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/knowthystudents/kts/views"
)

// home is the course list, or the sign-in page when signed out. /?courseid=N and /?id=N (what a
// Moodle URL resource with URL variables sends) go to the course.
func (s *server) home(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	for _, name := range []string{"courseid", "id"} {
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
	courses, err := s.Loader.TeachingCourses(r.Context(), s.who(u))
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

// parseID reads a Moodle id from a URL: a positive whole number that fits in 63 bits.
func parseID(v, what string) (int64, error) {
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		if v == "" {
			return 0, badRequest("The " + what + " number is missing from this address.")
		}
		return 0, badRequest("“" + clip(v, 40) + "” is not a valid " + what + " number: it must be a whole number above zero.")
	}
	return id, nil
}

// clip shortens user input echoed in a sentence, made valid UTF-8.
func clip(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
