package intaketest

import (
	"encoding/json"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/knowthystudents/kts/internal/moodle"
	"github.com/knowthystudents/kts/internal/moodle/moodlefixtures"
)

// Seed is seed-data.json: what the seed script created, the truth behind the fixtures.
type Seed struct {
	SeededAt int64 `json:"seededat"`
	KTS101   struct {
		CourseID  int64                  `json:"courseid"`
		Students  map[string]SeedStudent `json:"students"`
		CMIDs     map[string]int64       `json:"cmids"`
		AssignIDs map[string]int64       `json:"assignids"`
		DueDates  map[string]int64       `json:"duedates"`
		Groups    map[string]int64       `json:"groups"`
		Extension struct {
			User             string `json:"user"`
			A3ExtensionUntil int64  `json:"a3_extension_until"`
		} `json:"extension"`
	} `json:"KTS101"`
}

// SeedStudent is one row of the README's student table.
type SeedStudent struct {
	N                int    `json:"n"`
	ID               int64  `json:"id"`
	Name             string `json:"name"`
	Group            string `json:"group"`
	Suspended        bool   `json:"suspended"`
	HandbookViewed   bool   `json:"page_handbook_viewed"`
	ReadingDone      bool   `json:"url_reading_manual_done"`
	ForumPosts       int    `json:"forum_posts"`
	A1               string `json:"a1"`
	A2               string `json:"a2"`
	A3               string `json:"a3"`
	QuizScore        *int   `json:"quiz_score"`
	FurtherViewed    bool   `json:"page_further_viewed"`
	FurtherOverride  bool   `json:"further_reading_overridden_by_teacher"`
	LastCourseAccess int64  `json:"lastcourseaccess"`
}

// LoadSeed decodes seed-data.json.
func LoadSeed(tb testing.TB) Seed {
	tb.Helper()
	b, err := fs.ReadFile(moodlefixtures.Moodle45(), "seed-data.json")
	if err != nil {
		tb.Fatalf("seed-data.json: %v", err)
	}
	var s Seed
	if err := json.Unmarshal(b, &s); err != nil {
		tb.Fatalf("seed-data.json: %v", err)
	}
	return s
}

// Seeded KTS101 course-module ids and pass marks (README: course KTS101).
const (
	cmHandbook = 2
	cmReading  = 3
	cmForum    = 4
	cmA1       = 6
	cmA2       = 7
	cmA3       = 8
	cmQuiz     = 9
	cmFurther  = 10

	teacherID    = 3
	a1PassGrade  = 50 // out of 100
	quizPassMark = 5  // out of 10
	forumPosts   = 2  // completionposts
)

// DeriveCompletionFromSeed is a TEST HELPER that stands in for Moodle: it derives a student's
// core_completion_get_activities_completion_status reply from the README's student table
// (seed-data.json), because completion was recorded for only four students. It applies the
// README's completion rules per activity; the recorded Zoë reply (template) provides each
// activity's shape (modname, instance, tracking, rule names). Times completed are not in the
// seed data: a completed activity gets the student's last course access.
func DeriveCompletionFromSeed(s SeedStudent, template *moodle.ActivitiesCompletion) *moodle.ActivitiesCompletion {
	states := map[int64]int{
		cmHandbook: done(s.HandbookViewed),
		cmReading:  done(s.ReadingDone),
		cmForum:    done(s.ForumPosts >= forumPosts),
		cmA1:       a1State(s.A1),
		cmA2:       done(submitted(s.A2)),
		cmA3:       done(submitted(s.A3)),
		cmQuiz:     quizState(s.QuizScore),
		cmFurther:  done(s.FurtherViewed || s.FurtherOverride),
	}
	out := &moodle.ActivitiesCompletion{}
	for _, t := range template.Statuses {
		st := t
		st.State = states[t.CMID]
		st.TimeCompleted = moodle.Time{}
		if st.State != moodle.StateIncomplete {
			st.TimeCompleted = moodle.Unix(s.LastCourseAccess)
		}
		st.OverrideBy = nil
		if t.CMID == cmFurther && s.FurtherOverride {
			by := int64(teacherID)
			st.OverrideBy = &by
		}
		st.IsOverallComplete = st.State == moodle.StateComplete || st.State == moodle.StateCompletePass
		st.Details = slices.Clone(t.Details)
		for i := range st.Details {
			st.Details[i].RuleValue.Status = 0
			if st.IsOverallComplete {
				st.Details[i].RuleValue.Status = 1
			}
		}
		out.Statuses = append(out.Statuses, st)
	}
	return out
}

// DeriveCourseCompletionFromSeed is a TEST HELPER that derives core_completion_get_course_
// completion_status from the seed table with the README's criteria: all three assignments
// complete (A1 needs a pass grade; A2 and A3 a submission).
func DeriveCourseCompletionFromSeed(s SeedStudent) *moodle.CourseCompletion {
	c := &moodle.CourseCompletion{}
	c.CompletionStatus.Aggregation = 1
	c.CompletionStatus.Completed = a1State(s.A1) == moodle.StateCompletePass && submitted(s.A2) && submitted(s.A3)
	return c
}

func done(b bool) int {
	if b {
		return moodle.StateComplete
	}
	return moodle.StateIncomplete
}

// submitted reads an assignment code of the table: sub, late, g:NN, lg:NN are submitted.
func submitted(code string) bool {
	return code == "sub" || code == "late" || strings.HasPrefix(code, "g:") || strings.HasPrefix(code, "lg:")
}

// a1State: submit + receive a grade + passing grade. Ungraded work is incomplete; g0 (graded
// without a submission) stays incomplete because the submit rule is not met.
func a1State(code string) int {
	_, grade, ok := strings.Cut(code, ":")
	if !ok {
		return moodle.StateIncomplete
	}
	g, err := strconv.Atoi(grade)
	if err != nil {
		return moodle.StateIncomplete
	}
	if g >= a1PassGrade {
		return moodle.StateCompletePass
	}
	return moodle.StateCompleteFail
}

// quizState: receive a grade + passing grade (5/10).
func quizState(score *int) int {
	switch {
	case score == nil:
		return moodle.StateIncomplete
	case *score >= quizPassMark:
		return moodle.StateCompletePass
	default:
		return moodle.StateCompleteFail
	}
}
