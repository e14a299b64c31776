package cohort

import (
	"time"

	"github.com/knowthystudents/kts/internal/when"
)

// Status is an assignment status code of the contract, at the time of the request.
type Status string

// Assignment status codes, in the contract's order: the first that applies wins.
const (
	// StatusUnknown: the assignment's submissions were not loaded.
	StatusUnknown    Status = ""
	StatusSubmitted  Status = "submitted"
	StatusLate       Status = "late"
	StatusExtension  Status = "extension"
	StatusOverdue    Status = "overdue"
	StatusDraft      Status = "draft"
	StatusNotStarted Status = "not_started"
)

// GradeResult is pass or fail against the activity's pass grade, when Moodle's completion
// says so.
type GradeResult string

// Grade results; ResultUnknown when the activity has no pass-grade rule or no grade yet.
const (
	ResultUnknown GradeResult = ""
	ResultPass    GradeResult = "pass"
	ResultFail    GradeResult = "fail"
)

// AssignmentStatus is one student's standing on one assignment.
type AssignmentStatus struct {
	CMID   int64
	Status Status
	// SubmissionStatus is Moodle's raw status of the latest attempt ("new", "draft",
	// "submitted", "reopened"), empty without a submission record.
	SubmissionStatus string
	// Modified is when the submission was last saved; Submitted is the same time when the
	// submission is submitted, never otherwise.
	Modified  when.Time
	Submitted when.Time
	// Due is what the status is measured against: ExtensionUntil when the student has an
	// extension, else the assignment's due date (never when it has none).
	Due            when.Time
	ExtensionUntil when.Time
	// LateBy is how long after Due the work was submitted (zero unless Status is late).
	LateBy time.Duration
	// Graded is true when Moodle holds a real grade; Grade is then the value out of GradeMax,
	// and GradedAt when it was last changed.
	Graded   bool
	Grade    float64
	GradeMax float64
	GradedAt when.Time
	// Result is pass or fail when the activity's completion requires a passing grade.
	Result GradeResult
	// NeedsGrading is true for submitted work without a grade.
	NeedsGrading bool
}

// IsSubmitted reports whether the work is submitted, on time or late.
func (a AssignmentStatus) IsSubmitted() bool {
	return a.Status == StatusSubmitted || a.Status == StatusLate
}

// submissionFacts is what statusOf needs about one student and one assignment.
type submissionFacts struct {
	sub       *Submission // nil: no record
	due       when.Time   // the assignment's due date
	extension when.Time   // the student's extension, never when none
}

// statusOf applies the contract's table: the first code that applies wins. Nothing saved
// (no record, "new", or "reopened" with nothing in the new attempt) counts as not started.
func statusOf(f submissionFacts, now time.Time) AssignmentStatus {
	st := AssignmentStatus{Due: f.due, ExtensionUntil: f.extension}
	if !f.extension.Never() {
		st.Due = f.extension
	}
	raw := ""
	if f.sub != nil {
		raw = f.sub.Status
		st.SubmissionStatus = raw
		st.Modified = f.sub.Modified
	}
	due := st.Due.Time()
	hasDue := !st.Due.Never()
	switch {
	case raw == "submitted":
		st.Submitted = st.Modified
		st.Status = StatusSubmitted
		if hasDue && st.Submitted.Time().After(due) {
			st.Status = StatusLate
			st.LateBy = st.Submitted.Time().Sub(due)
		}
	case !f.extension.Never() && !now.After(f.extension.Time()):
		st.Status = StatusExtension
	case hasDue && now.After(due):
		st.Status = StatusOverdue
	case raw == "draft":
		st.Status = StatusDraft
	default:
		st.Status = StatusNotStarted
	}
	return st
}
