package cohort_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/intake/intaketest"
	"github.com/knowthystudents/kts/internal/when"
)

func TestFlagsKTS101(t *testing.T) {
	t.Parallel()
	c := kts101(t)
	if !c.MedianKnown || c.MedianCompletion != 75 {
		t.Fatalf("median = %v (known %v), want 75", c.MedianCompletion, c.MedianKnown)
	}
	tests := []struct {
		name string
		id   int64
		want []cohort.Flag
	}{
		{"all done", zoe, nil},
		{"never logged in", ethan, []cohort.Flag{
			{cohort.FlagBehind, "completion 0 % against a course median of 75 %"},
			{cohort.FlagNeverAccessed, "never opened the course"},
			{cohort.FlagOverdue, "A1 overdue since 1 Nov, A3 overdue since 20 Nov"},
		}},
		{"struggling", oliver, []cohort.Flag{
			{cohort.FlagBehind, "completion 25 % against a course median of 75 %"},
			{cohort.FlagInactive, "no course access for 14 days"},
			{cohort.FlagOverdue, "A3 overdue since 20 Nov"},
		}},
		{"site yes, course no", soren, []cohort.Flag{
			{cohort.FlagBehind, "completion 0 % against a course median of 75 %"},
			{cohort.FlagInactive, "no course access for 21 days"},
			{cohort.FlagOverdue, "A1 overdue since 1 Nov, A3 overdue since 20 Nov"},
		}},
		{"failed A1 and the quiz", bjorn, []cohort.Flag{
			{cohort.FlagBehind, "completion 12 % against a course median of 75 %"},
			{cohort.FlagFailed, "failed A1 Essay: Learning styles and Week 2 check-in quiz"},
			{cohort.FlagOverdue, "A3 overdue since 20 Nov"},
		}},
		{"failed A1 and the quiz", hannah, []cohort.Flag{
			{cohort.FlagBehind, "completion 12 % against a course median of 75 %"},
			{cohort.FlagFailed, "failed A1 Essay: Learning styles and Week 2 check-in quiz"},
			{cohort.FlagOverdue, "A3 overdue since 20 Nov"},
		}},
		{"extension is not overdue", mei, nil},
		{"suspended", lea, []cohort.Flag{
			{cohort.FlagBehind, "completion 25 % against a course median of 75 %"},
			{cohort.FlagInactive, "no course access for 10 days"},
			{cohort.FlagOverdue, "A3 overdue since 20 Nov"},
			{cohort.FlagSuspended, "enrolment suspended"},
		}},
		{"late work is not overdue", dmitri, []cohort.Flag{
			{cohort.FlagBehind, "completion 37 % against a course median of 75 %"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, student(t, c, tt.id).Flags); diff != "" {
				t.Errorf("flags (-want +got):\n%s", diff)
			}
		})
	}
	wantCounts := []cohort.FlagCount{
		{cohort.FlagNeverAccessed, 1}, {cohort.FlagInactive, 4}, {cohort.FlagOverdue, 10},
		{cohort.FlagFailed, 4}, {cohort.FlagBehind, 10}, {cohort.FlagSuspended, 1},
	}
	if diff := cmp.Diff(wantCounts, c.FlagCounts); diff != "" {
		t.Errorf("flag counts (-want +got):\n%s", diff)
	}
}

func TestFlagThresholdsAreConfigurable(t *testing.T) {
	t.Parallel()
	in, now := intaketest.KTS101(t)
	tests := []struct {
		name string
		cfg  cohort.Config
		id   int64
		want []cohort.FlagCode
	}{
		{"default: 14 days away is inactive", cohort.Config{}, oliver, []cohort.FlagCode{cohort.FlagBehind, cohort.FlagInactive, cohort.FlagOverdue}},
		{"a 15-day threshold", cohort.Config{InactiveAfter: 15 * day}, oliver, []cohort.FlagCode{cohort.FlagBehind, cohort.FlagOverdue}},
		{"behind below a tenth of the median", cohort.Config{BehindRatio: 0.1}, oliver, []cohort.FlagCode{cohort.FlagInactive, cohort.FlagOverdue}},
		{"behind below the median", cohort.Config{BehindRatio: 1}, priya, nil},
		{"behind below 1.2 × the median", cohort.Config{BehindRatio: 1.2}, priya, []cohort.FlagCode{cohort.FlagBehind}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := cohort.Build(in, now, tt.cfg)
			if diff := cmp.Diff(tt.want, codes(student(t, c, tt.id).Flags)); diff != "" {
				t.Errorf("flags (-want +got):\n%s", diff)
			}
		})
	}
}

// TestBehindIgnoresSuspendedForMedian: the median is over active students only, so a crowd of
// suspended enrolments cannot move it.
func TestBehindIgnoresSuspendedForMedian(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	mk := func(id int64, done int) (cohort.Participant, []cohort.CompletionStatus) {
		u := cohort.Participant{ID: id, FullName: "S" + string(rune('A'+id)), Roles: []string{"student"}, LastCourseAccess: when.Of(now)}
		var ac []cohort.CompletionStatus
		for k := range 4 {
			st := cohort.CompletionStatus{CMID: int64(k + 1), Tracking: 2}
			if k < done {
				st.State = 1
			}
			ac = append(ac, st)
		}
		return u, ac
	}
	in := cohort.Input{ActiveIDs: map[int64]bool{}, Completion: map[int64][]cohort.CompletionStatus{}}
	for id, done := range map[int64]int{1: 4, 2: 4, 3: 1, 4: 0, 5: 0, 6: 0} {
		u, ac := mk(id, done)
		in.Roster = append(in.Roster, u)
		in.Completion[id] = ac
		if id <= 3 {
			in.ActiveIDs[id] = true
		}
	}
	c := cohort.Build(in, now, cohort.DefaultConfig())
	if c.MedianCompletion != 100 {
		t.Errorf("median = %v, want 100 (active 100, 100, 25)", c.MedianCompletion)
	}
	if !student(t, c, 3).HasFlag(cohort.FlagBehind) || student(t, c, 1).HasFlag(cohort.FlagBehind) {
		t.Errorf("behind: student 3 %v, student 1 %v", student(t, c, 3).Flags, student(t, c, 1).Flags)
	}
}

func TestShortLabel(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, want string }{
		{"A1 Essay: Learning styles", "A1"},
		{"HW3 Fractions", "HW3"},
		{"TMA01 Portfolio", "TMA01"},
		{"Essay on learning", "Essay on learning"},
		{"2024 review", "2024 review"},
		{"A1", "A1"},
		{"A1: Essay", "A1: Essay"},
	}
	for _, tt := range tests {
		in := oneAssignment(time.Time{}, time.Time{}, nil)
		in.Assignments[0].Name = tt.name
		c := cohort.Build(in, time.Now(), cohort.Config{})
		if got := c.Assignments[0].Label; got != tt.want {
			t.Errorf("label of %q = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestCountFlags(t *testing.T) {
	t.Parallel()
	c := kts101(t)
	got := cohort.CountFlags(c.Rows(cohort.Query{Group: groupA}))
	want := []cohort.FlagCount{
		{cohort.FlagNeverAccessed, 0}, {cohort.FlagInactive, 0}, {cohort.FlagOverdue, 4},
		{cohort.FlagFailed, 2}, {cohort.FlagBehind, 3}, {cohort.FlagSuspended, 0}, // behind: Björn, Emily, Hannah
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Group A flag counts (-want +got):\n%s", diff)
	}
}
