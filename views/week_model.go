package views

import (
	"net/url"
	"strconv"

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
func (c WeekCourse) Path() string { return "/course/" + strconv.FormatInt(c.ID, 10) }

// WaitingHref is the course page sorted so that submitted work comes first.
func (c WeekCourse) WaitingHref() string {
	if c.WaitingCMID == 0 {
		return c.Path()
	}
	return c.Path() + "?" + url.Values{"sort": {cohort.SortAssignment(c.WaitingCMID)}, "dir": {"desc"}}.Encode()
}
