package intake_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/intake"
	"github.com/knowthystudents/kts/internal/moodle"
	"github.com/knowthystudents/kts/internal/when"
)

// TestInputKeepsWhatDidNotLoadUnknown: a reply Moodle did not give (a nil entry, a nil reply)
// stays "not loaded" in the domain's input, never an empty answer.
func TestInputKeepsWhatDidNotLoadUnknown(t *testing.T) {
	t.Parallel()
	done := &moodle.ActivitiesCompletion{Statuses: []moodle.ActivityStatus{{CMID: 4, State: moodle.StateComplete, Tracking: moodle.TrackingAutomatic}}}
	completed := &moodle.CourseCompletion{}
	completed.CompletionStatus.Completed = true
	in := intake.Input(intake.Replies{
		Completion:       map[int64]*moodle.ActivitiesCompletion{1: done, 2: nil, 3: {}},
		CourseCompletion: map[int64]*moodle.CourseCompletion{1: completed, 2: nil},
	})
	if _, ok := in.Completion[2]; ok {
		t.Error("a nil completion reply reads as loaded")
	}
	if got, ok := in.Completion[3]; !ok || len(got) != 0 {
		t.Errorf("an empty completion reply = %v, %v; want loaded, no statuses", got, ok)
	}
	if got := in.Completion[1]; len(got) != 1 || got[0].State != cohort.StateComplete || got[0].Tracking != cohort.TrackingAutomatic {
		t.Errorf("completion of 1 = %+v", got)
	}
	if !in.CourseCompleted[1] || in.CourseCompleted[2] {
		t.Errorf("course completed = %v; want 1 only", in.CourseCompleted)
	}
	if in.Submissions != nil || in.Grades != nil || in.Extensions != nil || in.GradeItems != nil {
		t.Errorf("replies that did not load became %+v", in)
	}
	if got := intake.Input(intake.Replies{Submissions: &moodle.SubmissionsReply{Assignments: []moodle.AssignmentSubmissions{{AssignmentID: 7}}}}).Submissions; len(got) != 1 || got[0].AssignmentID != 7 {
		t.Errorf("an assignment with no submission records = %+v; want it loaded", got)
	}
}

// TestInputRecords: the translation keeps every record with its meaning: Moodle's -1 grade is
// no grade, a null override is nobody, the pass-grade rule marks the status, roles are
// shortnames.
func TestInputRecords(t *testing.T) {
	t.Parallel()
	at := when.Of(time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC))
	by := int64(3)
	r := intake.Replies{
		Course:   moodle.Course{ID: 2, FullName: "Learning to learn", ShortName: "KTS101", EnableCompletion: 1},
		Sections: []moodle.Section{{Section: 1, Name: "Week 1", Modules: []moodle.Module{{ID: 6, Name: "A1", ModName: "assign", Completion: 2, Visible: 1, URL: "https://m/a1"}, {ID: 7, ModName: "page"}}}},
		Roster: []moodle.EnrolledUser{{ID: 5, FullName: "Zoë Andersen", Roles: []moodle.Role{{ShortName: "student"}, {ShortName: "teacher"}},
			Groups: []moodle.UserGroup{{ID: 1, Name: "Group A"}}, LastCourseAccess: at}},
		Groups:      []moodle.SelectorGroup{{ID: 1, Name: "Group A"}},
		Assignments: []moodle.Assignment{{ID: 1, CMID: 6, Name: "A1", DueDate: at, Grade: 100}},
		Submissions: &moodle.SubmissionsReply{Assignments: []moodle.AssignmentSubmissions{{AssignmentID: 1, Submissions: []moodle.Submission{{UserID: 5, AttemptNumber: 1, Status: "submitted", TimeModified: at}}}}},
		Grades: &moodle.GradesReply{Assignments: []moodle.AssignmentGrades{{AssignmentID: 1, Grades: []moodle.AssignGrade{
			{UserID: 5, Grade: moodle.Number{Value: 92, Valid: true}, TimeModified: at},
			{UserID: 6, Grade: moodle.Number{Value: -1, Valid: true}},
		}}}},
		UserFlags: &moodle.UserFlagsReply{Assignments: []moodle.AssignmentUserFlags{{AssignmentID: 1, UserFlags: []moodle.UserFlag{{UserID: 5, ExtensionDueDate: at}}}}},
		Completion: map[int64]*moodle.ActivitiesCompletion{5: {Statuses: []moodle.ActivityStatus{
			{CMID: 6, ModName: "assign", State: moodle.StateCompletePass, Tracking: 2, OverrideBy: &by, Details: []moodle.CompletionRule{{RuleName: "completionpassgrade"}}},
			{CMID: 7, ModName: "page", State: moodle.StateIncomplete, Tracking: 1},
		}}},
		Missing: []string{"assignment grades"},
	}
	want := cohort.Input{
		Course:   cohort.Course{ID: 2, FullName: "Learning to learn", ShortName: "KTS101"},
		Sections: []cohort.Section{{Number: 1, Name: "Week 1", Modules: []cohort.Module{{CMID: 6, Name: "A1", ModName: "assign", Tracking: cohort.TrackingAutomatic, Visible: true, URL: "https://m/a1"}, {CMID: 7, ModName: "page"}}}},
		Roster: []cohort.Participant{{ID: 5, FullName: "Zoë Andersen", Roles: []string{"student", "teacher"},
			Groups: []cohort.Group{{ID: 1, Name: "Group A"}}, LastCourseAccess: at}},
		Groups:      []cohort.Group{{ID: 1, Name: "Group A"}},
		Assignments: []cohort.AssignmentInfo{{ID: 1, CMID: 6, Name: "A1", DueDate: at, GradeMax: 100}},
		Submissions: []cohort.AssignmentSubmissions{{AssignmentID: 1, Submissions: []cohort.Submission{{UserID: 5, Attempt: 1, Status: "submitted", Modified: at}}}},
		Grades: []cohort.Grade{
			{AssignmentID: 1, UserID: 5, Graded: true, Value: 92, Modified: at},
			{AssignmentID: 1, UserID: 6, Graded: false, Value: -1},
		},
		Extensions: []cohort.Extension{{AssignmentID: 1, UserID: 5, Until: at}},
		Completion: map[int64][]cohort.CompletionStatus{5: {
			{CMID: 6, ModName: "assign", State: cohort.StateCompletePass, Tracking: cohort.TrackingAutomatic, OverrideBy: 3, PassGrade: true},
			{CMID: 7, ModName: "page", State: cohort.StateIncomplete, Tracking: cohort.TrackingManual},
		}},
		Missing: []string{"assignment grades"},
	}
	cmpTime := cmp.Comparer(func(a, b when.Time) bool { return a.Unix() == b.Unix() })
	if diff := cmp.Diff(want, intake.Input(r), cmpTime); diff != "" {
		t.Errorf("input (-want +got):\n%s", diff)
	}
}
