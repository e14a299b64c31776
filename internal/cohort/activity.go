package cohort

import "github.com/knowthystudents/kts/internal/when"

// Activity is a course module as the dashboard shows it: where it sits in the course and
// whether Moodle tracks its completion.
type Activity struct {
	CMID    int64
	Name    string
	ModName string // page, url, forum, assign, quiz, label, ...
	// Section is the name of the section the module sits in ("Week 1: Writing to learn").
	Section       string
	SectionNumber int
	// Completion is how Moodle tracks the module's completion: none, manual or automatic.
	Completion Tracking
	// Visible is false for a module hidden from students.
	Visible bool
	URL     string
}

// HasCompletion reports whether Moodle tracks completion for the activity.
func (a Activity) HasCompletion() bool { return a.Completion != TrackingNone }

// State is an activity's completion state for one student, as Moodle reports it.
type State int

// Completion states, Moodle's numbers (internal/intake checks that they match the client's).
const (
	StateIncomplete   State = 0
	StateComplete     State = 1
	StateCompletePass State = 2
	// StateCompleteFail is "graded below the pass grade": Moodle does not count it as done.
	StateCompleteFail State = 3
)

// Done reports whether the state counts as completed (complete or complete-pass), as
// Moodle counts it for progress.
func (s State) Done() bool { return s == StateComplete || s == StateCompletePass }

// String names the state for CSV cells and CSS classes.
func (s State) String() string {
	switch s {
	case StateComplete:
		return "complete"
	case StateCompletePass:
		return "pass"
	case StateCompleteFail:
		return "fail"
	default:
		return "incomplete"
	}
}

// Tracking is how an activity's completion is recorded.
type Tracking int

// Tracking kinds, Moodle's numbers (module completion and status tracking share them;
// internal/intake checks that they match the client's).
const (
	TrackingNone      Tracking = 0
	TrackingManual    Tracking = 1
	TrackingAutomatic Tracking = 2
)

// String names the tracking kind.
func (t Tracking) String() string {
	switch t {
	case TrackingManual:
		return "manual"
	case TrackingAutomatic:
		return "automatic"
	default:
		return "none"
	}
}

// Method is how a completion came about, which tells a designer whether students tick
// things off, the rules fire, or teachers step in.
type Method string

// Completion methods.
const (
	MethodManual     Method = "manual"
	MethodAutomatic  Method = "automatic"
	MethodOverridden Method = "overridden"
)

// ActivityState is one activity's completion for one student.
type ActivityState struct {
	CMID          int64
	State         State
	TimeCompleted when.Time
	Tracking      Tracking
	// OverrideBy is the user who set the state by hand over the rule (0 when nobody did),
	// OverrideByName their name when the roster shows them.
	OverrideBy     int64
	OverrideByName string
	// PassGrade is true when the activity's completion requires a passing grade, so that
	// states 2 and 3 mean pass and fail.
	PassGrade bool
}

// Method tells how the state came about: a teacher's override wins over the tracking kind.
func (a ActivityState) Method() Method {
	switch {
	case a.OverrideBy != 0:
		return MethodOverridden
	case a.Tracking == TrackingManual:
		return MethodManual
	default:
		return MethodAutomatic
	}
}
