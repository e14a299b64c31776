package compose_test

import (
	"strings"
	"testing"

	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/compose"
	"github.com/knowthystudents/kts/internal/intake/intaketest"
)

const (
	zoe, oliver, bjorn, dmitri, ethan, lea = 5, 14, 11, 26, 30, 31
)

func kts101(t *testing.T) *cohort.Cohort {
	t.Helper()
	in, now := intaketest.KTS101(t)
	return cohort.Build(in, now, cohort.DefaultConfig())
}

func TestReasonsPerStudent(t *testing.T) {
	t.Parallel()
	c := kts101(t)
	tests := []struct {
		name string
		id   int64
		want string
	}{
		{"no flag: nothing", zoe, ""},
		{"behind only", dmitri, "You have completed 3 of 8 activities, fewer than most of the class: pick up the next one when you can."},
		{"three reasons, joined in the flags' order", ethan, "You have completed 0 of 8 activities, fewer than most of the class: pick up the next one when you can. " +
			"You have not opened the course page yet: everything starts there. " +
			"A1 Essay: Learning styles and A3 Project proposal are past their due dates and not handed in yet: you can still submit them."},
		{"inactive says for how long", oliver, "You have completed 2 of 8 activities, fewer than most of the class: pick up the next one when you can. " +
			"You have not opened the course for 14 days: have a look at what is new. " +
			"A3 Project proposal is past its due date and not handed in yet: you can still submit it."},
		{"failed names the activities", bjorn, "You have completed 1 of 8 activities, fewer than most of the class: pick up the next one when you can. " +
			"A1 Essay: Learning styles and Week 2 check-in quiz did not reach the pass grade yet: you may be able to try again. " +
			"A3 Project proposal is past its due date and not handed in yet: you can still submit it."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			st, _ := c.Student(tt.id)
			if got := compose.Reasons(c, st); got != tt.want {
				t.Errorf("Reasons:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestOverdueOnlyIsNotToldTheyAreBehind: the trap, over every such student of KTS101.
func TestOverdueOnlyIsNotToldTheyAreBehind(t *testing.T) {
	t.Parallel()
	c := kts101(t)
	n := 0
	for _, st := range c.Students {
		if len(st.Flags) != 1 || st.Flags[0].Code != cohort.FlagOverdue {
			continue
		}
		n++
		got := compose.Reasons(c, st)
		if !strings.Contains(got, "past its due date") && !strings.Contains(got, "past their due dates") || strings.Contains(got, "fewer than most") {
			t.Errorf("%s (only overdue) gets %q", st.FullName, got)
		}
	}
	if n == 0 {
		t.Fatal("KTS101 has no student who is only overdue: the test checks nothing")
	}
}

func TestSentenceForSuspendedAndTeachersRule(t *testing.T) {
	t.Parallel()
	c := kts101(t)
	st, _ := c.Student(lea)
	if got := compose.Sentence(c, st, cohort.Flag{Code: cohort.FlagSuspended, Reason: "enrolment suspended"}); got != "" {
		t.Errorf("suspended: %q; want nothing (not the student's to act on)", got)
	}
	if got := compose.Sentence(c, st, cohort.Flag{Code: "rule_1", Reason: "no forum post in 10 days"}); got != "No forum post in 10 days." {
		t.Errorf("teacher's rule: %q", got)
	}
}

func TestNarrowStaysWithinTheLimit(t *testing.T) {
	t.Parallel()
	c := kts101(t)
	got := compose.Narrow(c, cohort.Query{}, "", 12)
	if len(got) == 0 {
		t.Fatal("no narrowing offered for 29 students and a limit of 12")
	}
	var labels []string
	for _, n := range got {
		if n.Count == 0 || n.Count > 12 {
			t.Errorf("%s: %d students, outside 1..12", n.Label, n.Count)
		}
		labels = append(labels, n.Label)
	}
	if !strings.Contains(strings.Join(labels, ","), "overdue") {
		t.Errorf("offered %v; want the 10 overdue students among them", labels)
	}
}
