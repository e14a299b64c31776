package cohort

import (
	"time"

	"github.com/knowthystudents/kts/internal/when"
)

// Expires returns the first moment after c.Now at which Build, given the same input, would
// give some student another status, flag or flag reason: a due date or an extension that
// runs out, a student who turns inactive or one more day away, a new year (dates then show
// their year). Until then c can be reused as it is, which spares rebuilding a 5,000-student
// cohort on every request. It is the zero Time when nothing lies ahead.
func (c *Cohort) Expires() time.Time {
	var next time.Time
	after := func(t time.Time) {
		if t.After(c.Now) && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	edge := func(t when.Time) {
		if !t.Never() {
			// statusOf compares with now.After(t): the status moves just past t.
			after(t.Time().Add(time.Nanosecond))
		}
	}
	for _, a := range c.Assignments {
		edge(a.DueDate)
	}
	day := 24 * time.Hour
	for i := range c.Students {
		s := &c.Students[i]
		for _, st := range s.Assignments {
			edge(st.ExtensionUntil)
		}
		if s.LastCourseAccess.Never() {
			continue
		}
		last := s.LastCourseAccess.Time()
		if away := c.Now.Sub(last); away <= c.Config.InactiveAfter {
			after(last.Add(c.Config.InactiveAfter + time.Nanosecond))
		} else {
			after(last.Add((away/day + 1) * day)) // "no course access for N days" counts whole days
		}
	}
	y := c.Now.In(c.Config.Location).Year()
	after(time.Date(y+1, time.January, 1, 0, 0, 0, 0, c.Config.Location))
	return next
}
