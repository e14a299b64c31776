package views

import (
	"strings"
	"time"

	"github.com/knowthystudents/kts/internal/attention"
	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/when"
)

// FollowUpView is the follow-up page.
type FollowUpView struct {
	Path     string
	Days     int
	Rows     []FollowUpRow
	Due      int
	MsgDue   string // the compose form for every due student
	QueueURL string
}

// FollowUpRow is one contacted student.
type FollowUpRow struct {
	ID        int64
	Name      string
	Href      string
	Contacted string // "3 days ago"
	Exact     string
	Reasons   string // the flags they had then
	Actions   []string
	Due       bool
}

// NewFollowUpView shapes follow-ups for the screen.
func NewFollowUpView(c *cohort.Cohort, fs []attention.FollowUp, after time.Duration, now time.Time, loc *time.Location) FollowUpView {
	v := FollowUpView{Path: CoursePath(c.Course.ID), Days: int(after / (24 * time.Hour)), QueueURL: QueuePath(c.Course.ID)}
	var due []int64
	for _, f := range fs {
		r := FollowUpRow{ID: f.Student.ID, Name: f.Student.FullName, Href: StudentPath(c.Course.ID, f.Student.ID),
			Contacted: Ago(when.Of(f.Contact.At), now), Exact: Exact(when.Of(f.Contact.At), loc), Due: f.Due}
		var rs []string
		for _, code := range f.Contact.Codes {
			rs = append(rs, FlagLabels[code])
		}
		r.Reasons = strings.Join(rs, ", ")
		for _, a := range f.Actions {
			r.Actions = append(r.Actions, a.What+" "+Ago(when.Of(a.At), now))
		}
		if f.Due {
			v.Due++
			due = append(due, f.Student.ID)
		}
		v.Rows = append(v.Rows, r)
	}
	if v.Due > 0 {
		v.MsgDue = MessageToAll(c.Course.ID, due)
	}
	return v
}
