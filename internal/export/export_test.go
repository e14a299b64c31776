package export_test

import (
	"bytes"
	"encoding/csv"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/export"
	"github.com/knowthystudents/kts/internal/intake/intaketest"
	"github.com/knowthystudents/kts/internal/when"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s (-want +got):\n%s", name, diff)
	}
}

func kts101(t *testing.T) *cohort.Cohort {
	t.Helper()
	in, now := intaketest.KTS101(t)
	return cohort.Build(in, now, cohort.DefaultConfig())
}

func TestCohortCSVGolden(t *testing.T) {
	t.Parallel()
	c := kts101(t)
	var buf bytes.Buffer
	if err := export.WriteCohortCSV(&buf, c, c.Rows(cohort.Query{Suspended: true})); err != nil {
		t.Fatal(err)
	}
	golden(t, "kts101-cohort.csv.golden", buf.Bytes())
}

func TestActivitiesCSVGolden(t *testing.T) {
	t.Parallel()
	c := kts101(t)
	var buf bytes.Buffer
	if err := export.WriteActivitiesCSV(&buf, c.ActivityReport(0, false)); err != nil {
		t.Fatal(err)
	}
	golden(t, "kts101-activities.csv.golden", buf.Bytes())
}

func TestCohortCSVColumns(t *testing.T) {
	t.Parallel()
	c := kts101(t)
	records := writeAndRead(t, c, c.Rows(cohort.Query{Search: "oliver"}))
	want := [][]string{
		{"userid", "fullname", "email", "groups", "enrolment", "lastcourseaccess",
			"activities_completed", "activities_total", "completion_percent", "course_completed", "flags",
			"A1 Essay: Learning styles: status", "A1 Essay: Learning styles: grade",
			"A2 Reflection journal: status", "A2 Reflection journal: grade",
			"A3 Project proposal: status", "A3 Project proposal: grade"},
		{"14", "Oliver Smith", "oliver.smith@students.kts-lab.example", "Group B", "active", "2026-11-08T15:44:48Z",
			"2", "8", "25", "no", "behind;inactive;overdue", "late", "", "not_started", "", "overdue", ""},
	}
	if diff := cmp.Diff(want, records); diff != "" {
		t.Errorf("Oliver's CSV (-want +got):\n%s", diff)
	}
}

// TestCohortCSVCells: accents, commas, quotes, formula starts and numbers, read back with
// an RFC 4180 reader.
func TestCohortCSVCells(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 22, 19, 44, 48, 0, time.UTC)
	in := cohort.Input{
		Roster: []cohort.Participant{
			{ID: 7, FullName: `=HYPERLINK("http://evil.example","Zoë, ""the best""")`, Email: "+1@example.com",
				Roles: []string{"student"}, LastCourseAccess: when.Of(now.Add(-time.Hour)),
				Groups: []cohort.Group{{ID: 2, Name: "-B, late"}, {ID: 1, Name: "@A"}}},
			{ID: 8, FullName: "Siobhán O'Brien, Jr.", Email: "\tsio@example.com", Roles: []string{"student"}},
		},
		Assignments: []cohort.AssignmentInfo{{ID: 1, CMID: 6, Name: "=A1, \"quoted\"", GradeMax: 100}},
		Submissions: []cohort.AssignmentSubmissions{{AssignmentID: 1}},
		Grades: []cohort.Grade{
			{AssignmentID: 1, UserID: 7, Graded: true, Value: 78.5},
			{AssignmentID: 1, UserID: 8, Graded: false, Value: -1}, // Moodle's -1: no grade
		},
	}
	c := cohort.Build(in, now, cohort.DefaultConfig())
	got := writeAndRead(t, c, c.Rows(cohort.Query{}))
	want := [][]string{
		{"userid", "fullname", "email", "groups", "enrolment", "lastcourseaccess", "activities_completed",
			"activities_total", "completion_percent", "course_completed", "flags", `'=A1, "quoted": status`, `'=A1, "quoted": grade`},
		{"7", `'=HYPERLINK("http://evil.example","Zoë, ""the best""")`, "'+1@example.com", "'-B, late; @A", "active",
			"2026-11-22T18:44:48Z", "", "", "", "no", "", "not_started", "78.5"},
		{"8", "Siobhán O'Brien, Jr.", "'\tsio@example.com", "", "active", "", "", "", "", "no", "never_accessed", "not_started", ""},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("cells (-want +got):\n%s", diff)
	}
}

func TestActivitiesCSVColumns(t *testing.T) {
	t.Parallel()
	c := kts101(t)
	var buf bytes.Buffer
	if err := export.WriteActivitiesCSV(&buf, c.ActivityReport(0, false)); err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"cmid", "section", "name", "modname", "completed", "failed", "eligible", "percent", "dropoff"},
		{"2", "Getting started", "Course handbook", "page", "26", "0", "29", "89", ""},
		{"3", "Getting started", "Reading: How people learn", "url", "18", "0", "29", "62", "-27"},
	}
	if diff := cmp.Diff(want, records[:3]); diff != "" {
		t.Errorf("activities CSV (-want +got):\n%s", diff)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, os.ErrClosed }

func TestWriteErrors(t *testing.T) {
	t.Parallel()
	c := kts101(t)
	if err := export.WriteCohortCSV(failingWriter{}, c, c.Students); err == nil {
		t.Error("WriteCohortCSV to a failing writer: no error")
	}
	if err := export.WriteActivitiesCSV(failingWriter{}, c.ActivityReport(0, true)); err == nil {
		t.Error("WriteActivitiesCSV to a failing writer: no error")
	}
}

func writeAndRead(t *testing.T, c *cohort.Cohort, rows []cohort.Student) [][]string {
	t.Helper()
	var buf bytes.Buffer
	if err := export.WriteCohortCSV(&buf, c, rows); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(buf.String(), "\n") {
		t.Error("CSV does not end with a newline")
	}
	records, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not read back: %v", err)
	}
	return records
}
