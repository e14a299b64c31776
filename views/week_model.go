package views

import (
	"github.com/knowthystudents/kts/internal/cohort"
)

// WeekCourse is one course of "this week, across my courses".
type WeekCourse struct {
	ID       int64
	FullName string
	// Loaded is false when the course is not in the cache: nothing is counted then.
	Loaded bool
	// Visited is false before the teacher's first visit: every flagged student is new then.
	Visited      bool
	NewAttention int
	FollowUpsDue int
	WaitingGrade int
	WaitingCMID  int64 // an assignment with work waiting, for the link
}

// Path is the course page.
func (c WeekCourse) Path() string { return CoursePath(c.ID) }

// WaitingHref is the course page sorted so that submitted work comes first.
func (c WeekCourse) WaitingHref() string {
	if c.WaitingCMID == 0 {
		return c.Path()
	}
	return WithQuery(c.Path(), cohort.Query{Sort: cohort.SortAssignment(c.WaitingCMID), Desc: true})
}
