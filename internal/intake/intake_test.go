package intake_test

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/intake"
	"github.com/knowthystudents/kts/internal/intake/intaketest"
	"github.com/knowthystudents/kts/internal/moodle"
)

// Student ids of course KTS101 (README, student table).
const (
	zoe    = 5
	oliver = 14
	ethan  = 30
)

// kts101 builds course KTS101 from the recorded replies, as of seededat.
func kts101(t testing.TB) *cohort.Cohort {
	t.Helper()
	r, now := intaketest.KTS101Replies(t)
	return intake.Build(r, now, cohort.DefaultConfig())
}

// student returns student id of c or fails the test.
var student = intaketest.Student

// TestMoodleNumbers: the domain names Moodle's completion states and tracking kinds by their
// numbers, which the translation passes through.
func TestMoodleNumbers(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name          string
		domain, wsapi int
	}{
		{"incomplete", int(cohort.StateIncomplete), moodle.StateIncomplete},
		{"complete", int(cohort.StateComplete), moodle.StateComplete},
		{"complete pass", int(cohort.StateCompletePass), moodle.StateCompletePass},
		{"complete fail", int(cohort.StateCompleteFail), moodle.StateCompleteFail},
		{"manual", int(cohort.TrackingManual), moodle.TrackingManual},
		{"automatic", int(cohort.TrackingAutomatic), moodle.TrackingAutomatic},
	} {
		if tt.domain != tt.wsapi {
			t.Errorf("%s: cohort has %d, Moodle %d", tt.name, tt.domain, tt.wsapi)
		}
	}
}

// TestCompletionMatchesMoodleProgress checks the contract's promise: completion_percent equals
// the progress Moodle reports in core_enrol_get_users_courses, rounded down.
func TestCompletionMatchesMoodleProgress(t *testing.T) {
	t.Parallel()
	c := kts101(t)
	tests := []struct {
		fixture string
		id      int64
	}{
		{"core_enrol_get_users_courses.student-zoe.json", zoe},
		{"core_enrol_get_users_courses.student-oliver.json", oliver},
		{"core_enrol_get_users_courses.student-ethan.json", ethan},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			t.Parallel()
			var courses []moodle.UserCourse
			intaketest.Decode(t, tt.fixture, &courses)
			if len(courses) != 1 || courses[0].Progress == nil || courses[0].Completed == nil {
				t.Fatalf("fixture has no progress for KTS101: %+v", courses)
			}
			s := student(t, c, tt.id)
			want := struct {
				Percent   int
				Completed bool
			}{int(math.Floor(*courses[0].Progress)), *courses[0].Completed}
			got := struct {
				Percent   int
				Completed bool
			}{s.Completion.Percent, s.Completion.CourseCompleted}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("completion (-want +got):\n%s", diff)
			}
		})
	}
}
