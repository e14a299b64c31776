// Package cohort turns what is known about one course, as one teacher sees it, into what a
// teacher reasons about: students with activity completion, assignment statuses, grades and
// "needs attention" flags with their reasons, and the course-level aggregates a learning
// designer reviews. It is pure: no HTTP, no HTML, no Moodle calls, and it does not import the
// Moodle client; its input is in its own words (Input), filled from Moodle's replies by
// internal/intake. Every function that depends on the clock takes now.
package cohort

import "github.com/knowthystudents/kts/internal/when"

// Input is everything known about one course as one user sees it. A part that failed to load
// is left empty and named in Missing, so that Build can still show the rest.
type Input struct {
	Course   Course
	Sections []Section // in course order
	// Roster is every participant this user sees, staff included; Build keeps the students.
	Roster []Participant
	// ActiveIDs are the ids of the participants whose enrolment is active. Nil means "not
	// loaded": every enrolment then counts as active.
	ActiveIDs map[int64]bool
	// Groups are the groups this user may filter by.
	Groups      []Group
	Assignments []AssignmentInfo
	// Submissions has one entry per assignment whose submissions loaded; an assignment
	// without one has unknown statuses.
	Submissions []AssignmentSubmissions
	// Grades and Extensions are the assignments' grades and the students' extensions; of two
	// for the same assignment and student, the later in the slice wins a tie.
	Grades     []Grade
	Extensions []Extension
	// GradeItems are the grades of activities other than assignments, one per student and
	// activity; nil when the course has none or they did not load.
	GradeItems []GradeItem
	// Completion holds each student's activity completion by student id; a student without
	// an entry has no completion loaded (yet).
	Completion map[int64][]CompletionStatus
	// CourseCompleted says, by student id, whether the student completed the course.
	CourseCompleted map[int64]bool
	// Missing names the parts that failed to load, in words a teacher understands
	// ("assignment grades", "completion for 3 students").
	Missing []string
}

// Course is the course itself.
type Course struct {
	ID        int64
	FullName  string
	ShortName string
}

// Section is one section of the course with its modules, in course order.
type Section struct {
	Number  int
	Name    string // empty: Build calls it "Section <Number>"
	Modules []Module
}

// Module is one course module as the course outline lists it.
type Module struct {
	CMID     int64
	Name     string
	ModName  string
	Tracking Tracking
	Visible  bool
	URL      string
}

// Participant is one person enrolled in the course.
type Participant struct {
	ID              int64
	FullName        string
	FirstName       string
	LastName        string
	Email           string
	ProfileImageURL string
	// Roles are the role shortnames the person has in the course ("student",
	// "editingteacher", ...).
	Roles  []string
	Groups []Group
	// LastCourseAccess is about this course; FirstAccess and LastAccess about the site.
	LastCourseAccess when.Time
	FirstAccess      when.Time
	LastAccess       when.Time
}

// AssignmentInfo is one assignment's settings.
type AssignmentInfo struct {
	ID      int64 // the assignment instance id, not the cmid
	CMID    int64
	Name    string
	DueDate when.Time // never: no due date
	// GradeMax is the maximum grade; negative when the assignment is graded on a scale.
	GradeMax float64
}

// AssignmentSubmissions are the submission records of one assignment.
type AssignmentSubmissions struct {
	AssignmentID int64
	Submissions  []Submission
}

// Submission is one attempt's submission record. A team submission has UserID 0 and the
// team's GroupID.
type Submission struct {
	UserID  int64
	GroupID int64
	Attempt int
	// Status is the record's status as Moodle names it: "new", "draft", "submitted",
	// "reopened".
	Status   string
	Modified when.Time
}

// Grade is one student's grade on one assignment's attempt.
type Grade struct {
	AssignmentID int64
	UserID       int64
	Attempt      int
	// Graded is false when the record holds no real grade; Value is then meaningless.
	Graded   bool
	Value    float64
	Modified when.Time
}

// Extension is the date one student's extension on one assignment runs until.
type Extension struct {
	AssignmentID int64
	UserID       int64
	Until        when.Time // never: no extension
}

// GradeItem is one student's grade in one graded activity other than an assignment.
type GradeItem struct {
	UserID  int64
	CMID    int64
	ModName string
	// Name is the grade item's name, used when the course outline gives the activity none.
	Name string
	// Cell is the grade as text, with pass or fail.
	Cell GradeCell
}

// CompletionStatus is one activity's completion for one student.
type CompletionStatus struct {
	CMID          int64
	ModName       string
	State         State
	TimeCompleted when.Time
	Tracking      Tracking
	// OverrideBy is the user who set the state by hand, 0 when nobody did.
	OverrideBy int64
	// PassGrade is true when the activity's completion requires a passing grade.
	PassGrade bool
}
