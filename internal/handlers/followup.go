package handlers

import (
	"net/http"

	"github.com/knowthystudents/kts/internal/attention"
	"github.com/knowthystudents/kts/views"
)

// followup is every student this teacher messaged from the dashboard in the course, whether
// they acted since, and who did nothing FollowUpAfter later.
func (s *server) followup(w http.ResponseWriter, r *http.Request) error {
	cd, err := s.loadCourse(r)
	if err != nil {
		return err
	}
	s.visit(r, cd)
	contacts, err := s.Memory.Contacts(r.Context(), s.memKey(r, cd.id))
	if err != nil {
		return err
	}
	fs := attention.FollowUps(cd.cohort, contacts, s.FollowUpAfter, s.Now())
	v := views.NewFollowUpView(cd.cohort, fs, s.FollowUpAfter, s.Now(), s.zone(r))
	if isFragment(r) {
		s.render(w, r, http.StatusOK, views.FollowUpContent(v))
		return nil
	}
	p := s.page(r, "Follow-up · "+cd.cohort.Course.FullName, courseCrumbs(cd.cohort, views.Crumb{Label: "Follow-up"})...)
	s.render(w, r, http.StatusOK, views.FollowUpPage(p, v))
	return nil
}
