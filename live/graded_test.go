package live_test

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/net/html"
)

// Every graded activity other than an assignment (the seeded quiz with a grade to pass, the
// forum the teacher rates) is offered as a column, and with every one chosen each student's
// cell holds the grade and the pass or fail that Moodle's gradebook gives (truth.php), for
// the editing teacher and the Group A tutor.
//
// With suspended=1 too: Moodle's report of every student leaves out suspended enrolments
// (grade_report_showonlyactiveenrol, on by default), so the dashboard reads theirs one by
// one; a suspended student with a quiz grade must show it, not "no grade".
func TestLiveGradedColumnsMatchMoodleEveryCell(t *testing.T) {
	s := liveSite(t)
	d := dashboardFor(t, s)
	tr := moodleTruth(t, s)
	course := "/course/" + strconv.FormatInt(s.CourseID, 10)
	for _, c := range []struct{ viewer, filter string }{
		{s.Teacher, "default"}, {s.Tutor, "default"}, {s.Teacher, "suspended"},
	} {
		t.Run(c.viewer+"/"+c.filter, func(t *testing.T) {
			want := tr.view(t, c.viewer, c.filter).Graded
			if len(want.Header) < 5 {
				t.Fatalf("truth.php knows %d graded activities other than assignments; the seed has a quiz and a rated forum", (len(want.Header)-1)/2)
			}
			client := d.as(t, c.viewer, s.Password)
			q := url.Values{}
			if c.filter == "suspended" {
				q.Set("suspended", "1")
			}
			// The CSV waits for the whole load; the page after it shows every cell.
			if status, body := d.get(t, client, course+"/export.csv?"+q.Encode()); status != http.StatusOK {
				t.Fatalf("export.csv: status %d\n%s", status, tail(body, 1500))
			}
			status, body := d.get(t, client, course+"?"+q.Encode())
			if status != http.StatusOK {
				t.Fatalf("course page: status %d\n%s", status, tail(body, 1500))
			}
			offered := gradedChoices(parseHTML(t, body))
			var names []string
			for _, ch := range offered {
				names = append(names, ch.label)
				q.Add("cols", ch.cmid)
			}
			if wantNames := gradedNames(want.Header); !slices.Equal(names, wantNames) {
				t.Fatalf("columns offered %q; Moodle's graded activities are %q", names, wantNames)
			}
			status, body = d.get(t, client, course+"?"+q.Encode())
			if status != http.StatusOK {
				t.Fatalf("course page with every column: status %d\n%s", status, tail(body, 1500))
			}
			compareTables(t, "graded columns as "+c.viewer+" ("+c.filter+")", want, gradedTable(t, parseHTML(t, body)))

			// The spreadsheet with the same columns: a number for a numeric grade, the
			// result in words, rows by email.
			status, body = d.get(t, client, course+"/export.xlsx?"+q.Encode())
			if status != http.StatusOK {
				t.Fatalf("export.xlsx with every column: status %d", status)
			}
			compareTables(t, "spreadsheet's graded columns as "+c.viewer+" ("+c.filter+")",
				numericGrades(want), numericGrades(xlsxGraded(t, body, tr.view(t, c.viewer, c.filter).Cohort)))
		})
	}
}

type gradedChoice struct{ cmid, label string }

// gradedChoices are the checkboxes of the graded-columns form, in page order.
func gradedChoices(doc *html.Node) []gradedChoice {
	var out []gradedChoice
	for _, form := range byTestID(doc, "graded-cols") {
		for _, in := range find(form, func(e *html.Node) bool { return e.Data == "input" && attr(e, "name") == "cols" }) {
			label := find(form, func(e *html.Node) bool { return e.Data == "label" && attr(e, "for") == attr(in, "id") })
			if len(label) == 1 {
				out = append(out, gradedChoice{cmid: attr(in, "value"), label: text(label[0])})
			}
		}
	}
	return out
}

// gradedNames are the activity names of truth.php's graded header, in order.
func gradedNames(header []string) []string {
	var out []string
	for _, h := range header[1:] {
		if name, ok := strings.CutSuffix(h, ": grade"); ok {
			out = append(out, name)
		}
	}
	return out
}

// gradedTable reads the cohort table's graded columns as truth.php lays them out: a row per
// student (data-userid), the grade as shown ("no grade" is empty) and the pass or fail badge.
func gradedTable(t *testing.T, doc *html.Node) table {
	t.Helper()
	got := table{Header: []string{"userid"}}
	for _, th := range byTestID(doc, "graded-col") {
		got.Header = append(got.Header, text(th)+": grade", text(th)+": result")
	}
	for _, tr := range byTestID(doc, "student-row") {
		row := []string{attr(tr, "data-userid")}
		cells := byTestID(tr, "graded")
		if len(cells) != (len(got.Header)-1)/2 {
			t.Errorf("student %s: %d graded cells under %d graded columns", row[0], len(cells), (len(got.Header)-1)/2)
		}
		for _, td := range cells {
			spans := find(td, func(e *html.Node) bool { return e.Data == "span" })
			grade, result := text(td), ""
			if len(spans) == 2 {
				grade, result = text(spans[0]), text(spans[1])
				if !strings.Contains(attr(spans[1], "class"), "status-"+result) {
					t.Errorf("student %s: the %q badge has class %q", row[0], result, attr(spans[1], "class"))
				}
			}
			if grade == "no grade" {
				grade = ""
			}
			row = append(row, grade, result)
		}
		got.Rows = append(got.Rows, row)
	}
	return got
}

// xlsxGraded reads the spreadsheet's graded columns as truth.php lays them out, each row's
// student found by email in the cohort truth (the sheet has no user id column).
func xlsxGraded(t *testing.T, body string, cohort table) table {
	t.Helper()
	f, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatalf("export.xlsx is not a spreadsheet: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows("Students")
	if err != nil || len(rows) == 0 {
		t.Fatalf("export.xlsx: no Students sheet with a header (%v)", err)
	}
	ids := map[string]string{} // email → userid
	ue, ui := slices.Index(cohort.Header, "email"), slices.Index(cohort.Header, "userid")
	for _, r := range cohort.Rows {
		ids[r[ue]] = r[ui]
	}
	head := rows[0]
	email := slices.Index(head, "Email")
	got := table{Header: []string{"userid"}}
	var cols []int
	for i, h := range head {
		if name, ok := strings.CutSuffix(h, ": pass or fail"); ok && i > 0 && head[i-1] == name+": grade" {
			got.Header = append(got.Header, name+": grade", name+": result")
			cols = append(cols, i-1)
		}
	}
	cell := func(r []string, i int) string {
		if i < len(r) {
			return r[i]
		}
		return ""
	}
	for _, r := range rows[1:] {
		id, ok := ids[cell(r, email)]
		if !ok {
			id = "(email " + cell(r, email) + ")"
		}
		row := []string{id}
		for _, i := range cols {
			row = append(row, cell(r, i), cell(r, i+1))
		}
		got.Rows = append(got.Rows, row)
	}
	return got
}

// numericGrades writes every grade cell that is a number in one way (9.00 and 9 are the
// same grade: the spreadsheet holds numbers, the page Moodle's formatted text).
func numericGrades(tb table) table {
	out := table{Header: tb.Header}
	for _, r := range tb.Rows {
		row := slices.Clone(r)
		for i, h := range tb.Header {
			if strings.HasSuffix(h, ": grade") && i < len(row) {
				if f, err := strconv.ParseFloat(row[i], 64); err == nil {
					row[i] = strconv.FormatFloat(f, 'f', -1, 64)
				}
			}
		}
		out.Rows = append(out.Rows, row)
	}
	return out
}
