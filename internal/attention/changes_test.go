package attention_test

import (
	"slices"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/attention"
	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/when"
)

func ago(d time.Duration) when.Time { return when.Of(now.Add(-d)) }

// changesCohort: one assignment "A1" due 2 days ago; the previous visit was 3 days ago.
func changesCohort() *cohort.Cohort {
	a1 := func(st cohort.AssignmentStatus) cohort.AssignmentStatus { st.Due = ago(2 * day); return st }
	return &cohort.Cohort{Now: now, Config: cohort.DefaultConfig(),
		Assignments: []cohort.Assignment{{CMID: 6, Name: "A1 Essay", Label: "A1", DueDate: ago(2 * day), Loaded: true}},
		Students: []cohort.Student{
			// submitted yesterday, no grade yet
			{ID: 1, LastCourseAccess: ago(day), Assignments: []cohort.AssignmentStatus{a1(cohort.AssignmentStatus{Status: cohort.StatusSubmitted, Submitted: ago(day + time.Hour), NeedsGrading: true})}},
			// submitted a week ago, graded yesterday
			{ID: 2, LastCourseAccess: ago(day), Assignments: []cohort.AssignmentStatus{a1(cohort.AssignmentStatus{Status: cohort.StatusSubmitted, Submitted: ago(7 * day), Graded: true, GradedAt: ago(day)})}},
			// overdue since 2 days (after the visit); inactive since 8 days: went quiet 1 day ago
			{ID: 3, LastCourseAccess: ago(8 * day), Flags: flags("inactive", "overdue"),
				Assignments: []cohort.AssignmentStatus{a1(cohort.AssignmentStatus{Status: cohort.StatusOverdue})}},
			// inactive for 30 days: went quiet long before the visit, nothing new
			{ID: 4, LastCourseAccess: ago(30 * day), Flags: flags("inactive", "overdue"),
				Assignments: []cohort.AssignmentStatus{a1(cohort.AssignmentStatus{Status: cohort.StatusOverdue})}},
			// was inactive at the visit, came back today and completed an activity
			{ID: 5, LastCourseAccess: ago(time.Hour), Activities: []cohort.ActivityState{{CMID: 9, State: cohort.StateComplete, TimeCompleted: ago(time.Hour)}},
				Assignments: []cohort.AssignmentStatus{a1(cohort.AssignmentStatus{Status: cohort.StatusLate, Submitted: ago(time.Hour)})}},
			// suspended: left out whatever happened
			{ID: 6, Suspended: true, LastCourseAccess: ago(time.Hour), Assignments: []cohort.AssignmentStatus{a1(cohort.AssignmentStatus{Status: cohort.StatusSubmitted, Submitted: ago(time.Hour)})}},
			// completed something before the visit: not a change
			{ID: 7, LastCourseAccess: ago(4 * day), Activities: []cohort.ActivityState{{CMID: 9, State: cohort.StateComplete, TimeCompleted: ago(4 * day)}},
				Assignments: []cohort.AssignmentStatus{a1(cohort.AssignmentStatus{Status: cohort.StatusSubmitted, Submitted: ago(4 * day)})}},
		}}
}

func TestChangesSince(t *testing.T) {
	t.Parallel()
	c := changesCohort()
	prev := attention.Snapshot{4: {"inactive", "overdue"}, 5: {"inactive"}}
	ch := attention.Since(c, now.Add(-3*day), prev)
	who := func(k attention.Kind) []int64 {
		var out []int64
		for _, x := range ch.ByKind[k] {
			out = append(out, x.StudentID)
		}
		return out
	}
	tests := []struct {
		kind attention.Kind
		want []int64
	}{
		{attention.Completed, []int64{5}},
		{attention.Submitted, []int64{5, 1}}, // newest first
		{attention.Graded, []int64{2}},
		{attention.CameBack, []int64{5}},
		{attention.WentQuiet, []int64{3}},
		{attention.Overdue, []int64{3, 4}},
		{attention.NewFlag, []int64{3, 3}}, // both of 3's flags are new; 4's are not
	}
	for _, tt := range tests {
		if got := who(tt.kind); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.kind, got, tt.want)
		}
	}
	if sub := ch.ByKind[attention.Submitted]; !sub[1].WaitsForGrade || sub[0].WaitsForGrade {
		t.Errorf("waits for grade: %+v", sub)
	}
	if ch.Total() != 10 || !ch.FlagsKnown {
		t.Errorf("total %d, flags known %v", ch.Total(), ch.FlagsKnown)
	}
	// Without a snapshot, what only a snapshot tells is left out, and the rest stays.
	ch = attention.Since(c, now.Add(-3*day), nil)
	if ch.FlagsKnown || ch.Count(attention.NewFlag) != 0 || ch.Count(attention.CameBack) != 0 || ch.Count(attention.Submitted) != 2 {
		t.Errorf("without snapshot: %+v", ch)
	}
	// A visit just now, with the flags of now: nothing changed since.
	if n := attention.Since(c, now, attention.TakeSnapshot(c)).Total(); n != 0 {
		t.Errorf("since now: %d changes", n)
	}
}

func TestSnapshotAndNewlyFlagged(t *testing.T) {
	t.Parallel()
	c := changesCohort()
	snap := attention.TakeSnapshot(c)
	if len(snap) != 2 || !slices.Equal(snap[3], []cohort.FlagCode{"inactive", "overdue"}) {
		t.Errorf("snapshot = %v", snap)
	}
	if got := attention.NewlyFlagged(c, snap); len(got) != 0 {
		t.Errorf("newly flagged against its own snapshot = %v", got)
	}
	if got := attention.NewlyFlagged(c, attention.Snapshot{3: {"inactive"}}); !slices.Equal(got, []int64{3, 4}) {
		t.Errorf("newly flagged = %v, want 3 (new overdue) and 4 (not flagged before)", got)
	}
}

func TestFollowUps(t *testing.T) {
	t.Parallel()
	c := changesCohort()
	contacts := []attention.Contact{
		{UserID: 1, At: now.Add(-5 * day)},  // submitted after: acted
		{UserID: 3, At: now.Add(-7 * day)},  // nothing since (last access 8 days ago), 7 days: due
		{UserID: 4, At: now.Add(-40 * day)}, // an older contact, superseded by the next
		{UserID: 4, At: now.Add(-1 * day)},  // nothing since, 1 day: not yet due
		{UserID: 7, At: now.Add(-3 * day)},  // nothing since (everything was before)
		{UserID: 99, At: now.Add(-3 * day)}, // not a student of the course any more
	}
	fs := attention.FollowUps(c, contacts, 3*day, now)
	var got []int64
	for _, f := range fs {
		got = append(got, f.Student.ID)
	}
	if !slices.Equal(got, []int64{3, 7, 1, 4}) {
		t.Fatalf("follow-ups = %v, want due 3 (oldest), 7, then 1 (acted), 4 (not due)", got)
	}
	if !fs[0].Due || !fs[1].Due || fs[2].Due || fs[3].Due {
		t.Errorf("due: %v %v %v %v", fs[0].Due, fs[1].Due, fs[2].Due, fs[3].Due)
	}
	acts := fs[2].Actions
	if len(acts) != 2 || acts[0].What != "opened the course" || acts[1].What != "submitted A1 Essay" {
		t.Errorf("actions of 1 = %+v", acts)
	}
	if !fs[3].Contact.At.Equal(now.Add(-day)) {
		t.Errorf("latest contact of 4 = %v", fs[3].Contact.At)
	}
	if attention.DueCount(fs) != 2 {
		t.Errorf("due count = %d", attention.DueCount(fs))
	}
}
