package cohort

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// FlagCode is a "needs attention" code of the contract; CSV exports and URLs carry it.
type FlagCode string

// Flag codes.
const (
	FlagNeverAccessed FlagCode = "never_accessed"
	FlagInactive      FlagCode = "inactive"
	FlagOverdue       FlagCode = "overdue"
	FlagFailed        FlagCode = "failed"
	FlagBehind        FlagCode = "behind"
	FlagSuspended     FlagCode = "suspended"
)

// FlagOrder returns every flag code in the contract's order, the order summaries show them.
func FlagOrder() []FlagCode {
	return []FlagCode{FlagNeverAccessed, FlagInactive, FlagOverdue, FlagFailed, FlagBehind, FlagSuspended}
}

// Flag is one reason a student needs attention, with a sentence a teacher can act on.
type Flag struct {
	Code   FlagCode
	Reason string // plain English, e.g. "no course access for 14 days"
}

// FlagCount is how many students carry a flag.
type FlagCount struct {
	Code  FlagCode
	Count int
}

// CountFlags counts the students of rows per flag, in FlagOrder, zeros included: the
// summary line above a filtered table.
func CountFlags(rows []Student) []FlagCount {
	out := make([]FlagCount, 0, 6)
	for _, code := range FlagOrder() {
		out = append(out, FlagCount{Code: code})
	}
	for _, s := range rows {
		for _, f := range s.Flags {
			if i := slices.IndexFunc(out, func(fc FlagCount) bool { return fc.Code == f.Code }); i >= 0 {
				out[i].Count++
			}
		}
	}
	return out
}

// flagContext is the course-level yardstick flags are measured against.
type flagContext struct {
	now         time.Time
	cfg         Config
	median      float64
	medianKnown bool
	assignments []Assignment
	// overdueSince[i] is "A1 overdue since 1 Nov" for assignment i's own due date, written
	// once rather than per student.
	overdueSince  []string
	activityNames map[int64]string
}

func newFlagContext(c *Cohort) flagContext {
	fc := flagContext{
		now: c.Now, cfg: c.Config, median: c.MedianCompletion, medianKnown: c.MedianKnown,
		assignments: c.Assignments, overdueSince: make([]string, len(c.Assignments)),
		activityNames: make(map[int64]string, len(c.Activities)),
	}
	for i, a := range c.Assignments {
		fc.overdueSince[i] = a.Label + " overdue since " + shortDate(a.DueDate.Time(), c.Now, c.Config.Location)
	}
	for _, a := range c.Activities {
		fc.activityNames[a.CMID] = a.Name
	}
	return fc
}

// flagsOf returns the student's flags sorted by code (appended in that order).
func flagsOf(s *Student, fc flagContext) []Flag {
	var out []Flag
	if c := s.Completion; c.comparable() && fc.medianKnown && float64(c.Percent) < fc.cfg.BehindRatio*fc.median {
		out = append(out, Flag{FlagBehind, fmt.Sprintf("completion %d %% against a course median of %s %%", c.Percent, formatMedian(fc.median))})
	}
	if r := failedReason(s.Activities, fc); r != "" {
		out = append(out, Flag{FlagFailed, r})
	}
	if !s.LastCourseAccess.Never() {
		if away := fc.now.Sub(s.LastCourseAccess.Time()); away > fc.cfg.InactiveAfter {
			out = append(out, Flag{FlagInactive, "no course access for " + days(away)})
		}
	} else {
		out = append(out, Flag{FlagNeverAccessed, "never opened the course"})
	}
	if r := overdueReason(s.Assignments, fc); r != "" {
		out = append(out, Flag{FlagOverdue, r})
	}
	if s.Suspended {
		out = append(out, Flag{FlagSuspended, "enrolment suspended"})
	}
	return applyRules(out, s, fc)
}

// overdueReason lists each overdue assignment with its due date: "A1 overdue since 1 Nov".
func overdueReason(sts []AssignmentStatus, fc flagContext) string {
	reason := ""
	for i, st := range sts {
		if st.Status != StatusOverdue {
			continue
		}
		part := fc.overdueSince[i]
		if st.Due.Unix() != fc.assignments[i].DueDate.Unix() { // an extension that ran out
			part = fc.assignments[i].Label + " overdue since " + shortDate(st.Due.Time(), fc.now, fc.cfg.Location)
		}
		if reason != "" {
			reason += ", "
		}
		reason += part
	}
	return reason
}

// failedReason names the activities in state complete-fail: "failed A1 Essay: Learning styles".
func failedReason(acts []ActivityState, fc flagContext) string {
	var names []string
	for _, a := range acts {
		if a.State == StateCompleteFail {
			names = append(names, fc.activityNames[a.CMID])
		}
	}
	if len(names) == 0 {
		return ""
	}
	return "failed " + andList(names)
}

// days says a duration in whole days, rounded down: "1 day", "14 days".
func days(d time.Duration) string {
	n := int(d / (24 * time.Hour))
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}

// shortDate writes a date the way a teacher says it, in their zone loc: "12 Nov", with the
// year only when it is not the current year there.
func shortDate(t, now time.Time, loc *time.Location) string {
	t = t.In(loc)
	if t.Year() != now.In(loc).Year() {
		return t.Format("2 Jan 2006")
	}
	return t.Format("2 Jan")
}

// formatMedian writes a median percent: "75", or "62.5" between two students.
func formatMedian(m float64) string {
	if m == float64(int(m)) {
		return fmt.Sprintf("%d", int(m))
	}
	return fmt.Sprintf("%.1f", m)
}

// andList joins names as a sentence does: "a", "a and b", "a, b and c".
func andList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
