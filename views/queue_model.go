package views

import (
	"strconv"
	"time"

	"github.com/knowthystudents/kts/internal/attention"
	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/when"
)

func init() {
	// The teacher's own rules have labels of their own, so that every page that names a
	// flag by FlagLabels names them too.
	for n := 1; n <= cohort.MaxRules; n++ {
		FlagLabels[cohort.RuleCode(n)] = "your rule " + strconv.Itoa(n)
	}
}

// StateLabels are the words of the states.
var StateLabels = map[attention.State]string{
	attention.New:       "new",
	attention.Contacted: "contacted",
	attention.Handled:   "handled",
	attention.Snoozed:   "snoozed",
}

// QueueView is the attention queue page.
type QueueView struct {
	CourseID  int64
	Path      string // /course/N
	QueuePath string // /course/N/queue
	Order     string
	Rows      []QueueRow
	// List is the part of Rows the page lists, around the student in focus (a 5,000-student
	// course has thousands in its queue); ListFrom is its first row's position, 1-based.
	List       []QueueRow
	ListFrom   int
	Aside      []QueueRow
	New        int
	Contacted  int
	Focus      *QueueFocus // nil when the queue is empty
	Saved      bool
	ChangesURL string
	FollowURL  string
	RulesURL   string
}

// QueueRow is one student in the queue's list.
type QueueRow struct {
	ID      int64
	Pos     int // 1-based
	Name    string
	Href    string // the student page, with previous/next in the queue
	AtHref  string // the queue with this student in focus
	State   string
	Until   string // snoozed: the day they come back
	Flags   []FlagChip
	Current bool
}

// QueueFocus is the student being worked on, with every action at hand.
type QueueFocus struct {
	Row         QueueRow
	PrevHref    string
	NextHref    string
	MessageHref string
	NoteHref    string
	MoodleHref  string
	StateAction string // POST here
	Key         string
	Back        string // where the state forms go back to: the next student
	SnoozeUntil string // the default snooze date, a week from today
	MinDate     string // tomorrow
	LastAccess  string
}

// QueueParams is what NewQueueView needs.
type QueueParams struct {
	Cohort    *cohort.Cohort
	Queue     attention.Queue
	At        int64 // the student in focus; 0 or unknown: the first
	Now       time.Time
	Loc       *time.Location
	MoodleURL string
	Key       string
	Saved     bool // the form before said it saved
}

// The queue's list shows queueListMax students, from queueListBefore before the one in focus.
const (
	queueListMax    = 100
	queueListBefore = 10
)

// NewQueueView shapes the queue for the screen.
func NewQueueView(p QueueParams) QueueView {
	cid := p.Cohort.Course.ID
	path, qp := CoursePath(cid), QueuePath(cid)
	v := QueueView{CourseID: cid, Path: path, QueuePath: qp, Order: attention.Order, Saved: p.Saved,
		ChangesURL: ChangesPath(cid), FollowURL: FollowUpPath(cid), RulesURL: RulesPath(cid)}
	focus := -1
	for i, it := range p.Queue.Items {
		r := queueRow(it, path, p.Loc)
		r.Pos = i + 1
		r.AtHref = QueueHref(cid, it.Student.ID, false)
		r.Href = StudentFromQueue(cid, it.Student.ID, false)
		if it.Student.ID == p.At {
			focus = i
		}
		switch it.State {
		case attention.New:
			v.New++
		case attention.Contacted:
			v.Contacted++
		}
		v.Rows = append(v.Rows, r)
	}
	for _, it := range p.Queue.Aside {
		r := queueRow(it, path, p.Loc)
		r.Href = StudentPath(cid, it.Student.ID)
		v.Aside = append(v.Aside, r)
	}
	if len(v.Rows) == 0 {
		return v
	}
	if focus < 0 {
		focus = 0
	}
	v.Rows[focus].Current = true
	from := max(0, focus-queueListBefore)
	v.List, v.ListFrom = v.Rows[from:min(len(v.Rows), from+queueListMax)], from+1
	it := p.Queue.Items[focus]
	f := &QueueFocus{Row: v.Rows[focus], Key: p.Key,
		MessageHref: MessageTo(cid, it.Student.ID),
		NoteHref:    StudentFromQueue(cid, it.Student.ID, true),
		MoodleHref:  MoodleProfile(p.MoodleURL, it.Student.ID, cid),
		StateAction: StudentStatePath(cid, it.Student.ID),
		SnoozeUntil: p.Now.In(p.Loc).AddDate(0, 0, 7).Format(time.DateOnly),
		MinDate:     p.Now.In(p.Loc).AddDate(0, 0, 1).Format(time.DateOnly),
		LastAccess:  Ago(it.Student.LastCourseAccess, p.Now),
	}
	if focus > 0 {
		f.PrevHref = v.Rows[focus-1].AtHref
	}
	f.Back = QueueHref(cid, 0, true)
	if focus+1 < len(v.Rows) {
		f.NextHref = v.Rows[focus+1].AtHref
		f.Back = QueueHref(cid, v.Rows[focus+1].ID, true)
	}
	v.Focus = f
	return v
}

func queueRow(it attention.Item, path string, loc *time.Location) QueueRow {
	r := QueueRow{ID: it.Student.ID, Name: it.Student.FullName, State: StateLabels[it.State]}
	if it.State == attention.Snoozed {
		r.Until = Day(when.Of(it.Mark.Until), loc)
	}
	for _, f := range it.Student.Flags {
		r.Flags = append(r.Flags, FlagChip{Code: string(f.Code), Label: FlagLabels[f.Code], Reason: f.Reason,
			Href: WithQuery(path, cohort.Query{Flag: f.Code})})
	}
	return r
}
