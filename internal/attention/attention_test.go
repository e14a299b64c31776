package attention_test

import (
	"slices"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/attention"
	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/when"
)

const day = 24 * time.Hour

var now = time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC) // a Monday morning

func flags(codes ...cohort.FlagCode) []cohort.Flag {
	out := make([]cohort.Flag, len(codes))
	for i, c := range codes {
		out[i] = cohort.Flag{Code: c, Reason: string(c)}
	}
	return out
}

func TestEffectiveState(t *testing.T) {
	t.Parallel()
	tomorrow := now.Add(day)
	tests := []struct {
		name  string
		mark  attention.Mark
		codes []cohort.FlagCode
		want  attention.State
	}{
		{"no mark", attention.Mark{}, []cohort.FlagCode{"overdue"}, attention.New},
		{"new", attention.Mark{State: attention.New}, []cohort.FlagCode{"overdue"}, attention.New},
		{"handled, same reasons", attention.Mark{State: attention.Handled, Reasons: []cohort.FlagCode{"inactive", "overdue"}}, []cohort.FlagCode{"overdue"}, attention.Handled},
		{"handled, a new reason", attention.Mark{State: attention.Handled, Reasons: []cohort.FlagCode{"overdue"}}, []cohort.FlagCode{"inactive", "overdue"}, attention.New},
		{"handled, no flags left", attention.Mark{State: attention.Handled, Reasons: []cohort.FlagCode{"overdue"}}, nil, attention.Handled},
		{"snoozed before the date", attention.Mark{State: attention.Snoozed, Until: tomorrow, Reasons: []cohort.FlagCode{"overdue"}}, []cohort.FlagCode{"overdue"}, attention.Snoozed},
		{"snoozed, the date came", attention.Mark{State: attention.Snoozed, Until: now, Reasons: []cohort.FlagCode{"overdue"}}, []cohort.FlagCode{"overdue"}, attention.New},
		{"snoozed, a new reason before the date", attention.Mark{State: attention.Snoozed, Until: tomorrow, Reasons: []cohort.FlagCode{"overdue"}}, []cohort.FlagCode{"overdue", "rule_1"}, attention.New},
		{"contacted, same reasons", attention.Mark{State: attention.Contacted, Reasons: []cohort.FlagCode{"inactive"}}, []cohort.FlagCode{"inactive"}, attention.Contacted},
		{"contacted, a new reason", attention.Mark{State: attention.Contacted, Reasons: []cohort.FlagCode{"inactive"}}, []cohort.FlagCode{"behind", "inactive"}, attention.New},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.mark.Effective(tt.codes, now); got != tt.want {
				t.Errorf("Effective = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseState(t *testing.T) {
	t.Parallel()
	for in, ok := range map[string]bool{"new": true, "contacted": true, "handled": true, "snoozed": true, "": false, "Handled": false, "done": false} {
		if st, got := attention.ParseState(in); got != ok || ok && string(st) != in {
			t.Errorf("ParseState(%q) = %q, %v", in, st, got)
		}
	}
}

func TestDayStart(t *testing.T) {
	t.Parallel()
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	got, ok := attention.DayStart("2026-12-08", paris)
	if !ok || !got.Equal(time.Date(2026, 12, 7, 23, 0, 0, 0, time.UTC)) {
		t.Errorf("DayStart = %v, %v; want midnight in Paris, 23:00 UTC the day before", got, ok)
	}
	for _, bad := range []string{"", "2026-13-01", "8/12/2026", "2026-12-08T00:00:00Z"} {
		if _, ok := attention.DayStart(bad, paris); ok {
			t.Errorf("DayStart(%q) accepted", bad)
		}
	}
}

// student makes a student with flags, a last course access days ago (-1: never) and
// assignment statuses.
func student(id int64, name string, accessDays int, fl []cohort.Flag, as ...cohort.AssignmentStatus) cohort.Student {
	s := cohort.Student{ID: id, FullName: name, Flags: fl, Assignments: as}
	if accessDays >= 0 {
		s.LastCourseAccess = when.Of(now.Add(-time.Duration(accessDays) * day))
	}
	return s
}

func overdueSince(days int) cohort.AssignmentStatus {
	return cohort.AssignmentStatus{Status: cohort.StatusOverdue, Due: when.Of(now.Add(-time.Duration(days) * day))}
}

func TestQueueOrder(t *testing.T) {
	t.Parallel()
	c := &cohort.Cohort{Now: now, Config: cohort.DefaultConfig(), Students: []cohort.Student{
		student(1, "Ann", 1, nil),                                         // no flags: not in the queue
		student(2, "Ben", 10, flags("inactive")),                          // inactive 10 days
		student(3, "Cat", 30, flags("inactive")),                          // inactive 30 days
		student(4, "Dan", -1, flags("never_accessed")),                    // never opened the course
		student(5, "Eve", 1, flags("overdue"), overdueSince(3)),           // overdue 3 days
		student(6, "Fay", 1, flags("overdue"), overdueSince(20)),          // overdue 20 days
		student(7, "Gus", 1, flags("behind", "overdue"), overdueSince(3)), // two flags beat one
		student(8, "Hal", 1, flags("rule_1")),
		student(9, "Ivy", 20, flags("inactive")),  // contacted: after every new one
		student(10, "Jo", 20, flags("inactive")),  // handled: set aside
		student(11, "Kim", 20, flags("inactive")), // snoozed till tomorrow: set aside
		student(12, "Lou", 1, flags("behind")),
		{ID: 13, FullName: "Max", Suspended: true, Flags: flags("suspended")}, // suspended: left out
	}}
	marks := map[int64]attention.Mark{
		9:  {UserID: 9, State: attention.Contacted, Reasons: []cohort.FlagCode{"inactive"}},
		10: {UserID: 10, State: attention.Handled, Reasons: []cohort.FlagCode{"inactive"}},
		11: {UserID: 11, State: attention.Snoozed, Until: now.Add(day), Reasons: []cohort.FlagCode{"inactive"}},
	}
	q := attention.BuildQueue(c, marks, now)
	want := []int64{4, 3, 2, 7, 6, 5, 8, 12, 9}
	if got := q.IDs(); !slices.Equal(got, want) {
		t.Errorf("queue = %v, want %v", got, want)
	}
	var aside []int64
	for _, it := range q.Aside {
		aside = append(aside, it.Student.ID)
	}
	if !slices.Equal(aside, []int64{11, 10}) {
		t.Errorf("aside = %v, want snoozed 11 then handled 10", aside)
	}
	if q.Items[len(q.Items)-1].State != attention.Contacted {
		t.Errorf("last item's state = %q", q.Items[len(q.Items)-1].State)
	}
	prev, next := attention.Neighbours(q.IDs(), 3)
	if prev != 4 || next != 2 {
		t.Errorf("Neighbours(3) = %d, %d", prev, next)
	}
	if p, n := attention.Neighbours(q.IDs(), 4); p != 0 || n != 3 {
		t.Errorf("Neighbours(first) = %d, %d", p, n)
	}
	if p, n := attention.Neighbours(q.IDs(), 99); p != 0 || n != 0 {
		t.Errorf("Neighbours(absent) = %d, %d", p, n)
	}
}
