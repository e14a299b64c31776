package attention

import (
	"slices"
	"time"

	"github.com/knowthystudents/kts/internal/cohort"
)

// Kind is a kind of change since a teacher's previous visit.
type Kind string

// Kinds of change, in the order the changes page lists them.
const (
	Completed Kind = "completed"  // completed an activity
	Submitted Kind = "submitted"  // submitted an assignment (and maybe waits for a grade)
	Graded    Kind = "graded"     // a grade was given or changed
	CameBack  Kind = "came_back"  // opened the course again after being inactive
	WentQuiet Kind = "went_quiet" // crossed the inactivity threshold
	Overdue   Kind = "overdue"    // an assignment's due date passed without a submission
	NewFlag   Kind = "new_flag"   // a flag the student did not have at the previous visit
)

// Kinds returns every kind in page order.
func Kinds() []Kind {
	return []Kind{Completed, Submitted, Graded, CameBack, WentQuiet, Overdue, NewFlag}
}

// Change is one thing that happened to one student.
type Change struct {
	Kind      Kind
	StudentID int64
	What      string          // the activity or assignment, or the flag's reason
	Code      cohort.FlagCode // NewFlag: the flag
	At        time.Time       // when it happened; zero when Moodle does not say (new flags)
	// WaitsForGrade is true for a submission that has no grade yet.
	WaitsForGrade bool
}

// Changes is what changed in a course between Since and the cohort's Now.
type Changes struct {
	Since time.Time
	// FlagsKnown is false when there is no flag snapshot of the previous visit: new flags and
	// who came back cannot be told then.
	FlagsKnown bool
	ByKind     map[Kind][]Change
}

// Count returns how many changes of kind k there are.
func (ch Changes) Count(k Kind) int { return len(ch.ByKind[k]) }

// Total returns how many changes there are in all.
func (ch Changes) Total() int {
	n := 0
	for _, l := range ch.ByKind {
		n += len(l)
	}
	return n
}

// Snapshot is the flag codes each student had at a visit; a student without flags is left
// out. Nil means unknown.
type Snapshot map[int64][]cohort.FlagCode

// TakeSnapshot returns the flag codes of c's active students who carry some.
func TakeSnapshot(c *cohort.Cohort) Snapshot {
	out := Snapshot{}
	for _, s := range c.Students {
		if !s.Suspended && len(s.Flags) > 0 {
			out[s.ID] = Codes(s.Flags)
		}
	}
	return out
}

// Since derives what changed in c since the instant since, from Moodle's own timestamps
// (completion, submission and grade times, last course access, due dates) and, for new flags
// and returns from inactivity, prev: the flags at the previous visit (nil: unknown).
// Suspended enrolments are left out. Each kind is sorted newest first.
func Since(c *cohort.Cohort, since time.Time, prev Snapshot) Changes {
	now := c.Now
	ch := Changes{Since: since, FlagsKnown: prev != nil, ByKind: map[Kind][]Change{}}
	in := func(t time.Time) bool { return t.After(since) && !t.After(now) }
	add := func(x Change) { ch.ByKind[x.Kind] = append(ch.ByKind[x.Kind], x) }
	for _, s := range c.Students {
		if s.Suspended {
			continue
		}
		for _, a := range s.Activities {
			if a.State.Done() && !a.TimeCompleted.Never() && in(a.TimeCompleted.Time()) {
				act, _ := c.Module(a.CMID)
				add(Change{Kind: Completed, StudentID: s.ID, What: act.Name, At: a.TimeCompleted.Time()})
			}
		}
		for i, a := range s.Assignments {
			name := c.Assignments[i].Name
			if a.IsSubmitted() && in(a.Submitted.Time()) {
				add(Change{Kind: Submitted, StudentID: s.ID, What: name, At: a.Submitted.Time(), WaitsForGrade: a.NeedsGrading})
			}
			if a.Graded && !a.GradedAt.Never() && in(a.GradedAt.Time()) {
				add(Change{Kind: Graded, StudentID: s.ID, What: name, At: a.GradedAt.Time()})
			}
			if a.Status == cohort.StatusOverdue && in(a.Due.Time()) {
				add(Change{Kind: Overdue, StudentID: s.ID, What: name, At: a.Due.Time()})
			}
		}
		last := s.LastCourseAccess
		if s.HasFlag(cohort.FlagInactive) && !last.Never() {
			if quiet := last.Time().Add(c.Config.InactiveAfter); in(quiet) {
				add(Change{Kind: WentQuiet, StudentID: s.ID, At: quiet})
			}
		}
		if prev == nil {
			continue
		}
		was := prev[s.ID]
		if !last.Never() && in(last.Time()) && (slices.Contains(was, cohort.FlagInactive) || slices.Contains(was, cohort.FlagNeverAccessed)) {
			add(Change{Kind: CameBack, StudentID: s.ID, At: last.Time()})
		}
		for _, f := range s.Flags {
			if !slices.Contains(was, f.Code) {
				add(Change{Kind: NewFlag, StudentID: s.ID, Code: f.Code, What: f.Reason})
			}
		}
	}
	for _, l := range ch.ByKind {
		slices.SortStableFunc(l, func(a, b Change) int { return b.At.Compare(a.At) })
	}
	return ch
}

// NewlyFlagged returns the ids of the active students who carry a flag now that they did not
// have in prev (every flagged student when prev is nil: all of them are new to the teacher).
func NewlyFlagged(c *cohort.Cohort, prev Snapshot) []int64 {
	var out []int64
	for _, s := range c.Students {
		if s.Suspended {
			continue
		}
		for _, f := range s.Flags {
			if !slices.Contains(prev[s.ID], f.Code) {
				out = append(out, s.ID)
				break
			}
		}
	}
	return out
}
