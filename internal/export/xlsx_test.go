package export_test

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/export"
	"github.com/knowthystudents/kts/internal/intake"
	"github.com/knowthystudents/kts/internal/intake/intaketest"
	"github.com/knowthystudents/kts/internal/moodle"
)

// openXLSX writes the cohort's rows as a spreadsheet in loc and opens it again.
func openXLSX(t *testing.T, c *cohort.Cohort, rows []cohort.Student, loc *time.Location, cols ...int64) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := export.WriteCohortXLSX(&buf, c, rows, loc, cols); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("the file does not open as a spreadsheet: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestCohortXLSXForPeople(t *testing.T) {
	t.Parallel()
	brisbane, err := time.LoadLocation("Australia/Brisbane")
	if err != nil {
		t.Fatal(err)
	}
	in, now := intaketest.KTS101(t)
	c := cohort.Build(in, now, cohort.Config{Location: brisbane})
	q := cohort.Query{Sort: "name"}
	rows := c.Rows(q)
	f := openXLSX(t, c, rows, brisbane)
	got, err := f.GetRows("Students")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(rows)+1 {
		t.Fatalf("%d rows; want the header and the %d rows of the cohort view", len(got), len(rows))
	}
	h := got[0]
	for i, want := range []string{"Name", "Email", "Groups", "Enrolment", "Last course access (Australia/Brisbane)",
		"Activities completed", "Activities with completion", "Completion %", "Course completed", "Needs attention", "A1 Essay: Learning styles"} {
		if i >= len(h) || h[i] != want {
			t.Errorf("header %d = %q; want %q", i, at(h, i), want)
		}
	}
	for i, s := range rows {
		if got[i+1][0] != s.FullName {
			t.Errorf("row %d is %q; want %q, in the cohort view's order", i+1, got[i+1][0], s.FullName)
		}
	}
	// Ethan (never opened the course, overdue) and Oliver (last course access 14 days ago).
	for i, s := range rows {
		r := got[i+1]
		switch s.ID {
		case 30:
			if at(r, 4) != "never" || !strings.Contains(at(r, 9), "Overdue: A1 overdue since 2 Nov") || !strings.Contains(at(r, 9), "Never opened the course") {
				t.Errorf("Ethan: access %q, attention %q", at(r, 4), at(r, 9))
			}
			if at(r, 10) != "Overdue" {
				t.Errorf("Ethan's A1 status %q; want the word Overdue", at(r, 10))
			}
		case 14:
			cell := "E" + itoa(i+2)
			typ, _ := f.GetCellType("Students", cell)
			v, _ := f.GetCellValue("Students", cell, excelize.Options{RawCellValue: true})
			if typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString || v == "" {
				t.Fatalf("Oliver's last access %s is %q of type %v; want a date", cell, v, typ)
			}
			want := s.LastCourseAccess.Time().In(brisbane).Format("2 Jan 2006 15:04")
			shown, _ := f.GetCellValue("Students", cell)
			if !strings.Contains(shown, want[:len(want)-6]) || !strings.HasSuffix(shown, want[len(want)-5:]) {
				t.Errorf("Oliver's last access shows %q; want %s (Brisbane)", shown, want)
			}
		}
	}
	panes, err := f.GetPanes("Students")
	if err != nil || !panes.Freeze || panes.XSplit != 1 || panes.YSplit != 1 {
		t.Errorf("panes %+v (%v); want the header row and the names column frozen", panes, err)
	}
}

func TestCohortXLSXKeepsFormulasAsText(t *testing.T) {
	t.Parallel()
	in, now := intaketest.KTS101(t)
	in.Roster[0].FullName = "=HYPERLINK(\"http://evil\")"
	c := cohort.Build(in, now, cohort.Config{})
	f := openXLSX(t, c, c.Rows(cohort.Query{}), nil)
	rows, _ := f.GetRows("Students")
	for i := range rows {
		if formula, _ := f.GetCellFormula("Students", "A"+itoa(i+1)); formula != "" {
			t.Errorf("A%d holds a formula %q", i+1, formula)
		}
	}
}

func at(r []string, i int) string {
	if i < len(r) {
		return r[i]
	}
	return ""
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestCohortXLSXGradedColumns: the graded activities chosen on the cohort page come after the
// assignments, a grade (a number when Moodle's is one) and a pass or fail each; none unless
// chosen.
func TestCohortXLSXGradedColumns(t *testing.T) {
	t.Parallel()
	in, now := intaketest.KTS101Replies(t)
	in.GradeItems = new(moodle.GradeItemsReply)
	intaketest.Decode(t, "gradereport_user_get_grade_items.all-users.json", in.GradeItems)
	c := intake.Build(in, now, cohort.Config{})
	rows := c.Rows(cohort.Query{})
	plain, err := openXLSX(t, c, rows, time.UTC).GetRows("Students")
	if err != nil {
		t.Fatal(err)
	}
	f := openXLSX(t, c, rows, time.UTC, 9)
	got, err := f.GetRows("Students")
	if err != nil {
		t.Fatal(err)
	}
	h := got[0]
	if len(h) != len(plain[0])+2 || h[len(h)-2] != "Week 2 check-in quiz: grade" || h[len(h)-1] != "Week 2 check-in quiz: pass or fail" {
		t.Fatalf("header %q; want the quiz's two columns after %d", h, len(plain[0]))
	}
	want := map[string][2]string{"Zoë Andersen": {"9", "pass"}, "Mateo García": {"4", "fail"}, "Ethan Brown": {"", ""}}
	seen := 0
	for _, r := range got[1:] {
		w, ok := want[r[0]]
		if !ok {
			continue
		}
		seen++
		if g, p := at(r, len(h)-2), at(r, len(h)-1); g != w[0] || p != w[1] {
			t.Errorf("%s: quiz %q %q; want %q %q", r[0], g, p, w[0], w[1])
		}
	}
	if seen != len(want) {
		t.Errorf("found %d of the %d students checked", seen, len(want))
	}
}
