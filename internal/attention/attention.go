// Package attention is a teacher's working memory of a course: the students they have to
// look at (the queue) and what they decided about each, what changed since they last looked,
// whether the students they wrote to acted since, and the flag rules they tuned. It is pure:
// no HTTP, no SQL; every function that depends on the clock takes now, and dates a teacher
// types are read in their time zone.
package attention

import (
	"slices"
	"time"

	"github.com/knowthystudents/kts/internal/cohort"
)

// State is what a teacher decided about a student in a course.
type State string

// States. The zero State is New.
const (
	New       State = "new"
	Contacted State = "contacted"
	Handled   State = "handled"
	Snoozed   State = "snoozed"
)

// ParseState reads a state as a form sends it.
func ParseState(s string) (State, bool) {
	switch st := State(s); st {
	case New, Contacted, Handled, Snoozed:
		return st, true
	}
	return "", false
}

// Mark is a teacher's stored decision about one student: the state, until when a snooze
// lasts, and the flag codes the student had when it was set, so that a new reason brings
// the student back.
type Mark struct {
	UserID  int64
	State   State
	Until   time.Time // snoozed: the student comes back at this instant (a day's start)
	Reasons []cohort.FlagCode
	Updated time.Time
}

// NewMark is the mark a teacher sets now for a student who carries flags.
func NewMark(userID int64, st State, until time.Time, flags []cohort.Flag, now time.Time) Mark {
	m := Mark{UserID: userID, State: st, Updated: now, Reasons: Codes(flags)}
	if st == Snoozed {
		m.Until = until
	}
	return m
}

// Codes returns the codes of flags, in their order.
func Codes(flags []cohort.Flag) []cohort.FlagCode {
	out := make([]cohort.FlagCode, len(flags))
	for i, f := range flags {
		out[i] = f.Code
	}
	return out
}

// Effective is the state that holds now for a student who carries codes: a snooze ends on its
// date, and a snoozed, handled or contacted student with a reason the mark was not set for
// is new again.
func (m Mark) Effective(codes []cohort.FlagCode, now time.Time) State {
	switch m.State {
	case "", New:
		return New
	case Snoozed:
		if !now.Before(m.Until) {
			return New
		}
	}
	for _, c := range codes {
		if !slices.Contains(m.Reasons, c) {
			return New
		}
	}
	return m.State
}

// DayStart returns the start of the day date (YYYY-MM-DD) in loc, and false when date is not
// a valid date.
func DayStart(date string, loc *time.Location) (time.Time, bool) {
	t, err := time.ParseInLocation(time.DateOnly, date, loc)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}
