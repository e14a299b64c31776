package live_test

import (
	"net/http"
	"strconv"
	"testing"
)

// The course is big enough that the dashboard's completion batches (25 students, 49 inner
// calls by default) exceed 10 inner calls: the case recorded fixtures never show. And the
// oracle agrees with Moodle's own course progress wherever Moodle gives one.
func TestLiveSeedIsBigEnoughAndTruthAgreesWithMoodleProgress(t *testing.T) {
	s := liveSite(t)
	tr := moodleTruth(t, s)
	v := tr.view(t, s.Teacher, "suspended")
	if n := len(v.Cohort.Rows); n < 60 {
		t.Fatalf("the seeded course has %d students; the live suite needs 60 or more (scripts/moodle/seed.php)", n)
	}
	for viewer, views := range tr {
		for filter, v := range views {
			if len(v.Notes.ProgressDisagreements) > 0 {
				t.Errorf("truth.php (%s, %s) disagrees with Moodle's own course progress: %v", viewer, filter, v.Notes.ProgressDisagreements)
			}
		}
	}
}

// Every cell of the cohort CSV, for the editing teacher (all students) and the tutor (Group A
// only), with and without suspended enrolments, equals what Moodle's own APIs give.
func TestLiveCohortCSVMatchesMoodleEveryCell(t *testing.T) {
	s := liveSite(t)
	d := dashboardFor(t, s)
	tr := moodleTruth(t, s)
	for _, c := range []struct{ viewer, filter, query string }{
		{s.Teacher, "default", ""},
		{s.Teacher, "suspended", "?suspended=1"},
		{s.Tutor, "default", ""},
		{s.Tutor, "suspended", "?suspended=1"},
	} {
		t.Run(c.viewer+"/"+c.filter, func(t *testing.T) {
			client := d.as(t, c.viewer, s.Password)
			path := "/course/" + strconv.FormatInt(s.CourseID, 10) + "/export.csv" + c.query
			status, body := d.get(t, client, path)
			if status != http.StatusOK {
				t.Fatalf("GET %s as %s: status %d\n%s", path, c.viewer, status, tail(body, 1500))
			}
			compareTables(t, "cohort CSV as "+c.viewer+" ("+c.filter+")", tr.view(t, c.viewer, c.filter).Cohort, parseCSV(t, body))
		})
	}
}

// Every cell of the activities CSV likewise.
func TestLiveActivitiesCSVMatchesMoodleEveryCell(t *testing.T) {
	s := liveSite(t)
	d := dashboardFor(t, s)
	tr := moodleTruth(t, s)
	for _, c := range []struct{ viewer, filter, query string }{
		{s.Teacher, "default", ""},
		{s.Teacher, "suspended", "?suspended=1"},
		{s.Tutor, "default", ""},
		{s.Tutor, "suspended", "?suspended=1"},
	} {
		t.Run(c.viewer+"/"+c.filter, func(t *testing.T) {
			client := d.as(t, c.viewer, s.Password)
			path := "/course/" + strconv.FormatInt(s.CourseID, 10) + "/activities.csv" + c.query
			status, body := d.get(t, client, path)
			if status != http.StatusOK {
				t.Fatalf("GET %s as %s: status %d\n%s", path, c.viewer, status, tail(body, 1500))
			}
			compareTables(t, "activities CSV as "+c.viewer+" ("+c.filter+")", tr.view(t, c.viewer, c.filter).Activities, parseCSV(t, body))
		})
	}
}
