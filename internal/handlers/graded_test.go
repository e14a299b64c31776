package handlers_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/net/html"
)

// TestGradedActivityColumns: the cohort page offers the quiz as a column, shows none by
// default, and with cols=9 shows every student's quiz grade and pass or fail as Moodle has
// them; the links that sort keep the choice, and choosing costs Moodle nothing once loaded.
func TestGradedActivityColumns(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.signInTeacher()
	p := b.get("/course/2")
	if p.status != http.StatusOK {
		t.Fatalf("status %d", p.status)
	}
	if got := text(one(t, p.doc, "graded-cols")); !strings.Contains(got, "Week 2 check-in quiz") {
		t.Errorf("column choices %q; want the quiz offered", got)
	}
	if n := len(byTestID(p.doc, "graded-col")); n != 0 {
		t.Errorf("%d graded columns by default; want none", n)
	}
	e.site.ResetCalls()
	p = b.get("/course/2?cols=9")
	if p.status != http.StatusOK {
		t.Fatalf("cols=9: status %d:\n%s", p.status, text(p.doc))
	}
	if n := e.site.Requests(); n != 0 {
		t.Errorf("choosing a column made %d Moodle requests; want 0", n)
	}
	heads := byTestID(p.doc, "graded-col")
	if len(heads) != 1 || text(heads[0]) != "Week 2 check-in quiz" {
		t.Fatalf("graded column headers %d; want the quiz's", len(heads))
	}
	for _, tt := range []struct{ id, want string }{
		{"5", "9.00 pass"},  // Zoë
		{"16", "4.00 fail"}, // Mateo
		{"30", "no grade"},  // Ethan: no attempt
	} {
		cells := byTestID(rowOf(t, p.doc, tt.id), "graded")
		if len(cells) != 1 || text(cells[0]) != tt.want {
			var got []string
			for _, c := range cells {
				got = append(got, text(c))
			}
			t.Errorf("student %s: graded cells %q; want [%q]", tt.id, got, tt.want)
		}
	}
	boxes := findAll(p.doc, func(n *html.Node) bool { return attr(n, "id") == "cols-9" })
	if len(boxes) != 1 || !hasAttr(boxes[0], "checked") {
		t.Errorf("the quiz's checkbox is not checked with cols=9")
	}
	if href := attr(one(t, p.doc, "sort-access"), "href"); !strings.Contains(href, "cols=9") {
		t.Errorf("sort link %q drops the chosen column", href)
	}
	if href := attr(one(t, p.doc, "export-xlsx"), "href"); !strings.Contains(href, "cols=9") {
		t.Errorf("spreadsheet link %q drops the chosen column", href)
	}
	x := b.get("/course/2/export.xlsx?cols=9")
	f, err := excelize.OpenReader(strings.NewReader(x.body))
	if x.status != http.StatusOK || err != nil {
		t.Fatalf("export.xlsx?cols=9: status %d, %v", x.status, err)
	}
	defer f.Close()
	rows, err := f.GetRows("Students")
	if err != nil || len(rows) == 0 || rows[0][len(rows[0])-1] != "Week 2 check-in quiz: pass or fail" {
		t.Errorf("spreadsheet header %v (%v); want the quiz's columns last", rows[:min(len(rows), 1)], err)
	}
	csv := b.get("/course/2/export.csv?cols=9")
	if head, _, _ := strings.Cut(csv.body, "\n"); csv.status != http.StatusOK || strings.Contains(head, "quiz") {
		t.Errorf("CSV with cols=9: status %d, header %q; want the contract's columns only", csv.status, head)
	}
	if p := b.get("/course/2?cols=x"); p.status != http.StatusBadRequest {
		t.Errorf("cols=x: status %d; want 400", p.status)
	}
}

func hasAttr(n *html.Node, name string) bool {
	for _, a := range n.Attr {
		if a.Key == name {
			return true
		}
	}
	return false
}
