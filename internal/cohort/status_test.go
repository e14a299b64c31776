package cohort_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/intake/intaketest"
	"github.com/knowthystudents/kts/internal/when"
)

// TestAssignmentStatusKTS101 checks the contract's status table on the recorded students.
func TestAssignmentStatusKTS101(t *testing.T) {
	t.Parallel()
	c := kts101(t)
	seed := intaketest.LoadSeed(t)
	a1Due := when.Unix(seed.KTS101.DueDates["a1"])
	a3Due := when.Unix(seed.KTS101.DueDates["a3"])
	meiExt := when.Unix(seed.KTS101.Extension.A3ExtensionUntil)
	tests := []struct {
		name     string
		id, cmid int64
		want     cohort.AssignmentStatus
	}{
		{"Oliver's A1: late, ungraded", oliver, cmA1, cohort.AssignmentStatus{
			CMID: cmA1, Status: cohort.StatusLate, SubmissionStatus: "submitted",
			Modified: when.Unix(1793936688), Submitted: when.Unix(1793936688), Due: a1Due,
			LateBy: 4*day + 8*time.Hour, GradeMax: 100, NeedsGrading: true,
		}},
		{"Mei's A3: draft with an extension", mei, cmA3, cohort.AssignmentStatus{
			CMID: cmA3, Status: cohort.StatusExtension, SubmissionStatus: "draft", Modified: when.Unix(1795185888),
			Due: meiExt, ExtensionUntil: meiExt, GradeMax: 100,
		}},
		{"Emily's A1: graded 0 without a submission", emily, cmA1, cohort.AssignmentStatus{
			CMID: cmA1, Status: cohort.StatusOverdue, SubmissionStatus: "new", Modified: when.Unix(1793274288),
			Due: a1Due, Graded: true, Grade: 0, GradeMax: 100, GradedAt: when.Unix(1794174288),
		}},
		{"Liam's A1: draft past due", liam, cmA1, cohort.AssignmentStatus{
			CMID: cmA1, Status: cohort.StatusOverdue, SubmissionStatus: "draft", Modified: when.Unix(1793389488),
			Due: a1Due, GradeMax: 100,
		}},
		{"Zoë's A1: on time, passed", zoe, cmA1, cohort.AssignmentStatus{
			CMID: cmA1, Status: cohort.StatusSubmitted, SubmissionStatus: "submitted", Modified: when.Unix(1793346288),
			Submitted: when.Unix(1793346288), Due: a1Due, Graded: true, Grade: 92, GradeMax: 100,
			GradedAt: when.Unix(1794311088), Result: cohort.ResultPass,
		}},
		{"Björn's A1: graded 45, failed", bjorn, cmA1, cohort.AssignmentStatus{
			CMID: cmA1, Status: cohort.StatusSubmitted, SubmissionStatus: "submitted", Modified: when.Unix(1793292288),
			Submitted: when.Unix(1793292288), Due: a1Due, Graded: true, Grade: 45, GradeMax: 100,
			GradedAt: when.Unix(1794332688), Result: cohort.ResultFail,
		}},
		{"Ethan's A1: the record Moodle opened for him counts as nothing", ethan, cmA1, cohort.AssignmentStatus{
			CMID: cmA1, Status: cohort.StatusOverdue, SubmissionStatus: "new", Modified: when.Unix(1795376736),
			Due: a1Due, GradeMax: 100,
		}},
		{"José's A3: late by an hour", jose, cmA3, cohort.AssignmentStatus{
			CMID: cmA3, Status: cohort.StatusLate, SubmissionStatus: "submitted", Modified: when.Unix(1795207488),
			Submitted: when.Unix(1795207488), Due: a3Due, LateBy: time.Hour, GradeMax: 100, NeedsGrading: true,
		}},
		{"Chloé's A2: draft, not yet due", chloe, cmA2, cohort.AssignmentStatus{
			CMID: cmA2, Status: cohort.StatusDraft, SubmissionStatus: "draft", Modified: when.Unix(1795099488),
			Due: when.Unix(seed.KTS101.DueDates["a2"]), GradeMax: 100,
		}},
		{"Oliver's A2: nothing, not yet due", oliver, cmA2, cohort.AssignmentStatus{
			CMID: cmA2, Status: cohort.StatusNotStarted, Due: when.Unix(seed.KTS101.DueDates["a2"]), GradeMax: 100,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, assignment(t, c, tt.id, tt.cmid), cmpTime()); diff != "" {
				t.Errorf("status (-want +got):\n%s", diff)
			}
		})
	}
}

// TestStatusTable walks the contract's table on one made-up assignment, edge by edge.
func TestStatusTable(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	due := now.Add(-2 * day)
	tests := []struct {
		name      string
		due       time.Time // zero: no due date
		extension time.Time // zero: none
		sub       *cohort.Submission
		want      cohort.Status
	}{
		{"submitted exactly at due", due, time.Time{}, sub("submitted", due), cohort.StatusSubmitted},
		{"submitted a second late", due, time.Time{}, sub("submitted", due.Add(time.Second)), cohort.StatusLate},
		{"submitted late but within the extension", due, now.Add(day), sub("submitted", due.Add(day)), cohort.StatusSubmitted},
		{"submitted after the extension", due, due.Add(day), sub("submitted", due.Add(2*day)), cohort.StatusLate},
		{"submitted, no due date", time.Time{}, time.Time{}, sub("submitted", now), cohort.StatusSubmitted},
		{"extension running, nothing saved", due, now.Add(day), nil, cohort.StatusExtension},
		{"extension ends right now", due, now, sub("draft", due), cohort.StatusExtension},
		{"extension ran out", due, now.Add(-time.Second), sub("draft", due), cohort.StatusOverdue},
		{"nothing, past due", due, time.Time{}, nil, cohort.StatusOverdue},
		{"opened (new), past due", due, time.Time{}, sub("new", due), cohort.StatusOverdue},
		{"reopened, past due", due, time.Time{}, sub("reopened", due), cohort.StatusOverdue},
		{"draft, past due", due, time.Time{}, sub("draft", due), cohort.StatusOverdue},
		{"draft, not yet due", now.Add(day), time.Time{}, sub("draft", now), cohort.StatusDraft},
		{"draft, no due date", time.Time{}, time.Time{}, sub("draft", now), cohort.StatusDraft},
		{"due exactly now: not yet overdue", now, time.Time{}, nil, cohort.StatusNotStarted},
		{"nothing, not yet due", now.Add(day), time.Time{}, nil, cohort.StatusNotStarted},
		{"new, no due date", time.Time{}, time.Time{}, sub("new", now), cohort.StatusNotStarted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := oneAssignment(tt.due, tt.extension, tt.sub)
			c := cohort.Build(in, now, cohort.DefaultConfig())
			got := c.Students[0].Assignments[0].Status
			if got != tt.want {
				t.Errorf("status = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestStatusUnknownWithoutSubmissions(t *testing.T) {
	t.Parallel()
	in, now := intaketest.KTS101(t)
	in.Submissions = nil
	c := cohort.Build(in, now, cohort.DefaultConfig())
	s := student(t, c, ethan)
	if got := s.Assignments[0].Status; got != cohort.StatusUnknown {
		t.Errorf("status without submissions = %q, want unknown", got)
	}
	if s.HasFlag(cohort.FlagOverdue) {
		t.Error("overdue raised although submissions were not loaded")
	}
}

func TestTeamSubmissionAppliesToGroup(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	in := oneAssignment(now.Add(-day), time.Time{}, nil)
	in.Roster[0].Groups = []cohort.Group{{ID: 9, Name: "Team 9"}}
	in.Submissions[0].Submissions = []cohort.Submission{{UserID: 0, GroupID: 9, Status: "submitted", Modified: when.Of(now.Add(-2 * day))}}
	c := cohort.Build(in, now, cohort.DefaultConfig())
	if got := c.Students[0].Assignments[0].Status; got != cohort.StatusSubmitted {
		t.Errorf("team member's status = %q, want submitted", got)
	}
}

func sub(status string, modified time.Time) *cohort.Submission {
	return &cohort.Submission{UserID: 100, Status: status, Modified: when.Of(modified)}
}

// oneAssignment is a course with one student (id 100) and one assignment (cmid 1).
func oneAssignment(due, extension time.Time, s *cohort.Submission) cohort.Input {
	in := cohort.Input{
		Roster:      []cohort.Participant{{ID: 100, FullName: "Test Student", Roles: []string{"student"}, LastCourseAccess: when.Of(due)}},
		Assignments: []cohort.AssignmentInfo{{ID: 1, CMID: 1, Name: "A1 Essay", DueDate: when.Of(due), GradeMax: 100}},
		Submissions: []cohort.AssignmentSubmissions{{AssignmentID: 1}},
	}
	if s != nil {
		in.Submissions[0].Submissions = []cohort.Submission{*s}
	}
	if !extension.IsZero() {
		in.Extensions = append(in.Extensions, cohort.Extension{AssignmentID: 1, UserID: 100, Until: when.Of(extension)})
	}
	return in
}

// cmpTime compares when.Time by instant.
func cmpTime() cmp.Option {
	return cmp.Comparer(func(a, b when.Time) bool { return a.Unix() == b.Unix() })
}
