package cohort_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/intake/intaketest"
)

// shown is what a teacher reads of a cohort at one moment: every status, flag and reason.
func shown(c *cohort.Cohort) []string {
	var out []string
	for _, s := range c.Students {
		line := fmt.Sprint(s.ID)
		for _, a := range s.Assignments {
			line += " " + string(a.Status)
		}
		for _, f := range s.Flags {
			line += " " + string(f.Code) + ":" + f.Reason
		}
		out = append(out, line)
	}
	return out
}

// TestExpiresIsExact checks the promise Expires makes, on the recorded course and on
// synthetic ones at several moments: nothing a teacher reads changes before it, and something
// does at it (unless it is the new year, which only changes how dates are written).
func TestExpiresIsExact(t *testing.T) {
	t.Parallel()
	kts, seeded := intaketest.KTS101(t)
	tests := []struct {
		name string
		in   cohort.Input
		now  time.Time
	}{
		{"KTS101 at seededat", kts, seeded},
		{"KTS101 a day later", kts, seeded.Add(day)},
		{"KTS101 a month later", kts, seeded.Add(30 * day)},
		{"synthetic 300", intaketest.Synthetic(300, benchNow()), benchNow()},
		{"synthetic 300, 10 days on", intaketest.Synthetic(300, benchNow()), benchNow().Add(10 * day)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := cohort.Build(tt.in, tt.now, cohort.DefaultConfig())
			exp := c.Expires()
			if !exp.After(tt.now) {
				t.Fatalf("Expires() = %v; want after now %v", exp, tt.now)
			}
			before := cohort.Build(tt.in, exp.Add(-time.Nanosecond), cohort.DefaultConfig())
			if d := cmp.Diff(shown(c), shown(before)); d != "" {
				t.Fatalf("the cohort changed before Expires() = %v (-now +just before):\n%s", exp, d)
			}
			at := cohort.Build(tt.in, exp, cohort.DefaultConfig())
			newYear := exp.Month() == time.January && exp.Day() == 1 && exp.Hour() == 0 && exp.Minute() == 0
			if cmp.Equal(shown(c), shown(at)) && !newYear {
				t.Errorf("nothing changed at Expires() = %v: it could have been later", exp)
			}
		})
	}
}

func TestExpiresEdges(t *testing.T) {
	t.Parallel()
	in, seeded := intaketest.KTS101(t)
	c := cohort.Build(in, seeded, cohort.DefaultConfig())
	exp := c.Expires()
	// Whatever the edge is, it is one of the kinds Expires knows, and no later than the next
	// due date ahead.
	for _, a := range c.Assignments {
		if due := a.DueDate.Time(); due.After(seeded) && exp.After(due.Add(time.Nanosecond)) {
			t.Errorf("Expires() = %v is after %s's due date %v", exp, a.Name, due)
		}
	}
	nextYear := time.Date(seeded.Year()+1, time.January, 1, 0, 0, 0, 0, seeded.Location())
	if exp.After(nextYear) {
		t.Errorf("Expires() = %v is after the new year %v", exp, nextYear)
	}
}
