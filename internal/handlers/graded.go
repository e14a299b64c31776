package handlers

import (
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5/middleware"
	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/views"
)

// The graded columns a teacher chooses on the cohort page (quizzes, rated forums, ...) stick:
// the form posts them to /course/N/columns, which saves them in the store for this teacher
// and course and goes back to the page with them. A page address without cols= shows the
// saved ones; one with cols= shows what it says and saves nothing (a shared or bookmarked
// link is not a choice). "No grade columns" resets the choice.

// withSavedCols fills q.Cols with the teacher's saved columns for the course when the
// address names none. A store that cannot be read leaves the page without them: the
// columns are a convenience, not worth an error page.
func (s *server) withSavedCols(r *http.Request, courseID int64, q cohort.Query) cohort.Query {
	if _, asked := r.URL.Query()[views.ParamCols]; asked {
		return q
	}
	cols, err := s.Store.GradedColumns(r.Context(), s.memKey(r, courseID))
	if err != nil {
		s.Log.Warn("reading the saved grade columns", "course", courseID, "request_id", middleware.GetReqID(r.Context()), "err", err)
		return q
	}
	q.Cols = cols
	return q
}

// saveColumns saves the graded columns chosen in the form (none with action=reset) and
// sends the teacher back to the cohort page, with its filter and sort, showing them.
func (s *server) saveColumns(w http.ResponseWriter, r *http.Request) error {
	cd, err := s.loadCourse(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	q, err := parseCohortQuery(r.PostForm, cd.cohort)
	if qe := (*queryError)(nil); errors.As(err, &qe) {
		return badRequest(qe.Reason)
	} else if err != nil {
		return err
	}
	if r.PostForm.Get("action") == "reset" {
		q = q.WithoutCols()
	}
	if err := s.Store.SetGradedColumns(r.Context(), s.memKey(r, cd.id), q.Cols, s.Now()); err != nil {
		return err
	}
	http.Redirect(w, r, views.WithQuery(views.CoursePath(cd.id), q), http.StatusSeeOther)
	return nil
}
