package intake_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/intake"
	"github.com/knowthystudents/kts/internal/intake/intaketest"
	"github.com/knowthystudents/kts/internal/moodle"
)

// TestGradedFromRecordedReport reads the recorded grade report of every KTS101 student
// (userid 0): the quiz is the one graded activity other than the assignments, with Moodle's
// formatted grade and the pass or fail its icon says.
func TestGradedFromRecordedReport(t *testing.T) {
	t.Parallel()
	in, now := intaketest.KTS101Replies(t)
	in.GradeItems = new(moodle.GradeItemsReply)
	intaketest.Decode(t, "gradereport_user_get_grade_items.all-users.json", in.GradeItems)
	c := intake.Build(in, now, cohort.Config{})
	want := []cohort.GradedActivity{{CMID: 9, Name: "Week 2 check-in quiz", ModName: "quiz"}}
	if !cmp.Equal(c.Graded, want) {
		t.Fatalf("graded = %+v; want %+v", c.Graded, want)
	}
	for _, tt := range []struct {
		id   int64
		want cohort.GradeCell
	}{
		{zoe, cohort.GradeCell{Grade: "9.00", Result: cohort.ResultPass}},
		{16, cohort.GradeCell{Grade: "4.00", Result: cohort.ResultFail}}, // Mateo García
		{30, cohort.GradeCell{}}, // Ethan Brown: no attempt
		{oliver, cohort.GradeCell{}},
	} {
		s, ok := c.Student(tt.id)
		if !ok {
			t.Fatalf("student %d missing", tt.id)
		}
		if len(s.Grades) != 1 || s.Grades[0] != tt.want {
			t.Errorf("student %d: grades %+v; want [%+v]", tt.id, s.Grades, tt.want)
		}
	}
}

func TestGradedColumns(t *testing.T) {
	t.Parallel()
	name := func(s string) *string { return &s }
	sections := []moodle.Section{{Section: 1, Modules: []moodle.Module{
		{ID: 20, Name: "Forum", ModName: "forum"},
		{ID: 21, Name: "Essay", ModName: "assign"},
		{ID: 22, Name: "Quiz", ModName: "quiz"},
		{ID: 23, Name: "Tool", ModName: "lti"},
	}}}
	roster := []moodle.EnrolledUser{
		{ID: 1, FullName: "Ann A", Roles: []moodle.Role{{ShortName: "student"}}},
		{ID: 2, FullName: "Bob B", Roles: []moodle.Role{{ShortName: "student"}}},
	}
	pass := `<i class="icon fa fa-check text-success fa-fw" title="Pass" role="img" aria-label="Pass"></i>`
	fail := `<i class="icon fa fa-times text-danger fa-fw" title="Fail" role="img" aria-label="Fail"></i>`
	tests := []struct {
		name   string
		report *moodle.GradeItemsReply
		cols   []int64
		ann    []cohort.GradeCell
		bob    []cohort.GradeCell
	}{
		{"no report", nil, nil, nil, nil},
		{"course order, assignment, course total and manual items left out",
			&moodle.GradeItemsReply{UserGrades: []moodle.UserGrades{
				{UserID: 1, GradeItems: []moodle.GradeItem{
					{ItemType: "mod", ItemModule: "lti", CMID: 23, GradeFormatted: "B+", ItemName: name("Tool")},
					{ItemType: "mod", ItemModule: "quiz", CMID: 22, GradeFormatted: pass + "7.50"},
					{ItemType: "mod", ItemModule: "assign", CMID: 21, GradeFormatted: "80.00"},
					{ItemType: "manual", GradeFormatted: "3.00"},
					{ItemType: "course", GradeFormatted: "90.00"},
				}},
				{UserID: 2, GradeItems: []moodle.GradeItem{
					{ItemType: "mod", ItemModule: "quiz", CMID: 22, GradeFormatted: fail + "2.00"},
					{ItemType: "mod", ItemModule: "lti", CMID: 23, GradeFormatted: "-"},
				}},
				{UserID: 99, GradeItems: []moodle.GradeItem{ // not in the roster
					{ItemType: "mod", ItemModule: "forum", CMID: 20, GradeFormatted: "5.00"},
				}},
			}},
			[]int64{20, 22, 23},
			[]cohort.GradeCell{{}, {Grade: "7.50", Result: cohort.ResultPass}, {Grade: "B+"}},
			[]cohort.GradeCell{{}, {Grade: "2.00", Result: cohort.ResultFail}, {}}},
		{"an item of an activity the outline does not show is left out",
			&moodle.GradeItemsReply{UserGrades: []moodle.UserGrades{{UserID: 1, GradeItems: []moodle.GradeItem{
				{ItemType: "mod", ItemModule: "quiz", CMID: 77, GradeFormatted: "1.00"},
			}}}}, nil, nil, nil},
		{"an entity in the grade is unescaped",
			&moodle.GradeItemsReply{UserGrades: []moodle.UserGrades{{UserID: 1, GradeItems: []moodle.GradeItem{
				{ItemType: "mod", ItemModule: "forum", CMID: 20, GradeFormatted: "Tr&egrave;s bien"},
			}}}}, []int64{20}, []cohort.GradeCell{{Grade: "Très bien"}}, []cohort.GradeCell{{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := intake.Build(intake.Replies{Sections: sections, Roster: roster, GradeItems: tt.report}, time.Unix(1795000000, 0), cohort.Config{})
			var cols []int64
			for _, g := range c.Graded {
				cols = append(cols, g.CMID)
			}
			if !cmp.Equal(cols, tt.cols) {
				t.Errorf("columns = %v; want %v", cols, tt.cols)
			}
			for id, want := range map[int64][]cohort.GradeCell{1: tt.ann, 2: tt.bob} {
				s, _ := c.Student(id)
				if !cmp.Equal(s.Grades, want) {
					t.Errorf("student %d: %+v; want %+v", id, s.Grades, want)
				}
			}
		})
	}
}

func TestHasGradable(t *testing.T) {
	t.Parallel()
	mods := func(names ...string) []moodle.Section {
		var ms []moodle.Module
		for _, n := range names {
			ms = append(ms, moodle.Module{ModName: n})
		}
		return []moodle.Section{{Modules: ms}}
	}
	for _, tt := range []struct {
		mods []string
		want bool
	}{{nil, false}, {[]string{"assign", "page", "url"}, false}, {[]string{"page", "quiz"}, true}, {[]string{"lti"}, true}} {
		if got := intake.HasGradable(mods(tt.mods...)); got != tt.want {
			t.Errorf("HasGradable(%v) = %v; want %v", tt.mods, got, tt.want)
		}
	}
}
