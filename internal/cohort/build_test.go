package cohort_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/intake/intaketest"
	"github.com/knowthystudents/kts/internal/when"
)

func TestBuildRoster(t *testing.T) {
	t.Parallel()
	c := kts101(t)
	if got, want := len(c.Students), 30; got != want {
		t.Errorf("students = %d, want %d (32 participants minus teacher and tutor)", got, want)
	}
	for _, staff := range []int64{margaret, 4} {
		if _, ok := c.Student(staff); ok {
			t.Errorf("staff member %d is listed as a student", staff)
		}
	}
	if c.ActiveCount != 29 || c.SuspendedCount != 1 {
		t.Errorf("active, suspended = %d, %d; want 29, 1", c.ActiveCount, c.SuspendedCount)
	}
	if got := c.Groups; !cmp.Equal(got, []cohort.Group{{ID: groupA, Name: "Group A"}, {ID: groupB, Name: "Group B"}}) {
		t.Errorf("groups = %v", got)
	}
	first := []string{c.Students[0].FullName, c.Students[1].FullName, c.Students[2].FullName}
	if diff := cmp.Diff([]string{"Aisha Rahman", "Amara Okafor", "An Nguyễn"}, first); diff != "" {
		t.Errorf("students not sorted by name (-want +got):\n%s", diff)
	}
	s := student(t, c, zoe)
	if diff := cmp.Diff([]string{"Group A"}, s.GroupNames()); diff != "" {
		t.Errorf("Zoë's groups (-want +got):\n%s", diff)
	}
	if !student(t, c, ethan).LastCourseAccess.Never() || !student(t, c, ethan).FirstAccess.Never() {
		t.Error("Ethan has never logged in, yet has access times")
	}
}

func TestBuildWithoutActiveIDsCountsEveryoneActive(t *testing.T) {
	t.Parallel()
	in, now := intaketest.KTS101(t)
	in.ActiveIDs = nil
	c := cohort.Build(in, now, cohort.Config{})
	if c.SuspendedCount != 0 || student(t, c, lea).Suspended {
		t.Errorf("without ActiveIDs, suspended = %d (Léa %v); want 0", c.SuspendedCount, student(t, c, lea).Suspended)
	}
}

func TestBuildActivitiesInCourseOrder(t *testing.T) {
	t.Parallel()
	c := kts101(t)
	type row struct {
		CMID    int64
		Section string
		Name    string
		ModName string
	}
	var got []row
	for _, a := range c.Activities {
		got = append(got, row{a.CMID, a.Section, a.Name, a.ModName})
	}
	want := []row{
		{cmHandbook, "Getting started", "Course handbook", "page"},
		{cmReading, "Getting started", "Reading: How people learn", "url"},
		{cmForum, "Getting started", "Introduce yourself", "forum"},
		{cmA1, "Week 1: Writing to learn", "A1 Essay: Learning styles", "assign"},
		{cmA2, "Week 1: Writing to learn", "A2 Reflection journal", "assign"},
		{cmA3, "Week 2: Projects", "A3 Project proposal", "assign"},
		{cmQuiz, "Week 2: Projects", "Week 2 check-in quiz", "quiz"},
		{cmFurther, "Further study", "Further reading", "page"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("activities with completion (-want +got):\n%s", diff)
	}
	if len(c.Modules) != 10 {
		t.Errorf("modules = %d, want 10 (news forum and label included)", len(c.Modules))
	}
	var labels []string
	for _, a := range c.Assignments {
		labels = append(labels, a.Label)
	}
	if diff := cmp.Diff([]string{"A1", "A2", "A3"}, labels); diff != "" {
		t.Errorf("assignment labels (-want +got):\n%s", diff)
	}
}

func TestCompletion(t *testing.T) {
	t.Parallel()
	c := kts101(t)
	tests := []struct {
		name string
		id   int64
		want cohort.Completion
	}{
		{"everything done", zoe, cohort.Completion{Loaded: true, Completed: 8, Total: 8, Percent: 100, CourseCompleted: true}},
		{"handbook and an override", oliver, cohort.Completion{Loaded: true, Completed: 2, Total: 8, Percent: 25}},
		{"never logged in", ethan, cohort.Completion{Loaded: true, Total: 8}},
		{"complete-fail is not done", bjorn, cohort.Completion{Loaded: true, Completed: 1, Failed: 2, Total: 8, Percent: 12}},
		{"course completed counts 100 %", jose, cohort.Completion{Loaded: true, Completed: 7, Total: 8, Percent: 100, CourseCompleted: true}},
		{"suspended: no course completion", lea, cohort.Completion{Loaded: true, Completed: 2, Total: 8, Percent: 25}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, student(t, c, tt.id).Completion); diff != "" {
				t.Errorf("completion (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCompletionNotLoaded(t *testing.T) {
	t.Parallel()
	in, now := intaketest.KTS101(t)
	delete(in.Completion, oliver)
	c := cohort.Build(in, now, cohort.DefaultConfig())
	s := student(t, c, oliver)
	if s.Completion.Loaded || len(s.Activities) != 0 || c.CompletionMissing != 1 {
		t.Errorf("Oliver's completion = %+v, %d states, missing %d; want not loaded", s.Completion, len(s.Activities), c.CompletionMissing)
	}
	if s.HasFlag(cohort.FlagBehind) {
		t.Error("behind raised without completion")
	}
}

func TestOverrideResolvedToTeacher(t *testing.T) {
	t.Parallel()
	c := kts101(t)
	got, ok := student(t, c, oliver).ActivityState(cmFurther)
	if !ok {
		t.Fatal("Oliver has no state for Further reading")
	}
	want := cohort.ActivityState{
		CMID: cmFurther, State: cohort.StateComplete, TimeCompleted: when.Unix(1794084288),
		Tracking: cohort.TrackingAutomatic, OverrideBy: margaret, OverrideByName: "Margaret Ellis",
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b when.Time) bool { return a.Unix() == b.Unix() })); diff != "" {
		t.Errorf("Further reading (-want +got):\n%s", diff)
	}
	if got.Method() != cohort.MethodOverridden {
		t.Errorf("method = %q, want overridden", got.Method())
	}
}

func TestBuildEmptyInput(t *testing.T) {
	t.Parallel()
	c := cohort.Build(cohort.Input{}, time.Unix(0, 0), cohort.Config{})
	if len(c.Students) != 0 || c.MedianKnown || len(c.Rows(cohort.Query{})) != 0 {
		t.Errorf("empty input gave %+v", c)
	}
	if got := c.ActivityReport(0, true); len(got.Rows) != 0 {
		t.Errorf("report of nothing = %+v", got)
	}
}
