package views

import (
	"strconv"
	"strings"
	"time"

	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/when"
)

// StudentView is the "know thy student" page.
type StudentView struct {
	// Path is the student's completions over time against the course's median (HasPath false:
	// nothing to draw).
	Path          PathChart
	HasPath       bool
	CourseID      int64
	CoursePath    string
	UserID        int64
	Name          string
	Email         string
	Groups        string
	Roles         string
	Enrolment     string
	FirstAccess   string
	LastAccess    string
	LastCourse    string
	LastCourseAgo string
	Completion    cohort.Completion
	Flags         []FlagChip
	Sections      []StudentSection
	Assignments   []StudentAssignment
	GradeItems    []StudentGrade
	CourseDone    bool
	Criteria      []Criterion
	CriteriaKnown bool
	ProfileURL    string
	MessageURL    string
	ComposeHref   string
	Missing       []string
	Notes         []StudentNote
	NotesNote     string // why notes are not shown, or empty
	CanAddNote    bool
	Conversation  []ConvMessage
	ConvNote      string
	NoteAdded     bool
	NoteKey       string // the note form's key: posting it twice saves one note
	// Nav is previous/next within the queue or the cohort's filter and sort (student_nav_model.go).
	Nav StudentNav
}

// StudentSection is a course section with the student's activities in it.
type StudentSection struct {
	Name       string
	Activities []StudentActivity
}

// StudentActivity is one activity's completion for the student.
type StudentActivity struct {
	CMID    int64
	Name    string
	ModName string
	State   string // complete, pass, fail, incomplete, or "" when it has no completion
	When    string
	How     string
	URL     string
}

// StudentAssignment is one assignment for the student.
type StudentAssignment struct {
	Name       string
	Cell       StatusCell
	Submitted  string
	Modified   string
	Due        string
	Extension  string
	LateBy     string
	Feedback   bool
	GradingURL string
}

// StudentGrade is a grade item of the student's user report.
type StudentGrade struct {
	Name     string
	Module   string
	Grade    string
	Range    string
	Percent  string
	Feedback bool
	Result   string
}

// Criterion is one course completion criterion.
type Criterion struct {
	Title, Requirement, Status string
	Complete                   bool
}

// StudentNote is a Moodle note about the student.
type StudentNote struct {
	Kind    string // personal, course, site
	Content string
	When    string
	Author  string
}

// ConvMessage is one message between the teacher and the student.
type ConvMessage struct {
	FromTeacher bool
	Text        string // plain text (MessageLine.Text)
	When        string
}

// StudentExtras is what the student page shows beyond the student's row of the cohort: the
// profile's roles, the user report's grades, notes and the conversation, as the handlers read
// them from Moodle's replies. Every text in it is plain text already (Moodle's HTML is turned
// into text where the replies are read, not here).
type StudentExtras struct {
	Missing []string // the parts Moodle could not give, in words
	Roles   []string // the student's role names in the course
	Email   string   // the profile's address, shown when the roster has none
	// Grades are the user report's grade items in its order, the course total left out.
	Grades []GradeLine
	// Feedback holds the cmids whose grade item carries feedback.
	Feedback   map[int64]bool
	CanAddNote bool // Moodle says this teacher may add course notes
	Notes      []NoteLine
	Messages   []MessageLine // the conversation between the teacher and the student, oldest first
}

// GradeLine is one grade item of the student's user report.
type GradeLine struct {
	Name, Module string
	Min, Max     float64
	Grade        float64
	Graded       bool   // Grade holds a grade
	Percent      string // Moodle's formatted percentage, as text ("-" or "" when none)
	Feedback     bool
	Result       string // "pass", "fail", or "" when the item has no pass grade
}

// NoteLine is a Moodle note about the student.
type NoteLine struct {
	Kind    string // personal, course, site
	Text    string
	Created when.Time
}

// MessageLine is one message of the conversation.
type MessageLine struct {
	From int64 // the sender's Moodle user id
	Text string
	Sent when.Time
}

// CourseCriteria is the student's course completion as Moodle reports it.
type CourseCriteria struct {
	Completed bool
	Criteria  []Criterion // Status in plain text
}

// NewStudentView shapes a student for the page.
func NewStudentView(c *cohort.Cohort, st cohort.Student, x *StudentExtras, cc *CourseCriteria,
	moodleURL string, teacherID int64, now time.Time, loc *time.Location) StudentView {
	now = now.In(loc) // "today" is the teacher's today
	path := CoursePath(c.Course.ID)
	v := StudentView{
		CourseID: c.Course.ID, CoursePath: path, UserID: st.ID, Name: st.FullName, Email: st.Email,
		Enrolment: st.Enrolment(), FirstAccess: orNever(Exact(st.FirstAccess, loc)), LastAccess: orNever(Exact(st.LastAccess, loc)),
		LastCourse: orNever(Exact(st.LastCourseAccess, loc)), LastCourseAgo: Ago(st.LastCourseAccess, now),
		Completion: st.Completion, CourseDone: st.Completion.CourseCompleted,
		ProfileURL:  MoodleProfile(moodleURL, st.ID, c.Course.ID),
		MessageURL:  MoodleMessages(moodleURL, st.ID),
		ComposeHref: MessageTo(c.Course.ID, st.ID),
	}
	v.Groups = strings.Join(st.GroupNames(), ", ")
	for _, f := range st.Flags {
		v.Flags = append(v.Flags, FlagChip{Code: string(f.Code), Label: FlagLabels[f.Code], Reason: f.Reason})
	}
	states := map[int64]cohort.ActivityState{}
	for _, a := range st.Activities {
		states[a.CMID] = a
	}
	for _, m := range c.Modules {
		if m.ModName == "label" {
			continue
		}
		if len(v.Sections) == 0 || v.Sections[len(v.Sections)-1].Name != m.Section {
			v.Sections = append(v.Sections, StudentSection{Name: m.Section})
		}
		sa := StudentActivity{CMID: m.CMID, Name: m.Name, ModName: m.ModName, URL: m.URL}
		if as, ok := states[m.CMID]; ok {
			sa.State = as.State.String()
			sa.When = Exact(as.TimeCompleted, loc)
			switch as.Method() {
			case cohort.MethodOverridden:
				who := as.OverrideByName
				if who == "" {
					who = "user " + strconv.FormatInt(as.OverrideBy, 10)
				}
				sa.How = "overridden by " + who
			case cohort.MethodManual:
				sa.How = "ticked by the student"
			default:
				sa.How = "automatic"
			}
		}
		sec := &v.Sections[len(v.Sections)-1]
		sec.Activities = append(sec.Activities, sa)
	}
	var feedback map[int64]bool
	if x != nil {
		feedback = x.Feedback
	}
	for i, a := range c.Assignments {
		if i >= len(st.Assignments) {
			break
		}
		as := st.Assignments[i]
		sa := StudentAssignment{Name: a.Name, Cell: StatusCellOf(as, loc), Submitted: Exact(as.Submitted, loc),
			Modified: Exact(as.Modified, loc), Due: Exact(a.DueDate, loc), Extension: Exact(as.ExtensionUntil, loc),
			Feedback:   feedback[a.CMID],
			GradingURL: MoodleGrader(moodleURL, a.CMID, st.ID)}
		if as.LateBy > 0 {
			sa.LateBy = Span(as.LateBy)
		}
		v.Assignments = append(v.Assignments, sa)
	}
	if cc != nil {
		v.CriteriaKnown = true
		v.CourseDone = v.CourseDone || cc.Completed
		v.Criteria = cc.Criteria
	}
	if x != nil {
		v.fillExtras(x, teacherID, loc)
	}
	v.Path, v.HasPath = NewPathChart(c, st, loc)
	return v
}

func (v *StudentView) fillExtras(x *StudentExtras, teacherID int64, loc *time.Location) {
	v.Missing = x.Missing
	v.Roles = strings.Join(x.Roles, ", ")
	if v.Email == "" {
		v.Email = x.Email
	}
	for _, gl := range x.Grades {
		g := StudentGrade{Name: gl.Name, Module: gl.Module, Grade: "–", Range: Num(gl.Min) + "–" + Num(gl.Max),
			Percent: orDash(strings.Trim(gl.Percent, "- ")), Feedback: gl.Feedback, Result: gl.Result}
		if gl.Graded {
			g.Grade = Num(gl.Grade)
		}
		v.GradeItems = append(v.GradeItems, g)
	}
	v.CanAddNote = x.CanAddNote
	for _, n := range x.Notes {
		v.Notes = append(v.Notes, StudentNote{Kind: n.Kind, Content: n.Text, When: Exact(n.Created, loc)})
	}
	for _, m := range x.Messages {
		v.Conversation = append(v.Conversation, ConvMessage{FromTeacher: m.From == teacherID, Text: m.Text, When: Exact(m.Sent, loc)})
	}
}

func orNever(s string) string {
	if s == "" {
		return "never"
	}
	return s
}
