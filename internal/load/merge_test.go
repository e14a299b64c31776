package load

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/knowthystudents/kts/internal/intake"
	"github.com/knowthystudents/kts/internal/moodle"
)

var t0 = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

func student(id int64, name string, access time.Time) moodle.EnrolledUser {
	u := moodle.EnrolledUser{ID: id, FullName: name, Roles: []moodle.Role{{ShortName: "student"}}}
	if !access.IsZero() {
		u.LastCourseAccess = moodle.TimeOf(access)
	}
	return u
}

func TestChangedStudents(t *testing.T) {
	t.Parallel()
	since := moodle.TimeOf(t0.Add(-2 * time.Minute))
	old := t0.Add(-48 * time.Hour)
	teacher := moodle.EnrolledUser{ID: 3, FullName: "Teacher", Roles: []moodle.Role{{ShortName: "editingteacher"}}}
	prev := intake.Replies{
		Roster:    []moodle.EnrolledUser{teacher, student(10, "Bea", old), student(11, "Al", old), student(12, "Cy", time.Time{})},
		ActiveIDs: map[int64]bool{3: true, 10: true, 11: true, 12: true},
		Completion: map[int64]*moodle.ActivitiesCompletion{
			10: {}, 11: {}, 12: {},
		},
		CourseCompletion: map[int64]*moodle.CourseCompletion{},
	}
	cronWaits := &moodle.CourseCompletion{}
	cronWaits.CompletionStatus.Completions = []moodle.CompletionCriterion{{Complete: true}, {Complete: true}}
	sub := func(user int64) *moodle.SubmissionsReply {
		return &moodle.SubmissionsReply{Assignments: []moodle.AssignmentSubmissions{{AssignmentID: 1, Submissions: []moodle.Submission{{UserID: user}}}}}
	}
	grade := func(user int64) *moodle.GradesReply {
		g := &moodle.GradesReply{}
		g.Assignments = append(g.Assignments, moodle.AssignmentGrades{AssignmentID: 1, Grades: []moodle.AssignGrade{{UserID: user}}})
		return g
	}
	tests := []struct {
		name   string
		prev   func(in *intake.Replies)
		roster []moodle.EnrolledUser
		active map[int64]bool
		subs   *moodle.SubmissionsReply
		grades *moodle.GradesReply
		want   []int64
	}{
		{name: "nothing moved", want: nil},
		{name: "access moved", roster: []moodle.EnrolledUser{teacher, student(10, "Bea", old.Add(time.Hour)), student(11, "Al", old), student(12, "Cy", time.Time{})}, want: []int64{10}},
		{name: "first access", roster: []moodle.EnrolledUser{teacher, student(10, "Bea", old), student(11, "Al", old), student(12, "Cy", t0.Add(-time.Hour))}, want: []int64{12}},
		{name: "access unchanged but within the window", prev: func(in *intake.Replies) { in.Roster[1] = student(10, "Bea", t0.Add(-time.Minute)) },
			roster: []moodle.EnrolledUser{teacher, student(10, "Bea", t0.Add(-time.Minute)), student(11, "Al", old), student(12, "Cy", time.Time{})}, want: []int64{10}},
		{name: "new student, in name order", roster: []moodle.EnrolledUser{teacher, student(10, "Bea", old), student(11, "Al", old), student(12, "Cy", time.Time{}), student(13, "Aa", old)}, want: []int64{13}},
		{name: "left the course", roster: []moodle.EnrolledUser{teacher, student(10, "Bea", old), student(12, "Cy", time.Time{})}, want: nil},
		{name: "submission", subs: sub(11), want: []int64{11}},
		{name: "grade", grades: grade(12), want: []int64{12}},
		{name: "suspended", active: map[int64]bool{3: true, 11: true, 12: true}, want: []int64{10}},
		{name: "completion never came", prev: func(in *intake.Replies) { delete(in.Completion, 11) }, want: []int64{11}},
		{name: "course completion waits for cron", prev: func(in *intake.Replies) { in.CourseCompletion[12] = cronWaits }, want: []int64{12}},
		{name: "several, in name order", subs: sub(10), grades: grade(11), want: []int64{11, 10}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := prev
			p.Roster = append([]moodle.EnrolledUser(nil), prev.Roster...)
			p.Completion = map[int64]*moodle.ActivitiesCompletion{10: {}, 11: {}, 12: {}}
			p.CourseCompletion = map[int64]*moodle.CourseCompletion{}
			if tt.prev != nil {
				tt.prev(&p)
			}
			roster := tt.roster
			if roster == nil {
				roster = p.Roster
			}
			active := tt.active
			if active == nil {
				active = prev.ActiveIDs
			}
			got := changedStudents(p, roster, active, tt.subs, tt.grades, since)
			if d := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); d != "" {
				t.Errorf("changedStudents (-want +got):\n%s", d)
			}
		})
	}
}

func TestOverlay(t *testing.T) {
	t.Parallel()
	type rec struct {
		user int64
		v    string
	}
	user := func(r rec) int64 { return r.user }
	tests := []struct {
		name       string
		old, newer []rec
		want       []rec
	}{
		{"nothing newer", []rec{{1, "a"}, {2, "b"}}, nil, []rec{{1, "a"}, {2, "b"}}},
		{"replaced in place", []rec{{1, "a"}, {2, "b"}}, []rec{{2, "B"}}, []rec{{1, "a"}, {2, "B"}}},
		{"added at the end", []rec{{1, "a"}}, []rec{{3, "c"}, {2, "b"}}, []rec{{1, "a"}, {3, "c"}, {2, "b"}}},
		{"both", []rec{{1, "a"}, {2, "b"}}, []rec{{3, "c"}, {1, "A"}}, []rec{{1, "A"}, {2, "b"}, {3, "c"}}},
		{"from nothing", nil, []rec{{1, "a"}}, []rec{{1, "a"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			old := append([]rec(nil), tt.old...)
			got := overlay(old, tt.newer, user)
			if d := cmp.Diff(tt.want, got, cmp.AllowUnexported(rec{})); d != "" {
				t.Errorf("overlay (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tt.old, old, cmp.AllowUnexported(rec{})); d != "" {
				t.Errorf("overlay changed its input (-before +after):\n%s", d)
			}
		})
	}
}

func TestMergeSubmissions(t *testing.T) {
	t.Parallel()
	subs := func(a int64, users ...int64) moodle.AssignmentSubmissions {
		as := moodle.AssignmentSubmissions{AssignmentID: a}
		for _, u := range users {
			as.Submissions = append(as.Submissions, moodle.Submission{UserID: u, Status: "submitted", ID: a*100 + u})
		}
		return as
	}
	prev := &moodle.SubmissionsReply{Assignments: []moodle.AssignmentSubmissions{subs(1, 10, 11), subs(2)}}
	since := &moodle.SubmissionsReply{Assignments: []moodle.AssignmentSubmissions{subs(1, 11, 12), subs(2, 10)}}
	since.Assignments[0].Submissions[0].Status = "draft" // 11 went back to draft
	got := mergeSubmissions(prev, since)
	want := &moodle.SubmissionsReply{Assignments: []moodle.AssignmentSubmissions{subs(1, 10, 11, 12), subs(2, 10)}}
	want.Assignments[0].Submissions[1].Status = "draft"
	if d := cmp.Diff(want, got, cmp.Comparer(func(a, b moodle.Time) bool { return a.Unix() == b.Unix() })); d != "" {
		t.Errorf("mergeSubmissions (-want +got):\n%s", d)
	}
	if len(prev.Assignments[0].Submissions) != 2 || prev.Assignments[0].Submissions[1].Status != "submitted" {
		t.Errorf("mergeSubmissions changed the previous snapshot: %+v", prev.Assignments[0])
	}
}

func TestStructureChanged(t *testing.T) {
	t.Parallel()
	sections := func(cmids ...int64) []moodle.Section {
		var mods []moodle.Module
		for _, id := range cmids {
			mods = append(mods, moodle.Module{ID: id, Completion: 2})
		}
		mods = append(mods, moodle.Module{ID: 99}) // a label: no completion
		return []moodle.Section{{Modules: mods}}
	}
	assigns := func(ids ...int64) []moodle.Assignment {
		var as []moodle.Assignment
		for _, id := range ids {
			as = append(as, moodle.Assignment{ID: id})
		}
		return as
	}
	prev := intake.Replies{Sections: sections(1, 2, 3), Assignments: assigns(7, 8)}
	tests := []struct {
		name string
		st   structure
		want string
	}{
		{"same", structure{sections: sections(1, 2, 3), assignments: assigns(7, 8)}, ""},
		{"activity added", structure{sections: sections(1, 2, 3, 4), assignments: assigns(7, 8)}, "activities with completion changed"},
		{"activity removed", structure{sections: sections(1, 3), assignments: assigns(7, 8)}, "activities with completion changed"},
		{"assignment added", structure{sections: sections(1, 2, 3), assignments: assigns(7, 8, 9)}, "assignments changed"},
	}
	for _, tt := range tests {
		if got := structureChanged(prev, tt.st); got != tt.want {
			t.Errorf("%s: structureChanged = %q; want %q", tt.name, got, tt.want)
		}
	}
}
