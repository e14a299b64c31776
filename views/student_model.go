package views

import (
	"strconv"
	"strings"
	"time"

	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/load"
	"github.com/knowthystudents/kts/internal/moodle"
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
	Text        string // Moodle's HTML, shown as text with the tags stripped
	When        string
}

// NewStudentView shapes a student for the page.
func NewStudentView(c *cohort.Cohort, st cohort.Student, x *load.StudentExtras, cc *moodle.CourseCompletion,
	moodleURL string, teacherID int64, now time.Time, loc *time.Location) StudentView {
	now = now.In(loc) // "today" is the teacher's today
	path := "/course/" + strconv.FormatInt(c.Course.ID, 10)
	uid := strconv.FormatInt(st.ID, 10)
	v := StudentView{
		CourseID: c.Course.ID, CoursePath: path, UserID: st.ID, Name: st.FullName, Email: st.Email,
		Enrolment: st.Enrolment(), FirstAccess: orNever(Exact(st.FirstAccess, loc)), LastAccess: orNever(Exact(st.LastAccess, loc)),
		LastCourse: orNever(Exact(st.LastCourseAccess, loc)), LastCourseAgo: Ago(st.LastCourseAccess, now),
		Completion: st.Completion, CourseDone: st.Completion.CourseCompleted,
		ProfileURL:  moodleURL + "/user/view.php?id=" + uid + "&course=" + strconv.FormatInt(c.Course.ID, 10),
		MessageURL:  moodleURL + "/message/index.php?id=" + uid,
		ComposeHref: path + "/message?userid=" + uid,
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
	feedback := map[int64]bool{}
	if x != nil {
		for _, gi := range x.GradeItems {
			if gi.CMID != 0 && strings.TrimSpace(gi.Feedback) != "" {
				feedback[gi.CMID] = true
			}
		}
	}
	for i, a := range c.Assignments {
		if i >= len(st.Assignments) {
			break
		}
		as := st.Assignments[i]
		sa := StudentAssignment{Name: a.Name, Cell: StatusCellOf(as, loc), Submitted: Exact(as.Submitted, loc),
			Modified: Exact(as.Modified, loc), Due: Exact(a.DueDate, loc), Extension: Exact(as.ExtensionUntil, loc),
			Feedback:   feedback[a.CMID],
			GradingURL: moodleURL + "/mod/assign/view.php?id=" + strconv.FormatInt(a.CMID, 10) + "&action=grader&userid=" + uid}
		if as.LateBy > 0 {
			sa.LateBy = Span(as.LateBy)
		}
		v.Assignments = append(v.Assignments, sa)
	}
	if cc != nil {
		v.CriteriaKnown = true
		v.CourseDone = v.CourseDone || cc.CompletionStatus.Completed
		for _, cr := range cc.CompletionStatus.Completions {
			v.Criteria = append(v.Criteria, Criterion{Title: cr.Title, Requirement: cr.Details.Requirement,
				Status: StripTags(cr.Details.Criteria), Complete: cr.Complete})
		}
	}
	if x != nil {
		v.fillExtras(x, teacherID, loc)
	}
	v.Path, v.HasPath = NewPathChart(c, st, loc)
	return v
}

func (v *StudentView) fillExtras(x *load.StudentExtras, teacherID int64, loc *time.Location) {
	v.Missing = x.Missing
	if p := x.Profile; p != nil {
		var roles []string
		for _, r := range p.Roles {
			roles = append(roles, RoleName(r))
		}
		v.Roles = strings.Join(roles, ", ")
		if v.Email == "" {
			v.Email = p.Email
		}
	}
	for _, gi := range x.GradeItems {
		if gi.ItemType == "course" || gi.ItemName == nil {
			continue
		}
		g := StudentGrade{Name: *gi.ItemName, Module: gi.ItemModule, Grade: "–", Range: Num(gi.GradeMin) + "–" + Num(gi.GradeMax),
			Percent: orDash(strings.Trim(StripTags(gi.PercentageFormatted), "- ")), Feedback: strings.TrimSpace(gi.Feedback) != ""}
		if gi.GradeRaw.Valid {
			g.Grade = Num(gi.GradeRaw.Value)
		}
		switch {
		case strings.Contains(gi.GradeFormatted, `title="Pass"`):
			g.Result = "pass"
		case strings.Contains(gi.GradeFormatted, `title="Fail"`):
			g.Result = "fail"
		}
		v.GradeItems = append(v.GradeItems, g)
	}
	if x.Notes != nil {
		v.CanAddNote = x.Notes.CanManageCourseNotes
		add := func(kind string, ns []moodle.Note) {
			for _, n := range ns {
				v.Notes = append(v.Notes, StudentNote{Kind: kind, Content: StripTags(n.Content), When: Exact(n.Created, loc)})
			}
		}
		add("personal", x.Notes.PersonalNotes)
		add("course", x.Notes.CourseNotes)
		add("site", x.Notes.SiteNotes)
	}
	if x.Conversation != nil {
		for _, m := range x.Conversation.Messages {
			v.Conversation = append(v.Conversation, ConvMessage{FromTeacher: m.UserIDFrom == teacherID, Text: StripTags(m.Text), When: Exact(m.TimeCreated, loc)})
		}
	}
}

func orNever(s string) string {
	if s == "" {
		return "never"
	}
	return s
}

// RoleName is a role's name, or a readable form of its shortname when Moodle sends none.
func RoleName(r moodle.Role) string {
	if r.Name != "" {
		return r.Name
	}
	switch r.ShortName {
	case "editingteacher":
		return "Teacher"
	case "teacher":
		return "Non-editing teacher"
	case "student":
		return "Student"
	case "manager":
		return "Manager"
	}
	return r.ShortName
}
