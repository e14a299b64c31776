package views

import (
	"strconv"
	"strings"
	"time"

	"github.com/knowthystudents/kts/internal/attention"
	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/when"
)

// SinceBasis says what the changes are measured from.
type SinceBasis int

// Bases of the changes page.
const (
	SincePrevious SinceBasis = iota // the teacher's previous visit
	SinceGiven                      // ?since=
	SinceFirst                      // no previous visit: the last 7 days
)

// ChangesView is the "what changed" page.
type ChangesView struct {
	Path       string
	Since      string // "Mon 30 Nov 2026, 08:00 CET"
	SinceISO   string
	Basis      SinceBasis
	FlagsKnown bool
	Sections   []ChangeSection
	Total      int
	QueueURL   string
}

// ChangeSection is one kind of change.
type ChangeSection struct {
	Kind    string
	Heading string
	Rows    []ChangeRow
}

// ChangeRow is one change of one student.
type ChangeRow struct {
	Name, Href, What, When string
	Waits                  bool // a submission waiting for a grade
}

// ChangeHeadings are the headings of the kinds of change.
var ChangeHeadings = map[attention.Kind]string{
	attention.Completed: "Completed an activity",
	attention.Submitted: "Submitted work",
	attention.Graded:    "Grades given",
	attention.CameBack:  "Came back after being inactive",
	attention.WentQuiet: "Went quiet",
	attention.Overdue:   "Became overdue",
	attention.NewFlag:   "New flags",
}

// NewChangesView shapes changes for the screen.
func NewChangesView(c *cohort.Cohort, ch attention.Changes, basis SinceBasis, now time.Time, loc *time.Location) ChangesView {
	path := CoursePath(c.Course.ID)
	v := ChangesView{Path: path, Since: Exact(when.Of(ch.Since), loc), SinceISO: ch.Since.UTC().Format(time.RFC3339),
		Basis: basis, FlagsKnown: ch.FlagsKnown, Total: ch.Total(), QueueURL: QueuePath(c.Course.ID)}
	for _, k := range attention.Kinds() {
		sec := ChangeSection{Kind: string(k), Heading: ChangeHeadings[k]}
		for _, x := range ch.ByKind[k] {
			st, _ := c.Student(x.StudentID)
			row := ChangeRow{Name: st.FullName, Href: StudentPath(c.Course.ID, x.StudentID), What: x.What, Waits: x.WaitsForGrade}
			if !x.At.IsZero() {
				row.When = Ago(when.Of(x.At), now)
			}
			if k == attention.NewFlag {
				row.What = FlagLabels[x.Code] + ": " + x.What
			}
			sec.Rows = append(sec.Rows, row)
		}
		v.Sections = append(v.Sections, sec)
	}
	return v
}

// ChangesSummary is the line on the course page about what changed since the last visit.
type ChangesSummary struct {
	Since string
	Parts []string // "3 completions", "2 submissions (1 waits for a grade)"
	Href  string
}

// Text is the parts as a sentence: "3 completions, 1 new flag", "nothing changed".
func (s *ChangesSummary) Text() string {
	if len(s.Parts) == 0 {
		return "nothing changed."
	}
	return strings.Join(s.Parts, ", ") + "."
}

// NewChangesSummary sums changes up for the course page; nil when there is no previous visit.
func NewChangesSummary(courseID int64, ch attention.Changes, loc *time.Location) *ChangesSummary {
	if ch.Since.IsZero() {
		return nil
	}
	s := &ChangesSummary{Since: Exact(when.Of(ch.Since), loc), Href: ChangesPath(courseID)}
	plural := func(n int, one, many string) string {
		if n == 1 {
			return "1 " + one
		}
		return strconv.Itoa(n) + " " + many
	}
	waits := 0
	for _, x := range ch.ByKind[attention.Submitted] {
		if x.WaitsForGrade {
			waits++
		}
	}
	add := func(k attention.Kind, one, many string) {
		if n := ch.Count(k); n > 0 {
			p := plural(n, one, many)
			if k == attention.Submitted && waits > 0 {
				p += " (" + strconv.Itoa(waits) + " waiting for a grade)"
			}
			s.Parts = append(s.Parts, p)
		}
	}
	add(attention.Completed, "completion", "completions")
	add(attention.Submitted, "submission", "submissions")
	add(attention.Graded, "grade given", "grades given")
	add(attention.CameBack, "student back", "students back")
	add(attention.WentQuiet, "student went quiet", "students went quiet")
	add(attention.Overdue, "assignment became overdue", "assignments became overdue")
	add(attention.NewFlag, "new flag", "new flags")
	return s
}
