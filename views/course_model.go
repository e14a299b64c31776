package views

import (
	"strconv"
	"time"

	"github.com/knowthystudents/kts/internal/cohort"
)

// CohortView is the cohort page, shaped like the screen.
type CohortView struct {
	// Spread is how the students of the filter spread over completion (HasSpread false while
	// loading or with no completion).
	Spread     SpreadChart
	HasSpread  bool
	CourseID   int64
	CourseName string
	Path       string // /course/N
	Query      cohort.Query
	Groups     []Choice
	Columns    []SortColumn // name, access, completion, then one per assignment
	// GradedColumns are the graded activities other than assignments the teacher chose as
	// columns (after the assignments); GradedChoices offers every graded activity.
	GradedColumns               []string
	GradedChoices               []Choice
	Rows                        []CohortRow // this page's rows
	Shown                       int         // rows matching the filter, on every page
	Active                      int
	Suspended                   int
	FlagCounts                  []FlagChip
	Age                         string // "loaded 2 minutes ago"
	LoadedAt                    string
	Missing                     []string
	Empty                       string // why there is no table, in words; empty when there is one
	NoCompletion, NoAssignments bool
	ExportHref                  string
	ActivitiesHref              string
	ToggleSuspendedHref         string
	MessageFlaggedHref          string
	MessageShownHref            string
	MessageShownText            string
	XLSXHref                    string // the spreadsheet for people // "Message the 12 students shown"
	Paging                      Paging
	Load                        LoadState
	// Changes sums up what changed since the teacher's previous visit (nil: none yet);
	// QueueHref and AttentionHref lead to the queue and the grid sorted by attention.
	Changes                  *ChangesSummary
	QueueHref, AttentionHref string
}

// Paging is where the page's rows sit among all the rows of the filter.
type Paging struct {
	Page, Pages       int // 1-based; Pages is 1 when everything fits
	FirstRow, LastRow int // 1-based, inclusive; 0 when there are no rows
	Links             []PageLink
	PrevHref          string // "" on the first page
	NextHref          string // "" on the last page
}

// PageLink is one entry of the pager: a page number, or a gap ("…") when Href and Page are
// empty.
type PageLink struct {
	Label   string
	Href    string
	Current bool
}

// LoadState says how complete and how current the data on the page is.
type LoadState struct {
	// Loading is true while a first load fills the page in: cells not in yet show
	// placeholders, and flags wait for everything.
	Loading            bool
	AssignmentsPending bool
	CompletionPending  int
	// Refreshing is true while newer data is on its way behind what is shown.
	Refreshing bool
	// RefreshFailed says when the last refresh failed ("" when it did not).
	RefreshFailed string
	// PollHref is the fragment the page asks for to fill itself in (htmx), "" when nothing is
	// coming or the browser runs no JavaScript.
	PollHref string
	// SelfRefresh is how often, in seconds, a page without JavaScript that is still filling in
	// reloads itself (0: it does not).
	SelfRefresh int
}

// CohortParams is what NewCohortView needs.
type CohortParams struct {
	Cohort   *cohort.Cohort
	Query    cohort.Query
	Rows     []cohort.Student // the page's rows, in order (cohort.Cohort.RowsPage)
	Total    int              // rows of the filter on every page
	Page     int              // 1-based, in range
	PageSize int              // rows per page; 0 shows them all
	LoadedAt time.Time
	Load     LoadState
	Now      time.Time
	Loc      *time.Location
	// MaxRecipients caps one message: "message all shown" is offered only within it.
	MaxRecipients int
	// States are the teacher's states of students (contacted, handled, snoozed) by id.
	States  map[int64]string
	Changes *ChangesSummary
}

// Choice is an option of a select.
type Choice struct {
	Value, Label string
	Selected     bool
}

// SortColumn is a sortable column header.
type SortColumn struct {
	Key      string
	Label    string
	Title    string
	Href     string
	AriaSort string // ascending, descending or none
	Num      bool
}

// CohortRow is one student's row.
type CohortRow struct {
	// Flags are not shown (FlagsPending) while a first load is still filling in: "behind"
	// and "overdue" need everything.
	FlagsPending bool
	// CompletionLoading: completion is not known yet but on its way.
	CompletionLoading bool
	ID                int64
	Name              string
	Href              string
	Groups            string
	Suspended         bool
	Access            string
	AccessExact       string
	AccessISO         string
	CompletionKnown   bool
	Completed         int
	Total             int
	Percent           int
	CourseCompleted   bool
	// CompletionNote explains a 100 % that is not every activity (see CompletionNote).
	CompletionNote string
	Cells          []StatusCell
	Grades         []GradeCellView // one per CohortView.GradedColumns
	Flags          []FlagChip
	State          string // the teacher's state, "" for new
}

// Pending marks what a first load has not brought yet: flags always, assignment statuses
// while assignments are pending; completion shows "loading" until it lands.
func (r *CohortRow) Pending(assignments bool) {
	r.FlagsPending = true
	r.Flags = nil
	r.CompletionLoading = !r.CompletionKnown
	if assignments {
		for i := range r.Cells {
			r.Cells[i] = StatusCell{Label: "loading"}
		}
	}
}

// StatusCell is one assignment's status for one student.
type StatusCell struct {
	Code   string // contract status code
	Label  string // short text shown
	Detail string // a sentence: late by how long, extension until when, ...
	Grade  string // "92 / 100", empty when not graded
	Result string // pass, fail or empty
	// Column names the column on a phone, where the table becomes one card per student.
	Column string
}

// GradeCellView is one student's grade in one graded activity (a quiz, a rated forum, ...).
type GradeCellView struct {
	Grade  string // Moodle's formatted grade; "no grade" when there is none
	Result string // pass, fail or empty
	Column string // the column's name, for the phone layout
}

// FlagChip is a "needs attention" flag with its reason.
type FlagChip struct {
	Code   string
	Label  string
	Reason string
	Count  int
	Href   string // the cohort filtered to students with this flag
	Msg    string // the compose form for students with this flag
}

// FlagLabels are the short names of the flag codes.
var FlagLabels = map[cohort.FlagCode]string{
	"never_accessed": "never accessed",
	"inactive":       "inactive",
	"overdue":        "overdue",
	"failed":         "failed",
	"behind":         "behind",
	"suspended":      "suspended",
}

// StatusLabels are the short texts of the status codes.
var StatusLabels = map[cohort.Status]string{
	cohort.StatusSubmitted:  "submitted",
	cohort.StatusLate:       "late",
	cohort.StatusExtension:  "extension",
	cohort.StatusOverdue:    "overdue",
	cohort.StatusDraft:      "draft",
	cohort.StatusNotStarted: "not started",
	cohort.StatusUnknown:    "unknown",
}

// NewCohortView shapes a cohort for the screen: one page of its rows.
func NewCohortView(cp CohortParams) CohortView {
	c, q, now, loc := cp.Cohort, cp.Query, cp.Now, cp.Loc
	if loc == nil {
		loc = time.UTC
	}
	now = now.In(loc) // "today" is the teacher's today
	path := CoursePath(c.Course.ID)
	v := CohortView{
		CourseID: c.Course.ID, CourseName: c.Course.FullName, Path: path, Query: q,
		Shown: cp.Total, Active: c.ActiveCount, Suspended: c.SuspendedCount, Missing: c.Missing,
		Age: "loaded " + agoDuration(now.Sub(cp.LoadedAt)), LoadedAt: cp.LoadedAt.In(loc).Format("15:04:05 MST"),
		ExportHref: WithQuery(ExportCSVPath(c.Course.ID), q), XLSXHref: WithQuery(ExportXLSXPath(c.Course.ID), q), ActivitiesHref: ActivitiesPath(c.Course.ID),
		NoCompletion: len(c.Activities) == 0 && !cp.Load.Loading, NoAssignments: len(c.Assignments) == 0,
		Load: cp.Load,
	}
	tq := q
	tq.Suspended = !q.Suspended
	v.ToggleSuspendedHref = WithQuery(path, tq)
	v.Groups = append(v.Groups, Choice{Value: "", Label: "All groups you can see", Selected: q.Group == 0})
	for _, g := range c.Groups {
		v.Groups = append(v.Groups, Choice{Value: strconv.FormatInt(g.ID, 10), Label: g.Name, Selected: q.Group == g.ID})
	}
	col := func(key, label, title string, num bool) SortColumn {
		sc := SortColumn{Key: key, Label: label, Title: title, Href: WithQuery(path, q.SortBy(key)), AriaSort: "none", Num: num}
		if q.IsSortedBy(key) {
			sc.AriaSort = "ascending"
			if q.Desc {
				sc.AriaSort = "descending"
			}
		}
		return sc
	}
	v.Columns = []SortColumn{col(cohort.SortName, "Student", "", false), col(cohort.SortAccess, "Last course access", "", false),
		col(cohort.SortCompletion, "Activity completion", "", true)}
	for _, a := range c.Assignments {
		v.Columns = append(v.Columns, col(cohort.SortAssignment(a.CMID), a.Name, "Sort by "+a.Name, false))
	}
	var graded []int // indexes into c.Graded of the chosen columns, in course order
	for i, g := range c.Graded {
		v.GradedChoices = append(v.GradedChoices, Choice{Value: strconv.FormatInt(g.CMID, 10), Label: g.Name, Selected: q.HasCol(g.CMID)})
		if q.HasCol(g.CMID) {
			graded = append(graded, i)
			v.GradedColumns = append(v.GradedColumns, g.Name)
		}
	}
	if !cp.Load.Loading {
		for _, fc := range c.FlagCounts {
			// Suspended enrolments have their own card with the "show them" switch.
			if fc.Count > 0 && fc.Code != "suspended" {
				fq := cohort.Query{Group: q.Group, Attention: true}
				v.FlagCounts = append(v.FlagCounts, FlagChip{Code: string(fc.Code), Label: FlagLabels[fc.Code], Count: fc.Count,
					Msg: MessageHref(c.Course.ID, fq, fc.Code), Href: WithQuery(path, cohort.Query{Group: q.Group, Flag: fc.Code})})
			}
		}
	}
	v.Paging = paging(q, path, cp.Total, cp.Page, cp.PageSize)
	for _, s := range cp.Rows {
		r := cohortRow(c, s, path, now, loc)
		for _, i := range graded {
			g := GradeCellView{Grade: "no grade", Column: c.Graded[i].Name}
			if i < len(s.Grades) && s.Grades[i].Grade != "" {
				g.Grade, g.Result = s.Grades[i].Grade, string(s.Grades[i].Result)
			}
			r.Grades = append(r.Grades, g)
		}
		r.State = cp.States[s.ID]
		r.Href = WithQuery(r.Href, q) // the student page's previous and next follow this filter and sort
		if cp.Load.Loading {
			r.Pending(cp.Load.AssignmentsPending)
		}
		v.Rows = append(v.Rows, r)
	}
	switch {
	case c.ActiveCount+c.SuspendedCount == 0:
		v.Empty = "This course has no students yet (or none that Moodle shows you)."
	case cp.Total == 0:
		v.Empty = "No student matches these filters."
	}
	v.Changes, v.QueueHref = cp.Changes, QueuePath(c.Course.ID)
	v.AttentionHref = WithQuery(path, cohort.Query{Group: q.Group, Attention: true, Sort: cohort.SortAttention})
	flagged := cohort.Query{Group: q.Group, Attention: true}
	v.MessageFlaggedHref = MessageHref(c.Course.ID, flagged, "")
	shown := q
	shown.Sort, shown.Desc = "", false
	if cp.Total > 0 && (cp.MaxRecipients == 0 || cp.Total <= cp.MaxRecipients) {
		v.MessageShownHref = MessageHref(c.Course.ID, shown, "")
		v.MessageShownText = "Message the " + Plural(cp.Total, "student", "students") + " shown"
	}
	if !cp.Load.Loading && !v.NoCompletion {
		v.Spread, v.HasSpread = NewSpreadChart(c.Rows(q))
	}
	return v
}

// paging is the pager of page (in range) when n rows are cut into pages of size.
func paging(q cohort.Query, path string, n, page, size int) Paging {
	if size <= 0 || n <= size {
		p := Paging{Page: 1, Pages: 1}
		if n > 0 {
			p.FirstRow, p.LastRow = 1, n
		}
		return p
	}
	pages := (n + size - 1) / size
	page = min(max(page, 1), pages)
	p := Paging{Page: page, Pages: pages, FirstRow: (page-1)*size + 1, LastRow: min(page*size, n)}
	if page > 1 {
		p.PrevHref = PageHref(q, path, page-1)
	}
	if page < pages {
		p.NextHref = PageHref(q, path, page+1)
	}
	last := 0
	for i := 1; i <= pages; i++ {
		// The first, the last, and two either side of the current one; a gap for the rest.
		if i != 1 && i != pages && (i < page-2 || i > page+2) {
			continue
		}
		if last != 0 && i > last+1 {
			p.Links = append(p.Links, PageLink{Label: "…"})
		}
		p.Links = append(p.Links, PageLink{Label: strconv.Itoa(i), Href: PageHref(q, path, i), Current: i == page})
		last = i
	}
	return p
}

func cohortRow(c *cohort.Cohort, s cohort.Student, path string, now time.Time, loc *time.Location) CohortRow {
	r := CohortRow{
		ID: s.ID, Name: s.FullName, Href: StudentPath(c.Course.ID, s.ID),
		Suspended: s.Suspended, Access: Ago(s.LastCourseAccess, now), AccessExact: Exact(s.LastCourseAccess, loc),
		AccessISO: ISO(s.LastCourseAccess), CompletionKnown: s.Completion.Loaded,
		Completed: s.Completion.Completed, Total: s.Completion.Total, Percent: s.Completion.Percent,
		CourseCompleted: s.Completion.CourseCompleted, CompletionNote: CompletionNote(s.Completion),
	}
	for i, g := range s.Groups {
		if i > 0 {
			r.Groups += ", "
		}
		r.Groups += g.Name
	}
	for i, a := range s.Assignments {
		cell := StatusCellOf(a, loc)
		if i < len(c.Assignments) {
			cell.Column = c.Assignments[i].Name
		}
		r.Cells = append(r.Cells, cell)
	}
	for _, f := range s.Flags {
		r.Flags = append(r.Flags, FlagChip{Code: string(f.Code), Label: FlagLabels[f.Code], Reason: f.Reason})
	}
	return r
}

// StatusCellOf describes one assignment status.
func StatusCellOf(a cohort.AssignmentStatus, loc *time.Location) StatusCell {
	cell := StatusCell{Code: string(a.Status), Label: StatusLabels[a.Status], Result: string(a.Result)}
	switch a.Status {
	case cohort.StatusLate:
		cell.Detail = "submitted " + Span(a.LateBy) + " late"
	case cohort.StatusSubmitted:
		cell.Detail = "submitted " + Day(a.Submitted, loc)
	case cohort.StatusExtension:
		cell.Detail = "extension until " + Day(a.ExtensionUntil, loc)
	case cohort.StatusOverdue:
		cell.Detail = "due " + Day(a.Due, loc)
		if a.SubmissionStatus == "draft" {
			cell.Detail += "; a draft is saved but not submitted"
		}
	case cohort.StatusDraft:
		cell.Detail = "draft saved, due " + Day(a.Due, loc)
	case cohort.StatusNotStarted:
		if !a.Due.Never() {
			cell.Detail = "due " + Day(a.Due, loc)
		}
	}
	if a.Graded {
		cell.Grade = Num(a.Grade) + " / " + Num(a.GradeMax)
	} else if a.NeedsGrading {
		cell.Detail += "; waiting for a grade"
	}
	return cell
}

func agoDuration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "just now"
	case d < 2*time.Minute:
		return "1 minute ago"
	case d < time.Hour:
		return strconv.Itoa(int(d.Minutes())) + " minutes ago"
	}
	return strconv.Itoa(int(d.Hours())) + " hours ago"
}

// CompletionNote explains why a student with activities left shows 100 %: Moodle counts a
// completed course as 100 % whatever its activities say (its criteria may not need them all).
// Empty when the figures need no explanation.
func CompletionNote(c cohort.Completion) string {
	if !c.Loaded || !c.CourseCompleted || c.Completed >= c.Total {
		return ""
	}
	return "100 % because Moodle marks the course completed; " + Plural(c.Total-c.Completed, "activity is", "activities are") + " still not done"
}

// Plural writes a count with its noun: "1 student", "3 students".
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// messageWhom is the rest of a flag card link's name: "this student", "these 3 students".
func messageWhom(n int) string {
	if n == 1 {
		return "this student"
	}
	return "these " + strconv.Itoa(n) + " students"
}
