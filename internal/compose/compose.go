// Package compose writes the words of a message to a student: one sentence per reason the
// dashboard flags them for (overdue, inactive, behind, failed, never accessed, a teacher's
// rule), joined for a student with several, and the text a message form starts with. It is
// pure: it reads a built cohort and says nothing about sending.
package compose

import (
	"strconv"
	"strings"
	"time"

	"github.com/knowthystudents/kts/internal/cohort"
)

// Placeholder is what a teacher writes in a message to have each student's reasons there.
const Placeholder = "{reasons}"

// Reasons is one sentence per flag of st, addressed to the student, in the flags' order and
// joined into one paragraph; "" for a student with no flag. A student who is only overdue is
// told about the overdue work, not that they are behind.
func Reasons(c *cohort.Cohort, st cohort.Student) string {
	var out []string
	for _, f := range st.Flags {
		if s := Sentence(c, st, f); s != "" {
			out = append(out, s)
		}
	}
	return strings.Join(out, " ")
}

// Sentence is the sentence for one flag of st; "" for a flag that is not the student's to act
// on (a suspended enrolment).
func Sentence(c *cohort.Cohort, st cohort.Student, f cohort.Flag) string {
	switch f.Code {
	case cohort.FlagOverdue:
		names := overdueNames(c, st)
		switch len(names) {
		case 0:
			return "Some of your work is past its due date and not handed in yet: you can still submit it."
		case 1:
			return names[0] + " is past its due date and not handed in yet: you can still submit it."
		}
		return andList(names) + " are past their due dates and not handed in yet: you can still submit them."
	case cohort.FlagNeverAccessed:
		return "You have not opened the course page yet: everything starts there."
	case cohort.FlagInactive:
		if !st.LastCourseAccess.Never() {
			days := int(c.Now.Sub(st.LastCourseAccess.Time()) / (24 * time.Hour))
			return "You have not opened the course for " + strconv.Itoa(days) + " days: have a look at what is new."
		}
		return "You have not opened the course for a while: have a look at what is new."
	case cohort.FlagBehind:
		p := st.Completion
		return "You have completed " + strconv.Itoa(p.Completed) + " of " + strconv.Itoa(p.Total) +
			" activities, fewer than most of the class: pick up the next one when you can."
	case cohort.FlagFailed:
		names := failedNames(c, st)
		if len(names) == 0 {
			return "One of your activities is below its pass grade: you may be able to try again."
		}
		return andList(names) + " did not reach the pass grade yet: you may be able to try again."
	case cohort.FlagSuspended:
		return ""
	}
	// A teacher's own rule: its reason in their words.
	if f.Reason == "" {
		return ""
	}
	r := []rune(f.Reason)
	return strings.ToUpper(string(r[0])) + string(r[1:]) + "."
}

// DefaultText is what the message form starts with for these students: a greeting, each
// student's own reasons, and an offer of help. Students without a flag get the greeting and
// the offer only.
func DefaultText() string {
	return "Hello {firstname},\n\nI am writing about {course}. " + Placeholder + "\n\nIf something is in the way, reply to this message and we will find a way."
}

func overdueNames(c *cohort.Cohort, st cohort.Student) []string {
	var names []string
	for i, a := range st.Assignments {
		if a.Status == cohort.StatusOverdue && i < len(c.Assignments) {
			names = append(names, c.Assignments[i].Name)
		}
	}
	return names
}

func failedNames(c *cohort.Cohort, st cohort.Student) []string {
	var names []string
	for _, a := range st.Activities {
		if a.State == cohort.StateCompleteFail {
			if act, ok := c.Activity(a.CMID); ok {
				names = append(names, act.Name)
			}
		}
	}
	return names
}

// andList joins names as a sentence does: "a", "a and b", "a, b and c".
func andList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// Narrowing is a smaller selection a teacher can write to instead of one over the recipient
// cap: the students of the current filter with one flag, or in one group.
type Narrowing struct {
	Label string // "overdue", "Group A"
	Count int
	Query cohort.Query    // the cohort filter of the selection
	Flag  cohort.FlagCode // and only students with this flag, when set
}

// Narrow lists the selections within limit that the filter q (and flag, when set) can be
// narrowed to: each flag, then each group, with how many students each holds; empty ones and
// those still over the limit are left out.
func Narrow(c *cohort.Cohort, q cohort.Query, flag cohort.FlagCode, limit int) []Narrowing {
	if flag == "" {
		flag = q.Flag
	}
	q.Flag = "" // the flag is counted here, so that each narrowing can name its own
	rows := c.Rows(q)
	var out []Narrowing
	if flag == "" {
		for _, code := range cohort.FlagOrder() {
			if code == cohort.FlagSuspended {
				continue
			}
			n := 0
			for _, st := range rows {
				if hasFlag(st, code) {
					n++
				}
			}
			if n > 0 && n <= limit {
				fq := q
				fq.Flag = code
				out = append(out, Narrowing{Label: string(code), Count: n, Query: fq, Flag: code})
			}
		}
	}
	if q.Group == 0 {
		for _, g := range c.Groups {
			gq := q
			gq.Group = g.ID
			gq.Flag = flag
			n := len(c.Rows(gq))
			if n > 0 && n <= limit {
				out = append(out, Narrowing{Label: g.Name, Count: n, Query: gq})
			}
		}
	}
	return out
}

func hasFlag(st cohort.Student, f cohort.FlagCode) bool {
	for _, x := range st.Flags {
		if x.Code == f {
			return true
		}
	}
	return false
}
