package handlers

import (
	"io"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/knowthystudents/kts/internal/export"
	"github.com/knowthystudents/kts/views"
)

// activities is the design review: completion per activity in course order, drop-off,
// groups side by side and assignment timeliness. It reads the same cached snapshot as the
// cohort view.
func (s *server) activities(w http.ResponseWriter, r *http.Request) error {
	cd, q, err := s.loadCourseQuery(r)
	if err != nil {
		return err
	}
	rep := cd.cohort.ActivityReport(q.Group, q.Suspended)
	tl := cd.cohort.AssignmentTimeliness(q.Group, q.Suspended)
	v := views.NewActivitiesView(cd.cohort, q, rep, tl, cd.loc)
	p := s.page(r, "Activities · "+cd.cohort.Course.FullName, courseCrumbs(cd.cohort, views.Crumb{Label: "Activities"})...)
	s.render(w, r, http.StatusOK, views.ActivitiesPage(p, v))
	return nil
}

// activitiesCSV is the activity report as CSV, with the page's filters.
func (s *server) activitiesCSV(w http.ResponseWriter, r *http.Request) error {
	cd, q, err := s.loadCourseQuery(r)
	if err != nil {
		return err
	}
	return writeCSV(w, r, csvName(cd.cohort, "activities"), func(w io.Writer) error {
		return export.WriteActivitiesCSV(w, cd.cohort.ActivityReport(q.Group, q.Suspended))
	})
}

// activity lists who has and has not completed one activity.
func (s *server) activity(w http.ResponseWriter, r *http.Request) error {
	cmid, err := parseID(chi.URLParam(r, "cmid"), "activity")
	if err != nil {
		return err
	}
	cd, q, err := s.loadCourseQuery(r)
	if err != nil {
		return err
	}
	d, ok := cd.cohort.ActivityDetail(cmid, q.Group, q.Suspended)
	if !ok || !d.Activity.HasCompletion() {
		return notFoundf("This course has no activity with completion tracking at this address.")
	}
	v := views.NewActivityView(cd.cohort, q, d, cd.loc)
	p := s.page(r, d.Activity.Name, courseCrumbs(cd.cohort, views.Crumb{Label: "Activities", Href: views.ActivitiesPath(cd.id)}, views.Crumb{Label: d.Activity.Name})...)
	s.render(w, r, http.StatusOK, views.ActivityPage(p, v))
	return nil
}
