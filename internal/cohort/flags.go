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
	now           time.Time
	cfg           Config
	median        float64
	medianKnown   bool
	assignments   []Assignment
	activityNames map[int64]string
}

// flagsOf returns the student's flags sorted by code.
func flagsOf(s *Student, fc flagContext) []Flag {
	var out []Flag
	add := func(code FlagCode, reason string) { out = append(out, Flag{Code: code, Reason: reason}) }
	if s.Suspended {
		add(FlagSuspended, "enrolment suspended")
	}
	if s.LastCourseAccess.Never() {
		add(FlagNeverAccessed, "never opened the course")
	} else if away := fc.now.Sub(s.LastCourseAccess.Time()); away > fc.cfg.InactiveAfter {
		add(FlagInactive, "no course access for "+days(away))
	}
	if r := overdueReason(s.Assignments, fc); r != "" {
		add(FlagOverdue, r)
	}
	if r := failedReason(s.Activities, fc); r != "" {
		add(FlagFailed, r)
	}
	if c := s.Completion; c.comparable() && fc.medianKnown && float64(c.Percent) < fc.cfg.BehindRatio*fc.median {
		add(FlagBehind, fmt.Sprintf("completion %d %% against a course median of %s %%", c.Percent, formatMedian(fc.median)))
	}
	slices.SortFunc(out, func(a, b Flag) int { return strings.Compare(string(a.Code), string(b.Code)) })
	return out
}

// overdueReason lists each overdue assignment with its due date: "A1 overdue since 1 Nov".
func overdueReason(sts []AssignmentStatus, fc flagContext) string {
	var parts []string
	for i, st := range sts {
		if st.Status == StatusOverdue {
			parts = append(parts, fc.assignments[i].Label+" overdue since "+shortDate(st.Due.Time(), fc.now))
		}
	}
	return strings.Join(parts, ", ")
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

// shortDate writes a date the way a teacher says it, in now's time zone: "12 Nov", with the
// year only when it is not now's.
func shortDate(t, now time.Time) string {
	t = t.In(now.Location())
	if t.Year() != now.Year() {
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
