package handlers

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"
	"github.com/knowthystudents/kts/internal/attention"
	"github.com/knowthystudents/kts/internal/auth"
	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/export"
	"github.com/knowthystudents/kts/internal/load"
	"github.com/knowthystudents/kts/views"
)

// courseData is a course as the signed-in user sees it now.
type courseData struct {
	id     int64
	view   load.View
	snap   *load.Snapshot
	cohort *cohort.Cohort
}

// loadCourse parses the course id and gets the user's complete snapshot of the course (a
// stale one while a refresh runs behind it) with its cohort.
func (s *server) loadCourse(r *http.Request) (*courseData, error) {
	return s.loadCourseWait(r, load.WaitComplete)
}

// loadCourseWait is loadCourse, or with load.WaitEarly whatever can be shown already.
func (s *server) loadCourseWait(r *http.Request, wait load.Wait) (*courseData, error) {
	id, err := parseID(chi.URLParam(r, "courseid"), "course")
	if err != nil {
		return nil, err
	}
	v, err := s.Loader.Course(r.Context(), s.who(userFrom(r)), id, wait)
	if err != nil {
		return nil, err
	}
	return s.courseData(r, id, v), nil
}

// courseData builds the cohort with the signed-in teacher's flag rules for the course.
func (s *server) courseData(r *http.Request, id int64, v load.View) *courseData {
	return &courseData{id: id, view: v, snap: v.Snapshot, cohort: v.Cohort(s.Now(), s.teacherConfig(r, id))}
}

// query parses the cohort query; a malformed value is a 400 with the parser's sentence.
func query(r *http.Request, c *cohort.Cohort) (cohort.Query, error) {
	q, err := cohort.ParseQuery(r.URL.Query(), c)
	var qe *cohort.QueryError
	if errors.As(err, &qe) {
		return q, badRequest(qe.Reason)
	}
	return q, err
}

func courseCrumbs(c *cohort.Cohort, extra ...views.Crumb) []views.Crumb {
	crumbs := []views.Crumb{{Label: "My courses", Href: "/"}, {Label: c.Course.FullName, Href: "/course/" + strconv.FormatInt(c.Course.ID, 10)}}
	return append(crumbs, extra...)
}

// isFragment reports whether htmx asked for the part of the page it swaps.
func isFragment(r *http.Request) bool {
	return r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-History-Restore-Request") != "true"
}

// cohort is the cohort view: every student with completion, assignments and flags, a page
// of rows at a time. A browser that runs scripts gets the page as soon as the roster is in
// and fills it in (cohortRows); one that does not gets it complete.
func (s *server) cohort(w http.ResponseWriter, r *http.Request) error {
	wait := load.WaitComplete
	if s.progressive(r) {
		wait = load.WaitEarly
	}
	cd, err := s.loadCourseWait(r, wait)
	if err != nil {
		return err
	}
	v, err := s.cohortView(r, cd)
	if err != nil {
		return err
	}
	if isFragment(r) {
		s.render(w, r, http.StatusOK, views.CohortResults(v))
		return nil
	}
	p := s.page(r, cd.cohort.Course.FullName, courseCrumbs(cd.cohort)...)
	s.render(w, r, http.StatusOK, views.CohortPage(p, v))
	return nil
}

// cohortView shapes the page of the cohort the request asks for (query and page).
func (s *server) cohortView(r *http.Request, cd *courseData) (views.CohortView, error) {
	q, err := query(r, cd.cohort)
	if err != nil {
		return views.CohortView{}, err
	}
	page, err := parsePage(r)
	if err != nil {
		return views.CohortView{}, err
	}
	snap := cd.snap
	st := views.LoadState{Loading: !snap.Complete, AssignmentsPending: snap.AssignmentsPending,
		CompletionPending: snap.CompletionPending, Refreshing: cd.view.Loading && snap.Complete}
	if !snap.RefreshFailed.IsZero() {
		st.RefreshFailed = snap.RefreshFailed.In(s.Location).Format("15:04")
	}
	rows, page, total := cd.cohort.RowsPage(q, page, s.PageSize)
	if cd.view.Loading && s.progressive(r) {
		st.PollHref = pollHref(cd.id, q, page, snap.Version)
	}
	var changes *views.ChangesSummary
	if snap.Complete {
		if visit := s.visit(r, cd); !visit.Previous.IsZero() {
			changes = views.NewChangesSummary("/course/"+strconv.FormatInt(cd.id, 10),
				attention.Since(cd.cohort, visit.Previous, visit.PreviousFlags), s.Location)
		}
	}
	return views.NewCohortView(views.CohortParams{Cohort: cd.cohort, Query: q, Rows: rows, Total: total, Page: page,
		PageSize: s.PageSize, LoadedAt: snap.LoadedAt, Load: st, Now: s.Now(), Loc: s.Location, MaxRecipients: s.MaxRecipients,
		States: s.states(r, cd), Changes: changes}), nil
}

// refresh asks Moodle again, then goes back to the page: what changed since the last load,
// or everything with full=1. A browser that runs scripts goes back at once and watches the
// refresh land; one that does not waits for it here.
func (s *server) refresh(w http.ResponseWriter, r *http.Request) error {
	id, err := parseID(chi.URLParam(r, "courseid"), "course")
	if err != nil {
		return err
	}
	full := r.PostFormValue("full") == "1"
	if _, err := s.Loader.Refresh(r.Context(), s.who(userFrom(r)), id, full, !s.progressive(r)); err != nil {
		return err
	}
	next := auth.SafeNext(r.PostFormValue("next"))
	if next == "/" {
		next = "/course/" + strconv.FormatInt(id, 10)
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// exportCSV is the cohort as CSV, with the page's filter and sort.
func (s *server) exportCSV(w http.ResponseWriter, r *http.Request) error {
	cd, q, err := s.loadCourseQuery(r)
	if err != nil {
		return err
	}
	return writeCSV(w, csvName(cd.cohort, "students"), func(w io.Writer) error {
		return export.WriteCohortCSV(w, cd.cohort, cd.cohort.Rows(q))
	})
}

// loadCourseQuery loads the course and parses the page's query against it.
func (s *server) loadCourseQuery(r *http.Request) (*courseData, cohort.Query, error) {
	cd, err := s.loadCourse(r)
	if err != nil {
		return nil, cohort.Query{}, err
	}
	q, err := query(r, cd.cohort)
	return cd, q, err
}

func csvName(c *cohort.Cohort, what string) string {
	name := c.Course.ShortName
	if name == "" {
		name = "course-" + strconv.FormatInt(c.Course.ID, 10)
	}
	safe := make([]rune, 0, len(name))
	for _, r := range name {
		if r < 0x80 && (r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			safe = append(safe, r)
		} else {
			safe = append(safe, '_')
		}
	}
	return string(safe) + "-" + what + ".csv"
}

// writeCSV writes a CSV download, rendered into a buffer first so that a failure is an error
// page, not half a file.
func writeCSV(w http.ResponseWriter, filename string, write func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	w.Write(buf.Bytes())
	return nil
}
