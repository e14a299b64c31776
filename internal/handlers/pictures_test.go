package handlers_test

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestPictures: the student page draws the student's path against the course's median and the
// cohort page the spread of completion, as SVG on the server with the facts in words.
func TestPictures(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.signInTeacher()
	p := b.get("/course/2/student/14")
	fig := one(t, p.doc, "path-chart")
	svgs := findAll(fig, func(n *html.Node) bool { return n.Data == "svg" })
	if len(svgs) != 1 || attr(svgs[0], "role") != "img" || attr(svgs[0], "aria-labelledby") != "path-caption" {
		t.Fatalf("path chart: %d svg, role %q", len(svgs), attr(svgs[0], "role"))
	}
	lines := findAll(fig, func(n *html.Node) bool { return n.Data == "polyline" })
	if len(lines) != 2 {
		t.Errorf("%d lines; want the student's and the median's", len(lines))
	}
	if got := text(one(t, p.doc, "path-summary")); !strings.HasPrefix(got, "Oliver Smith has completed 2 of 8 activities") ||
		!strings.Contains(got, "the course's median student has completed 6 activities") || !strings.Contains(got, "Submitted: ") {
		t.Errorf("path summary %q", got)
	}
	p = b.get("/course/2?group=1")
	got := text(one(t, p.doc, "spread-summary"))
	rows := len(byTestID(p.doc, "student-row"))
	if !strings.HasPrefix(got, "Completion of the ") || !strings.Contains(got, " students shown") {
		t.Errorf("spread summary %q", got)
	}
	bars := findAll(one(t, p.doc, "spread-chart"), func(n *html.Node) bool { return n.Data == "rect" })
	if len(bars) != 11 || rows == 0 {
		t.Errorf("%d bars; want one per tenth and 100 %%", len(bars))
	}
}
