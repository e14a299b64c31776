package attention

import (
	"cmp"
	"slices"
	"time"

	"github.com/knowthystudents/kts/internal/cohort"
)

// Contact is a message a teacher sent a student from the dashboard, with the flags the
// student had then.
type Contact struct {
	UserID int64
	At     time.Time
	Codes  []cohort.FlagCode
}

// Action is something a student did after a contact.
type Action struct {
	What string // "opened the course", "submitted A1 Essay", "completed Reading"
	At   time.Time
}

// FollowUp is one contacted student: the latest contact and what they did since.
type FollowUp struct {
	Student cohort.Student
	Contact Contact
	Actions []Action // newest first
	// Due is true when they did nothing and the contact is at least the follow-up delay old.
	Due bool
}

// FollowUps returns, for each student of c contacted in contacts, their latest contact and
// what they did since it: course access, a submission, a completion. Due ones first, oldest
// contact first; then the rest, newest action first.
func FollowUps(c *cohort.Cohort, contacts []Contact, after time.Duration, now time.Time) []FollowUp {
	latest := map[int64]Contact{}
	for _, ct := range contacts {
		if l, ok := latest[ct.UserID]; !ok || ct.At.After(l.At) {
			latest[ct.UserID] = ct
		}
	}
	var out []FollowUp
	for _, s := range c.Students {
		ct, ok := latest[s.ID]
		if !ok {
			continue
		}
		f := FollowUp{Student: s, Contact: ct}
		if t := s.LastCourseAccess; !t.Never() && t.Time().After(ct.At) {
			f.Actions = append(f.Actions, Action{"opened the course", t.Time()})
		}
		for i, a := range s.Assignments {
			if a.IsSubmitted() && a.Submitted.Time().After(ct.At) {
				f.Actions = append(f.Actions, Action{"submitted " + c.Assignments[i].Name, a.Submitted.Time()})
			}
		}
		for _, a := range s.Activities {
			if a.State.Done() && !a.TimeCompleted.Never() && a.TimeCompleted.Time().After(ct.At) {
				act, _ := c.Module(a.CMID)
				f.Actions = append(f.Actions, Action{"completed " + act.Name, a.TimeCompleted.Time()})
			}
		}
		slices.SortStableFunc(f.Actions, func(a, b Action) int { return b.At.Compare(a.At) })
		f.Due = len(f.Actions) == 0 && now.Sub(ct.At) >= after
		out = append(out, f)
	}
	slices.SortStableFunc(out, func(a, b FollowUp) int {
		if a.Due != b.Due {
			if a.Due {
				return -1
			}
			return 1
		}
		if a.Due {
			return a.Contact.At.Compare(b.Contact.At)
		}
		return cmp.Compare(latestAt(b), latestAt(a))
	})
	return out
}

func latestAt(f FollowUp) int64 {
	if len(f.Actions) == 0 {
		return 0
	}
	return f.Actions[0].At.Unix()
}

// DueCount counts the follow-ups that are due.
func DueCount(fs []FollowUp) int {
	n := 0
	for _, f := range fs {
		if f.Due {
			n++
		}
	}
	return n
}
