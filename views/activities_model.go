package views

import (
	"strconv"
	"strings"
	"time"

	"github.com/knowthystudents/kts/internal/cohort"
)

// ActivitiesView is the design review page: completion per activity in course order,
// drop-off, groups side by side and assignment timeliness.
type ActivitiesView struct {
	CourseID     int64
	CourseName   string
	Path         string
	Query        cohort.Query
	Groups       []Choice
	HasSuspended bool
	Students     int
	Rows         []ActivityLine
	Chart        BarChart
	GroupNames   []string
	Timeliness   []TimelinessView
	CSVHref      string
	Missing      []string
}

// ActivityLine is one activity's row.
type ActivityLine struct {
	CMID                          int64
	Href                          string
	Section                       string
	NewSection                    bool
	Name                          string
	ModName                       string
	Completed                     int
	Failed                        int
	Eligible                      int
	Percent                       int
	Dropoff                       string
	DropClass                     string
	Manual, Automatic, Overridden int
	ByGroup                       []GroupCell
}

// GroupCell is one group's completion of one activity.
type GroupCell struct {
	Group   string
	Percent int
	Text    string
	Lagging bool
}

// BarChart is a horizontal bar chart drawn on the server as SVG.
type BarChart struct {
	Width, Height int
	LabelWidth    int
	Bars          []Bar
}

// Bar is one bar of the chart.
type Bar struct {
	Y, Width     int
	LabelY       int
	Label, Value string
	Percent      int
	Title        string
}

// TimelinessView is one assignment's timeliness.
type TimelinessView struct {
	Name        string
	Due         string
	Counts      []LabelCount
	Histogram   []HistBar
	HistWidth   int
	Graded      int
	Median      string
	Slowest     string
	Awaiting    int
	LongestWait string
}

// Grading is the sentence under an assignment's timeliness: how many submissions are
// graded and how long that took, and how many still wait.
func (t TimelinessView) Grading() string {
	s := strconv.Itoa(t.Graded) + " graded"
	if t.Median != "" {
		s += "; grading took " + t.Median + " (median), " + t.Slowest + " at the slowest"
	}
	s += ". " + strconv.Itoa(t.Awaiting) + " waiting for a grade"
	if t.LongestWait != "" {
		s += " (the longest for " + t.LongestWait + ")"
	}
	return s + "."
}

// LabelCount is a labelled number.
type LabelCount struct {
	Label string
	Count int
	Code  string
}

// HistBar is one day bucket of a submission-time histogram.
type HistBar struct {
	X, Y, Height int
	Label        string
	Count        int
	Before       bool
}

const (
	chartBarHeight = 22
	chartLabel     = 260
	chartPlot      = 400
	histBar        = 26
	histHeight     = 80
)

// NewActivitiesView shapes the activity report and timeliness for the page.
func NewActivitiesView(c *cohort.Cohort, q cohort.Query, rep cohort.ActivityReport, tl []cohort.Timeliness, loc *time.Location) ActivitiesView {
	path := CoursePath(c.Course.ID)
	v := ActivitiesView{CourseID: c.Course.ID, CourseName: c.Course.FullName, Path: path, Query: q,
		HasSuspended: c.SuspendedCount > 0, Students: rep.Students, Missing: c.Missing}
	fq := cohort.Query{Group: q.Group, Suspended: q.Suspended}
	v.CSVHref = WithQuery(ActivitiesCSVPath(c.Course.ID), fq)
	v.Groups = append(v.Groups, Choice{Value: "", Label: "All groups you can see", Selected: q.Group == 0})
	for _, g := range c.Groups {
		v.Groups = append(v.Groups, Choice{Value: strconv.FormatInt(g.ID, 10), Label: g.Name, Selected: q.Group == g.ID})
	}
	for _, g := range rep.Groups {
		v.GroupNames = append(v.GroupNames, g.Name)
	}
	prevSection := ""
	v.Chart = BarChart{Width: chartLabel + chartPlot + 60, LabelWidth: chartLabel}
	for i, r := range rep.Rows {
		line := ActivityLine{CMID: r.Activity.CMID, Href: WithQuery(ActivityPath(c.Course.ID, r.Activity.CMID), fq),
			Section: r.Activity.Section, NewSection: r.Activity.Section != prevSection, Name: r.Activity.Name,
			ModName: r.Activity.ModName, Completed: r.Completed, Failed: r.Failed, Eligible: r.Eligible, Percent: r.Percent,
			Manual: r.Manual, Automatic: r.Automatic, Overridden: r.Overridden}
		prevSection = r.Activity.Section
		if r.HasDropoff {
			line.Dropoff = signed(r.Dropoff)
			if r.Dropoff < 0 {
				line.DropClass = "drop"
			}
		}
		for _, gs := range r.ByGroup {
			cell := GroupCell{Group: gs.Group.Name, Percent: gs.Percent,
				Text:    strconv.Itoa(gs.Percent) + " % (" + strconv.Itoa(gs.Completed) + "/" + strconv.Itoa(gs.Eligible) + ")",
				Lagging: r.HasLagging && gs.Group.ID == r.Lagging.ID}
			line.ByGroup = append(line.ByGroup, cell)
		}
		v.Rows = append(v.Rows, line)
		y := i * chartBarHeight
		v.Chart.Bars = append(v.Chart.Bars, Bar{Y: y + 3, LabelY: y + 16, Width: r.Percent * chartPlot / 100,
			Label: clipName(r.Activity.Name, 36), Value: strconv.Itoa(r.Percent) + " %", Percent: r.Percent,
			Title: r.Activity.Name + ": " + strconv.Itoa(r.Completed) + " of " + strconv.Itoa(r.Eligible) + " completed"})
	}
	v.Chart.Height = len(rep.Rows)*chartBarHeight + 6
	for _, t := range tl {
		tv := TimelinessView{Name: t.Assignment.Name, Due: Exact(t.Assignment.DueDate, loc),
			Graded: t.Graded, Awaiting: t.AwaitingGrade,
			Counts: []LabelCount{{"on time", t.OnTime, "submitted"}, {"late", t.Late, "late"}, {"on an extension", t.Extension, "extension"},
				{"draft", t.Draft, "draft"}, {"nothing yet", t.NotStarted, "not_started"}, {"overdue", t.Overdue, "overdue"}}}
		if t.Graded > 0 {
			tv.Median, tv.Slowest = Span(t.GradingMedian), Span(t.GradingSlowest)
		}
		if t.AwaitingGrade > 0 {
			tv.LongestWait = Span(t.LongestWait)
		}
		most := 1
		for _, b := range t.Histogram {
			most = max(most, b.Count)
		}
		for i, b := range t.Histogram {
			h := b.Count * histHeight / most
			tv.Histogram = append(tv.Histogram, HistBar{X: i * histBar, Y: histHeight - h, Height: h, Label: b.Label, Count: b.Count, Before: b.Day <= 0})
		}
		tv.HistWidth = len(t.Histogram) * histBar
		v.Timeliness = append(v.Timeliness, tv)
	}
	return v
}

func signed(n int) string {
	if n > 0 {
		return "+" + strconv.Itoa(n)
	}
	if n < 0 {
		return "−" + strconv.Itoa(-n)
	}
	return "0"
}

func clipName(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// ActivityView is one activity: who has and has not completed it.
type ActivityView struct {
	CourseName   string
	Path         string
	Self         string
	Name         string
	ModName      string
	Section      string
	Groups       []Choice
	Query        cohort.Query
	HasSuspended bool
	Lists        []ActivityList
	MessageHref  string
	MessageCount int // students the message link selects
	// AwaitingGrade counts the not-completed students who submitted and wait for a grade:
	// left out of the message.
	AwaitingGrade int
	NotListed     int
}

// ActivityList is one list of students (completed, failed, not completed).
type ActivityList struct {
	Title string
	Code  string
	Rows  []ActivityStudent
}

// ActivityStudent is a student in an activity list.
type ActivityStudent struct {
	Name, Href, Groups, When, Detail string
	Awaiting                         bool // submitted, waits for the teacher's grade
}

// NewActivityView shapes an activity detail.
func NewActivityView(c *cohort.Cohort, q cohort.Query, d cohort.ActivityDetail, loc *time.Location) ActivityView {
	path := CoursePath(c.Course.ID)
	v := ActivityView{CourseName: c.Course.FullName, Path: path, Self: ActivityPath(c.Course.ID, d.Activity.CMID), Name: d.Activity.Name, ModName: d.Activity.ModName,
		Section: d.Activity.Section, Query: q, HasSuspended: c.SuspendedCount > 0, NotListed: len(d.NotListed)}
	v.Groups = append(v.Groups, Choice{Value: "", Label: "All groups you can see", Selected: q.Group == 0})
	for _, g := range c.Groups {
		v.Groups = append(v.Groups, Choice{Value: strconv.FormatInt(g.ID, 10), Label: g.Name, Selected: q.Group == g.ID})
	}
	list := func(title, code string, rows []cohort.DetailRow) ActivityList {
		l := ActivityList{Title: title, Code: code}
		for _, r := range rows {
			as := ActivityStudent{Name: r.Student.FullName, Href: StudentPath(c.Course.ID, r.Student.ID),
				Groups: joinGroups(r.Student), When: Exact(r.State.TimeCompleted, loc)}
			if d.IsAssignment {
				cell := StatusCellOf(r.Assignment, loc)
				as.Detail = cell.Label
				switch {
				case strings.Contains(cell.Detail, cell.Label): // "submitted 3 days late", not "late: submitted 3 days late"
					as.Detail = cell.Detail
				case cell.Detail != "":
					as.Detail += ": " + cell.Detail
				}
			}
			l.Rows = append(l.Rows, as)
		}
		return l
	}
	v.Lists = []ActivityList{list("Not completed", "incomplete", d.NotCompleted), list("Completed, below the pass grade", "fail", d.Failed),
		list("Completed", "complete", d.Completed)}
	var ids []int64
	for _, r := range d.ToRemind() {
		ids = append(ids, r.Student.ID)
	}
	if len(ids) > 0 {
		v.MessageHref = MessageToAll(c.Course.ID, ids)
		v.MessageCount = len(d.ToRemind())
	}
	v.AwaitingGrade = len(d.AwaitingGrade)
	for i := range v.Lists[0].Rows {
		if i < len(d.NotCompleted) && d.NotCompleted[i].Assignment.NeedsGrading {
			v.Lists[0].Rows[i].Awaiting = true
		}
	}
	return v
}

func joinGroups(s cohort.Student) string {
	out := ""
	for i, n := range s.GroupNames() {
		if i > 0 {
			out += ", "
		}
		out += n
	}
	return out
}

// cohortQuery is the query type the filter forms read.
type cohortQuery = cohort.Query

func waitVerb(n int) string {
	if n == 1 {
		return "waits"
	}
	return "wait"
}
