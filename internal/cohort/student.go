package cohort

import "github.com/knowthystudents/kts/internal/when"

// Student is one enrolled student with everything the cohort view and the student page show.
type Student struct {
	ID              int64
	FullName        string
	FirstName       string
	LastName        string
	Email           string // empty when Moodle does not show it to this user
	ProfileImageURL string
	// Groups are the student's groups in this course, sorted by name.
	Groups    []Group
	Suspended bool
	// LastCourseAccess is when the student last opened this course; FirstAccess and
	// LastAccess are about the whole site. Never() is true for "never".
	LastCourseAccess when.Time
	FirstAccess      when.Time
	LastAccess       when.Time
	Completion       Completion
	// Activities are the student's completion states, in course order, for the activities
	// Moodle lists in the student's completion status (empty when not loaded).
	Activities []ActivityState
	// Assignments has one status per assignment of the cohort, in the same (course) order.
	Assignments []AssignmentStatus
	// Grades has one cell per graded activity of the cohort (Cohort.Graded), same order.
	Grades []GradeCell
	// Flags are the reasons the student needs attention, sorted by code.
	Flags []Flag
}

// Completion sums up a student's activity completion the way Moodle computes progress.
type Completion struct {
	// Loaded is false until Moodle's completion status for this student has been loaded;
	// the other fields are then zero and the view shows "loading" or "not loaded".
	Loaded bool
	// Completed counts the activities in state complete or complete-pass; Failed those in
	// complete-fail (not done); Total the activities Moodle lists for the student.
	Completed int
	Failed    int
	Total     int
	// Percent is 100 when the course is completed, else Completed/Total×100 rounded down:
	// Moodle's own progress figure.
	Percent int
	// CourseCompleted is Moodle's course completion (false when Moodle gives none).
	CourseCompleted bool
}

// comparable reports whether the percent means something: loaded, and either some activity
// is tracked or the course is completed.
func (c Completion) comparable() bool {
	return c.Loaded && (c.Total > 0 || c.CourseCompleted)
}

// Enrolment is "active" or "suspended", the contract's CSV values.
func (s Student) Enrolment() string {
	if s.Suspended {
		return "suspended"
	}
	return "active"
}

// GroupNames returns the names of the student's groups, sorted.
func (s Student) GroupNames() []string {
	out := make([]string, len(s.Groups))
	for i, g := range s.Groups {
		out[i] = g.Name
	}
	return out
}

// InGroup reports whether the student belongs to group id.
func (s Student) InGroup(id int64) bool {
	for _, g := range s.Groups {
		if g.ID == id {
			return true
		}
	}
	return false
}

// HasFlag reports whether the student carries flag code.
func (s Student) HasFlag(code FlagCode) bool {
	for _, f := range s.Flags {
		if f.Code == code {
			return true
		}
	}
	return false
}

// ActivityState returns the student's state for activity cmid, false when Moodle does not
// list it for the student (or completion is not loaded).
func (s Student) ActivityState(cmid int64) (ActivityState, bool) {
	for _, a := range s.Activities {
		if a.CMID == cmid {
			return a, true
		}
	}
	return ActivityState{}, false
}

// Assignment returns the student's status for the assignment with course-module id cmid.
func (s Student) Assignment(cmid int64) (AssignmentStatus, bool) {
	for _, a := range s.Assignments {
		if a.CMID == cmid {
			return a, true
		}
	}
	return AssignmentStatus{}, false
}
