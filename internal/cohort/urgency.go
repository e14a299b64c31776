package cohort

import (
	"cmp"
	"math"
	"time"
)

// SortAttention sorts the cohort table most urgent first (Urgency's order).
const SortAttention = "attention"

// UrgencyOrder says in words how students are ordered by urgency, for the pages that do.
const UrgencyOrder = "Most urgent first: by the most serious flag (never opened the course, then inactive, " +
	"overdue work, a failed activity, your own rules, behind, suspended last), then by how many flags, " +
	"then by how long the oldest problem has waited (days without course access or since the earliest missed due date)."

// severity ranks a flag, lower first: a student who does not come to the course cannot act on
// anything else, so staying away comes before missed work; "behind" is relative to the others,
// and a suspended enrolment is the administrator's matter.
func severity(code FlagCode) int {
	switch code {
	case FlagNeverAccessed:
		return 0
	case FlagInactive:
		return 1
	case FlagOverdue:
		return 2
	case FlagFailed:
		return 3
	case FlagBehind:
		return 5
	case FlagSuspended:
		return 6
	}
	if _, ok := RuleNumber(code); ok {
		return 4
	}
	return 7
}

// Urgency is how urgent a student is, as of now; Compare orders two.
type Urgency struct {
	Severity int           // the most serious flag's rank (severity); 8 without flags
	Flags    int           // how many flags
	Waited   time.Duration // how long the oldest problem has waited
}

// UrgencyOf measures s as of now.
func UrgencyOf(s *Student, now time.Time) Urgency {
	u := Urgency{Severity: 8, Flags: len(s.Flags)}
	for _, f := range s.Flags {
		u.Severity = min(u.Severity, severity(f.Code))
		switch f.Code {
		case FlagNeverAccessed:
			u.Waited = math.MaxInt64
		case FlagInactive:
			u.Waited = max(u.Waited, now.Sub(s.LastCourseAccess.Time()))
		case FlagOverdue:
			for _, a := range s.Assignments {
				if a.Status == StatusOverdue {
					u.Waited = max(u.Waited, now.Sub(a.Due.Time()))
				}
			}
		}
	}
	return u
}

// Compare is negative when u is more urgent than v.
func (u Urgency) Compare(v Urgency) int {
	return cmp.Or(cmp.Compare(u.Severity, v.Severity), cmp.Compare(v.Flags, u.Flags), cmp.Compare(v.Waited, u.Waited))
}
