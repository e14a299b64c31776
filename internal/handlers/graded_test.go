package handlers_test

import (
	"net/http"
	"strings"
	"testing"

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
