package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/knowthystudents/kts/internal/demo"
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

// TestGradedColumnsStick: the columns chosen in the form are kept for the teacher and the
// course: the page without cols= shows them (and the spreadsheet has them), an address with
// cols= shows what it says without changing the choice, another teacher never gets them, and
// "No grade columns" resets the choice.
func TestGradedColumnsStick(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.signInTeacher()
	heads := func(p page) []string {
		t.Helper()
		if p.status != http.StatusOK {
			t.Fatalf("status %d:\n%s", p.status, text(p.doc))
		}
		var out []string
		for _, th := range byTestID(p.doc, "graded-col") {
			out = append(out, text(th))
		}
		return out
	}
	form := findAll(b.get("/course/2").doc, func(n *html.Node) bool {
		return n.Data == "form" && attr(n, "action") == "/course/2/columns"
	})
	if len(form) != 1 || attr(form[0], "method") != "post" {
		t.Fatalf("%d forms posting to /course/2/columns; want the grade columns' one", len(form))
	}
	p := b.post("/course/2/columns", url.Values{"cols": {"9"}, "sort": {"access"}})
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/course/2?cols=9&sort=access" {
		t.Fatalf("saving: status %d, Location %q; want 303 back to the sorted page with the column", p.status, p.header.Get("Location"))
	}
	if got := heads(b.get("/course/2")); len(got) != 1 || got[0] != "Week 2 check-in quiz" {
		t.Errorf("the page without cols= after saving shows graded columns %q; want the quiz", got)
	}
	if href := attr(one(t, b.get("/course/2").doc, "sort-name"), "href"); !strings.Contains(href, "cols=9") {
		t.Errorf("with the saved column, the sort link %q drops it", href)
	}
	x := b.get("/course/2/export.xlsx")
	f, err := excelize.OpenReader(strings.NewReader(x.body))
	if x.status != http.StatusOK || err != nil {
		t.Fatalf("export.xlsx: status %d, %v", x.status, err)
	}
	rows, _ := f.GetRows("Students")
	f.Close()
	if len(rows) == 0 || rows[0][len(rows[0])-1] != "Week 2 check-in quiz: pass or fail" {
		t.Errorf("the spreadsheet without cols= has header %v; want the saved quiz columns last", rows[:min(len(rows), 1)])
	}
	tutor := e.browser()
	tutor.signIn("kts.tutor", demo.TutorPassword)
	if got := heads(tutor.get("/course/2")); len(got) != 0 {
		t.Errorf("the tutor gets the teacher's columns %q", got)
	}
	if p := b.post("/course/2/columns", url.Values{"cols": {"x"}}); p.status != http.StatusBadRequest {
		t.Errorf("cols=x: status %d; want 400", p.status)
	}
	if got := heads(b.get("/course/2")); len(got) != 1 {
		t.Errorf("a refused choice changed the saved one: columns %q", got)
	}
	p = b.post("/course/2/columns", url.Values{"cols": {"9"}, "action": {"reset"}})
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/course/2" {
		t.Fatalf("reset: status %d, Location %q; want 303 to /course/2", p.status, p.header.Get("Location"))
	}
	if got := heads(b.get("/course/2")); len(got) != 0 {
		t.Errorf("after the reset, graded columns %q; want none", got)
	}
}
