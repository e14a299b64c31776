// Package intaketest gives tests Moodle's replies for a course (intake.Replies) and the domain
// input translated from them: course KTS101 from the Moodle 4.5 fixtures recorded in
// moodlefixtures, with the seed data behind them, and synthetic courses of any size for
// benchmarks.
package intaketest

import (
	"encoding/json"
	"io/fs"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/intake"
	"github.com/knowthystudents/kts/internal/moodle"
	"github.com/knowthystudents/kts/internal/moodle/moodlefixtures"
)

// Decode decodes the fixture file name (e.g. "mod_assign_get_grades.kts101.json") into out,
// failing the test when it is missing or does not decode.
func Decode(tb testing.TB, name string, out any) {
	tb.Helper()
	b, err := fs.ReadFile(moodlefixtures.Moodle45(), name)
	if err != nil {
		tb.Fatalf("fixture %s: %v", name, err)
	}
	if err := json.Unmarshal(b, out); err != nil {
		tb.Fatalf("fixture %s does not decode into %T: %v", name, out, err)
	}
}

// SeededAt returns the moment the fixture descriptions call "now" (seed-data.json seededat).
func SeededAt(tb testing.TB) time.Time {
	tb.Helper()
	return time.Unix(LoadSeed(tb).SeededAt, 0).UTC()
}

// KTS101 returns course KTS101 as the editing teacher (Margaret Ellis) sees it, translated
// from the recorded replies (KTS101Replies), and the moment to evaluate it at (seededat).
func KTS101(tb testing.TB) (cohort.Input, time.Time) {
	tb.Helper()
	r, at := KTS101Replies(tb)
	return intake.Input(r), at
}

// KTS101Replies returns Moodle's replies for course KTS101 as the editing teacher (Margaret
// Ellis) sees it, and the moment to evaluate them at (seededat).
//
// Activity completion was recorded for only a few students: Zoë, Oliver and Ethan (the batch
// reply, tool_mobile_call_external_functions.completion-batch-3.json) and Léa; course
// completion for Zoë, Oliver and Ethan. Every other student's completion is derived from the
// seeded truth by DeriveCompletionFromSeed and DeriveCourseCompletionFromSeed.
func KTS101Replies(tb testing.TB) (intake.Replies, time.Time) {
	tb.Helper()
	var in intake.Replies
	var courses moodle.CoursesReply
	Decode(tb, "core_course_get_courses_by_field.id.json", &courses)
	if len(courses.Courses) != 1 {
		tb.Fatalf("core_course_get_courses_by_field.id.json: want 1 course, got %d", len(courses.Courses))
	}
	in.Course = courses.Courses[0]
	Decode(tb, "core_course_get_contents.kts101.json", &in.Sections)
	Decode(tb, "core_enrol_get_enrolled_users.kts101.json", &in.Roster)
	var active []moodle.EnrolledUser
	Decode(tb, "core_enrol_get_enrolled_users.kts101-onlyactive.json", &active)
	in.ActiveIDs = make(map[int64]bool, len(active))
	for _, u := range active {
		in.ActiveIDs[u.ID] = true
	}
	var groups moodle.GroupsForSelectorReply
	Decode(tb, "core_group_get_groups_for_selector.kts101.json", &groups)
	for _, g := range groups.Groups {
		if g.ID != 0 {
			in.Groups = append(in.Groups, g)
		}
	}
	var asg moodle.AssignmentsReply
	Decode(tb, "mod_assign_get_assignments.kts101.json", &asg)
	in.Assignments = asg.All()
	in.Submissions, in.Grades, in.UserFlags = new(moodle.SubmissionsReply), new(moodle.GradesReply), new(moodle.UserFlagsReply)
	Decode(tb, "mod_assign_get_submissions.kts101.json", in.Submissions)
	Decode(tb, "mod_assign_get_grades.kts101.json", in.Grades)
	Decode(tb, "mod_assign_get_user_flags.kts101.json", in.UserFlags)

	seed := LoadSeed(tb)
	in.Completion = make(map[int64]*moodle.ActivitiesCompletion)
	in.CourseCompletion = make(map[int64]*moodle.CourseCompletion)
	template := RecordedCompletion(tb, "zoe")
	for _, s := range seed.KTS101.Students {
		in.Completion[s.ID] = DeriveCompletionFromSeed(s, template)
		if !s.Suspended { // Moodle gives no course completion for a suspended enrolment
			in.CourseCompletion[s.ID] = DeriveCourseCompletionFromSeed(s)
		}
	}
	for id, c := range BatchCompletion(tb) {
		in.Completion[id] = c
	}
	in.Completion[31] = RecordedCompletion(tb, "lea")
	for id, name := range map[int64]string{5: "zoe", 14: "oliver", 30: "ethan"} {
		cc := new(moodle.CourseCompletion)
		Decode(tb, "core_completion_get_course_completion_status."+name+".json", cc)
		in.CourseCompletion[id] = cc
	}
	return in, SeededAt(tb)
}

// RecordedCompletion decodes core_completion_get_activities_completion_status.<who>.json.
func RecordedCompletion(tb testing.TB, who string) *moodle.ActivitiesCompletion {
	tb.Helper()
	c := new(moodle.ActivitiesCompletion)
	Decode(tb, "core_completion_get_activities_completion_status."+who+".json", c)
	return c
}

// BatchCompletion decodes the recorded batch of three completion calls (users 5, 14, 30, as
// the manifest's request arguments say) by user id.
func BatchCompletion(tb testing.TB) map[int64]*moodle.ActivitiesCompletion {
	tb.Helper()
	var reply struct {
		Responses []struct {
			Error bool   `json:"error"`
			Data  string `json:"data"`
		} `json:"responses"`
	}
	Decode(tb, "tool_mobile_call_external_functions.completion-batch-3.json", &reply)
	users := []int64{5, 14, 30}
	if len(reply.Responses) != len(users) {
		tb.Fatalf("completion batch: want %d responses, got %d", len(users), len(reply.Responses))
	}
	out := make(map[int64]*moodle.ActivitiesCompletion, len(users))
	for i, r := range reply.Responses {
		if r.Error {
			tb.Fatalf("completion batch: response %d is an error", i)
		}
		c := new(moodle.ActivitiesCompletion)
		if err := json.Unmarshal([]byte(r.Data), c); err != nil {
			tb.Fatalf("completion batch: response %d: %v", i, err)
		}
		out[users[i]] = c
	}
	return out
}

// KTS101Cohort is course KTS101 built from the recorded replies, as of seededat, with the
// default flag settings: what most domain tests look at.
func KTS101Cohort(tb testing.TB) *cohort.Cohort {
	tb.Helper()
	in, now := KTS101(tb)
	return cohort.Build(in, now, cohort.DefaultConfig())
}

// Student returns student id of c or fails the test.
func Student(tb testing.TB, c *cohort.Cohort, id int64) cohort.Student {
	tb.Helper()
	s, ok := c.Student(id)
	if !ok {
		tb.Fatalf("student %d is not in the cohort", id)
	}
	return s
}
