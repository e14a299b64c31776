package export_test

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/export"
)

// FuzzWriteCohortCSV: whatever Moodle sends as names, emails, group and assignment names or
// grades, the CSV reads back with one record per student of equal width, every text cell as
// sent (made valid UTF-8, an apostrophe before a formula start), and no cell but a plain
// number starts with =, +, -, @, tab or CR.
func FuzzWriteCohortCSV(f *testing.F) {
	f.Add("Zoë Andersen", "zoe@example.com", "Group A", "A1 Essay", 92.0)
	f.Add(`=HYPERLINK("http://x","y")`, "+1", "-B", "@SUM(A1:A9)", 78.5)
	f.Add("a,b\"c\r\nd", "\tx", "\rgroup", "x\ny", -1.0)
	f.Add("\xff\xfe", "", "", "", 1e300)
	f.Fuzz(func(t *testing.T, name, email, group, assign string, grade float64) {
		now := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
		in := cohort.Input{
			Roster: []cohort.Participant{{ID: 1, FullName: name, Email: email, Roles: []string{"student"},
				Groups: []cohort.Group{{ID: 1, Name: group}}}},
			Assignments: []cohort.AssignmentInfo{{ID: 1, CMID: 2, Name: assign}},
			Submissions: []cohort.AssignmentSubmissions{{AssignmentID: 1}},
			Grades:      []cohort.Grade{{AssignmentID: 1, UserID: 1, Graded: grade >= 0, Value: grade}}, // Moodle's AssignGrade.Graded
		}
		c := cohort.Build(in, now, cohort.DefaultConfig())
		var buf bytes.Buffer
		if err := export.WriteCohortCSV(&buf, c, c.Rows(cohort.Query{})); err != nil {
			t.Fatal(err)
		}
		records, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatalf("CSV does not read back: %v", err)
		}
		if len(records) != 2 || len(records[0]) != 13 || len(records[1]) != 13 {
			t.Fatalf("records = %q", records)
		}
		for _, rec := range records {
			for _, cell := range rec {
				if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
					if _, err := strconv.ParseFloat(cell, 64); err != nil {
						t.Errorf("unsafe cell %q", cell)
					}
				}
			}
		}
		for _, check := range []struct{ got, sent string }{
			{records[1][1], name}, {records[1][2], email}, {records[1][3], group}, {records[0][11], assign + ": status"},
		} {
			if want := readBack(safe(check.sent)); check.got != want {
				t.Errorf("cell = %q, want %q", check.got, want)
			}
		}
	})
}

// safe is the contract's rule, restated: valid UTF-8, apostrophe before a formula start.
func safe(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if s != "" && strings.ContainsAny(s[:1], "=+-@\t\r") {
		return "'" + s
	}
	return s
}

// readBack is what an RFC 4180 reader returns for a written cell: encoding/csv turns CRLF
// inside a quoted field into LF.
func readBack(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }
