package handlers

import (
	"bytes"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/knowthystudents/kts/internal/auth"
	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/export"
	"github.com/knowthystudents/kts/internal/load"
	"github.com/knowthystudents/kts/views"
)

// courseData is a course as the signed-in user sees it now.
type courseData struct {
	id     int64
	snap   *load.Snapshot
	cohort *cohort.Cohort
}

// loadCourse parses the course id, loads (or reuses) the user's snapshot and builds the cohort.
func (s *server) loadCourse(r *http.Request) (*courseData, error) {
	id, err := parseID(chi.URLParam(r, "courseid"), "course")
	if err != nil {
		return nil, err
	}
	snap, err := s.Loader.Course(r.Context(), s.who(userFrom(r)), id, false)
	if err != nil {
		return nil, err
	}
	return &courseData{id: id, snap: snap, cohort: cohort.Build(snap.Input, s.Now(), s.Cohort)}, nil
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

// cohort is the cohort view: every student with completion, assignments and flags.
func (s *server) cohort(w http.ResponseWriter, r *http.Request) error {
	cd, err := s.loadCourse(r)
	if err != nil {
		return err
	}
	q, err := query(r, cd.cohort)
	if err != nil {
		return err
	}
	rows := cd.cohort.Rows(q)
	v := views.NewCohortView(cd.cohort, q, rows, cd.snap.LoadedAt, s.Now(), time.Local)
	if isFragment(r) {
		s.render(w, r, http.StatusOK, views.CohortResults(v))
		return nil
	}
	p := s.page(r, cd.cohort.Course.FullName, courseCrumbs(cd.cohort)...)
	s.render(w, r, http.StatusOK, views.CohortPage(p, v))
	return nil
}

// refresh drops the cached course and loads it anew, then goes back to the page.
func (s *server) refresh(w http.ResponseWriter, r *http.Request) error {
	id, err := parseID(chi.URLParam(r, "courseid"), "course")
	if err != nil {
		return err
	}
	if _, err := s.Loader.Course(r.Context(), s.who(userFrom(r)), id, true); err != nil {
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
	cd, err := s.loadCourse(r)
	if err != nil {
		return err
	}
	q, err := query(r, cd.cohort)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := export.WriteCohortCSV(&buf, cd.cohort, cd.cohort.Rows(q)); err != nil {
		return err
	}
	writeCSV(w, csvName(cd.cohort, "students"), buf.Bytes())
	return nil
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

func writeCSV(w http.ResponseWriter, filename string, body []byte) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}
