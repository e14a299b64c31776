package handlers

import (
	"bytes"
	"cmp"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

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
	view   load.Latest
	snap   *load.Snapshot
	cohort *cohort.Cohort
	loc    *time.Location // the teacher's zone, for every date the page shows
}

// loadCourse parses the course id and gets the user's complete snapshot of the course (a
// stale one while a refresh runs behind it) with its cohort.
func (s *server) loadCourse(r *http.Request) (*courseData, error) {
	return s.loadCourseWait(r, load.WaitComplete)
}

// loadStudent loads the course of the URL and the student {userid} in it: a malformed id is a
// 400, a student this teacher cannot see in the course a 404.
func (s *server) loadStudent(r *http.Request) (*courseData, cohort.Student, error) {
	uid, err := parseID(chi.URLParam(r, "userid"), "student")
	if err != nil {
		return nil, cohort.Student{}, err
	}
	cd, err := s.loadCourse(r)
	if err != nil {
		return nil, cohort.Student{}, err
	}
	st, ok := cd.cohort.Student(uid)
	if !ok {
		return nil, cohort.Student{}, load.ErrStudentNotFound
	}
	return cd, st, nil
}

// loadCourseWait is loadCourse, or with load.WaitEarly whatever can be shown already. It
// gives up before the server's write deadline would cut the answer: a page that says the load
// goes on is better than a dropped connection.
func (s *server) loadCourseWait(r *http.Request, wait load.Wait) (*courseData, error) {
	id, err := parseID(chi.URLParam(r, "courseid"), "course")
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.pageDeadline())
	defer cancel()
	v, err := s.Loader.Course(ctx, userFrom(r).Credentials, id, wait)
	if err != nil {
		if ctx.Err() != nil && r.Context().Err() == nil {
			return nil, stillLoading(err)
		}
		return nil, err
	}
	return s.courseData(r, id, v), nil
}

// loadFirstScreen is what a cohort page without JavaScript waits for: the complete course when
// it comes within firstScreen, else whatever can be shown (the roster at least), which the
// page then refreshes itself to complete.
func (s *server) loadFirstScreen(r *http.Request) (*courseData, error) {
	id, err := parseID(chi.URLParam(r, "courseid"), "course")
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(r.Context(), cmp.Or(s.FirstScreen, firstScreen))
	defer cancel()
	v, err := s.Loader.Course(ctx, userFrom(r).Credentials, id, load.WaitComplete)
	if err == nil {
		return s.courseData(r, id, v), nil
	}
	if ctx.Err() == nil || r.Context().Err() != nil {
		return nil, err
	}
	return s.loadCourseWait(r, load.WaitEarly)
}

// firstScreen is how long a page without JavaScript waits for a complete course before it
// shows what is in (the "something useful within a second"), unless Deps.FirstScreen
// says otherwise.
const firstScreen = time.Second

// selfRefresh is how often a page without JavaScript that is still filling in reloads itself.
const selfRefresh = 3

// pageDeadline is how long a request may wait for Moodle: the configured one, else a minute.
func (s *server) pageDeadline() time.Duration {
	if s.PageDeadline > 0 {
		return s.PageDeadline
	}
	return time.Minute
}

// stillLoading is the page a wait past the page deadline ends in: the load goes on (loads are
// not tied to the request), so opening the page again later finds it further along or done.
func stillLoading(err error) error {
	return &httpError{Status: http.StatusGatewayTimeout, Heading: "Moodle is still sending this course", Cause: err,
		Message: "Moodle has not sent everything this page needs yet, and the dashboard stopped waiting so that your browser is not left hanging. The dashboard goes on loading the course in the background.",
		Next:    "Open the page again in a minute: it will show what has arrived by then. A big course on a busy Moodle can take a few minutes the first time."}
}

// courseData builds the cohort with the signed-in teacher's flag rules for the course, its
// words in the teacher's time zone.
func (s *server) courseData(r *http.Request, id int64, v load.Latest) *courseData {
	loc := s.zone(r)
	cfg := s.teacherConfig(r, id)
	cfg.Location = loc
	return &courseData{id: id, view: v, snap: v.Snapshot, loc: loc, cohort: v.Cohort(s.Now(), cfg)}
}

func courseCrumbs(c *cohort.Cohort, extra ...views.Crumb) []views.Crumb {
	crumbs := []views.Crumb{{Label: "My courses", Href: "/"}, {Label: c.Course.FullName, Href: views.CoursePath(c.Course.ID)}}
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
	var cd *courseData
	var err error
	switch {
	case s.progressive(r):
		cd, err = s.loadCourseWait(r, load.WaitEarly)
	case s.Loader.Progressive() && !isFragment(r):
		cd, err = s.loadFirstScreen(r)
	default:
		cd, err = s.loadCourseWait(r, load.WaitComplete)
	}
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
	if (v.Load.Loading || v.Load.Refreshing) && v.Load.PollHref == "" {
		// No JavaScript to fill the page in: it reloads itself until the load is done.
		p.Refresh = selfRefresh
		v.Load.SelfRefresh = selfRefresh
	}
	s.render(w, r, http.StatusOK, views.CohortPage(p, v))
	return nil
}

// cohortView shapes the page of the cohort the request asks for (query and page).
func (s *server) cohortView(r *http.Request, cd *courseData) (views.CohortView, error) {
	q, err := cohortQuery(r, cd.cohort)
	if err != nil {
		return views.CohortView{}, err
	}
	q = s.withSavedCols(r, cd.id, q)
	page, err := parsePage(r.URL.Query())
	if err != nil {
		return views.CohortView{}, err
	}
	snap := cd.snap
	st := views.LoadState{Loading: !snap.Complete, AssignmentsPending: snap.AssignmentsPending,
		CompletionPending: snap.CompletionPending, Refreshing: cd.view.Loading && snap.Complete}
	if !snap.RefreshFailed.IsZero() {
		st.RefreshFailed = snap.RefreshFailed.In(cd.loc).Format("15:04")
	}
	rows, page, total := cd.cohort.RowsPage(q, page, s.PageSize)
	if cd.view.Loading && s.progressive(r) {
		st.PollHref = views.PollHref(cd.id, q, page, snap.Version)
	}
	var changes *views.ChangesSummary
	if snap.Complete {
		if visit := s.visit(r, cd); !visit.Previous.IsZero() {
			changes = views.NewChangesSummary(cd.id,
				attention.Since(cd.cohort, visit.Previous, visit.PreviousFlags), s.zone(r))
		}
	}
	return views.NewCohortView(views.CohortParams{Cohort: cd.cohort, Query: q, Rows: rows, Total: total, Page: page,
		PageSize: s.PageSize, LoadedAt: snap.LoadedAt, Load: st, Now: s.Now(), Loc: cd.loc, MaxRecipients: s.MaxRecipients,
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
	if _, err := s.Loader.Refresh(r.Context(), userFrom(r).Credentials, id, full, !s.progressive(r)); err != nil {
		return err
	}
	next := auth.SafeNext(r.PostFormValue("next"))
	if next == "/" {
		next = views.CoursePath(id)
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
	return writeCSV(w, r, csvName(cd.cohort, "students"), func(w io.Writer) error {
		return export.WriteCohortCSV(w, cd.cohort, cd.cohort.Rows(q))
	})
}

// exportXLSX is the cohort as a spreadsheet for people: the same rows as the page (same
// query), headers and statuses in words, dates in the teacher's zone.
func (s *server) exportXLSX(w http.ResponseWriter, r *http.Request) error {
	cd, q, err := s.loadCourseQuery(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := export.WriteCohortXLSX(&buf, cd.cohort, cd.cohort.Rows(q), cd.loc, q.Cols); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+strings.TrimSuffix(csvName(cd.cohort, "students"), ".csv")+`.xlsx"`)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	w.Write(buf.Bytes())
	return nil
}

// loadCourseQuery loads the course and parses the page's query against it.
func (s *server) loadCourseQuery(r *http.Request) (*courseData, cohort.Query, error) {
	cd, err := s.loadCourse(r)
	if err != nil {
		return nil, cohort.Query{}, err
	}
	q, err := cohortQuery(r, cd.cohort)
	return cd, s.withSavedCols(r, cd.id, q), err
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
// page, not half a file. With ?bom=1 the file starts with a UTF-8 byte order mark, which Excel
// on Windows needs to read "Björn" right; scripts get none unless they ask.
func writeCSV(w http.ResponseWriter, r *http.Request, filename string, write func(io.Writer) error) error {
	var buf bytes.Buffer
	if wantsBOM(r.URL.Query()) {
		buf.WriteString("\ufeff")
	}
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
