package handlers

import (
	"net/http"
	"time"

	"github.com/knowthystudents/kts/internal/attention"
	"github.com/knowthystudents/kts/views"
)

// firstLook is how far back the changes page looks when the teacher has no previous visit.
const firstLook = 7 * 24 * time.Hour

// changes is what changed in the course since this teacher's previous visit, or since
// ?since= (RFC 3339).
func (s *server) changes(w http.ResponseWriter, r *http.Request) error {
	cd, err := s.loadCourse(r)
	if err != nil {
		return err
	}
	visit := s.visit(r, cd)
	since, prev, basis := visit.Previous, visit.PreviousFlags, views.SincePrevious
	if t, ok, err := parseSince(r.URL.Query(), s.Now()); err != nil {
		return err
	} else if ok {
		since, prev, basis = t, nil, views.SinceGiven
	} else if since.IsZero() {
		since, basis = s.Now().Add(-firstLook), views.SinceFirst
	}
	ch := attention.Since(cd.cohort, since, prev)
	v := views.NewChangesView(cd.cohort, ch, basis, s.Now(), s.zone(r))
	if isFragment(r) {
		s.render(w, r, http.StatusOK, views.ChangesContent(v))
		return nil
	}
	p := s.page(r, "What changed · "+cd.cohort.Course.FullName, courseCrumbs(cd.cohort, views.Crumb{Label: "What changed"})...)
	s.render(w, r, http.StatusOK, views.ChangesPage(p, v))
	return nil
}
