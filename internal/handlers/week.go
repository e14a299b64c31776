package handlers

import (
	"net/http"

	"github.com/knowthystudents/kts/internal/attention"
	"github.com/knowthystudents/kts/internal/load"
	"github.com/knowthystudents/kts/views"
)

// week sums up each course for the home page from what is cached and stored only: a course
// not loaded yet says so and is not loaded here (every course at once would be a storm of
// Moodle calls).
func (s *server) week(r *http.Request, courses []load.TeachingCourse) []views.WeekCourse {
	u, _ := s.sess.Current(r.Context())
	who, loc := u.Credentials, s.zone(r)
	out := make([]views.WeekCourse, 0, len(courses))
	for _, c := range courses {
		wc := views.WeekCourse{ID: c.ID, FullName: c.FullName}
		lv, ok := s.Loader.Cached(who, c.ID)
		if !ok {
			out = append(out, wc)
			continue
		}
		k := attention.Key{Site: s.Moodle.BaseURL(), UserID: u.UserID, CourseID: c.ID}
		rules, err := s.Memory.Rules(r.Context(), k)
		if err != nil {
			s.Log.Error("reading flag rules", "course", c.ID, "err", err)
		}
		co := lv.Cohort(s.Now(), rules.Config(s.Cohort, loc))
		wc.Loaded = true
		visit, err := s.Memory.LastVisit(r.Context(), k)
		if err != nil {
			s.Log.Error("reading visits", "course", c.ID, "err", err)
		}
		wc.Visited = !visit.Current.IsZero()
		wc.NewAttention = len(attention.NewlyFlagged(co, visit.CurrentFlags))
		contacts, err := s.Memory.Contacts(r.Context(), k)
		if err != nil {
			s.Log.Error("reading contacts", "course", c.ID, "err", err)
		}
		wc.FollowUpsDue = attention.DueCount(attention.FollowUps(co, contacts, s.FollowUpAfter, s.Now()))
		for _, st := range co.Students {
			if st.Suspended {
				continue
			}
			for i, a := range st.Assignments {
				if a.NeedsGrading {
					wc.WaitingGrade++
					if wc.WaitingCMID == 0 {
						wc.WaitingCMID = co.Assignments[i].CMID
					}
				}
			}
		}
		out = append(out, wc)
	}
	return out
}
