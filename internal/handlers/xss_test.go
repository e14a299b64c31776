package handlers_test

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/knowthystudents/kts/internal/demo"
	"golang.org/x/net/html"
)

// Hostile text Moodle hands over as it was typed: a student's name, an activity's and a
// group's name, a grader's feedback (HTML in Moodle), and a name built to run as a formula in
// a spreadsheet.
const (
	scriptName  = `<script>alert(1)</script>`
	imgActivity = `<img src=x onerror=alert(1)>`
	svgGroup    = `<svg onload=alert(4)>A</svg>`
	htmlFeedbck = `<p>Good work</p><script>alert(2)</script><img src=x onerror=alert(3)>`
	formulaName = `=HYPERLINK("http://evil.example/","Click")`
)

// hostileEnv is the demo with that text seeded before anyone loads the course.
func hostileEnv(t *testing.T) *env {
	t.Helper()
	e := newEnv(t)
	for _, err := range []error{
		e.site.SetUserName(13, scriptName, "Chen"),                  // Mei Chen, Group A, A1 graded
		e.site.SetFeedback(demo.KTS101CourseID, 13, 6, htmlFeedbck), // on A1
		e.site.SetActivityName(demo.KTS101CourseID, 6, imgActivity), // A1, an assignment
		e.site.SetActivityName(demo.KTS101CourseID, 2, `<a href="javascript:alert(5)">Handbook</a>`),
		e.site.SetGroupName(demo.KTS101CourseID, 1, svgGroup),
		e.site.SetUserName(10, formulaName, "Rahman"), // Aisha Rahman
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// TestMoodleTextIsNeverMarkup: in every page that shows Moodle's text, the hostile values are
// shown as text (the teacher can read them), and none becomes an element, an attribute or a
// script: no <script> but the page's own, no on* attribute, no javascript: link.
func TestMoodleTextIsNeverMarkup(t *testing.T) {
	t.Parallel()
	e := hostileEnv(t)
	b := e.browser()
	b.signInTeacher()
	tests := []struct {
		path  string
		htmx  bool
		shown []string // hostile values the page must show as text
	}{
		{"/course/2", false, []string{scriptName, imgActivity, svgGroup, formulaName}},
		{"/course/2?sort=6&dir=desc", true, []string{scriptName, imgActivity}},
		{"/course/2?group=1&q=" + url.QueryEscape(scriptName), false, []string{scriptName}},
		{"/course/2/student/13", false, []string{scriptName, imgActivity}},
		{"/course/2/activities", false, []string{imgActivity, svgGroup}},
		{"/course/2/activity/6", false, []string{imgActivity, scriptName}},
		{"/course/2/activity/2", false, []string{`<a href="javascript:alert(5)">Handbook</a>`}},
		{"/course/2/message?userid=13&userid=10", false, []string{scriptName, formulaName}},
	}
	for _, tt := range tests {
		var p page
		if tt.htmx {
			p = b.get(tt.path, "HX-Request", "true")
		} else {
			p = b.get(tt.path)
		}
		if p.status != http.StatusOK {
			t.Errorf("GET %s: status %d: %q", tt.path, p.status, text(p.doc))
			continue
		}
		checkInert(t, tt.path, p)
		visible := text(p.doc)
		for _, s := range tt.shown {
			if !strings.Contains(visible, s) {
				t.Errorf("GET %s: %q is not shown as text", tt.path, s)
			}
		}
	}
}

// checkInert fails when anything of the hostile values became markup in p.
func checkInert(t *testing.T, path string, p page) {
	t.Helper()
	for _, raw := range []string{"<script>alert", "<img src=x", "<svg onload", `<a href="javascript:`} {
		if strings.Contains(p.body, raw) {
			t.Errorf("GET %s: the page holds %q unescaped", path, raw)
		}
	}
	for _, n := range findAll(p.doc, func(*html.Node) bool { return true }) {
		if n.Data == "script" && attr(n, "src") == "" {
			t.Errorf("GET %s: an inline <script> with %q", path, text(n))
		}
		if n.Data == "img" && attr(n, "src") == "x" {
			t.Errorf("GET %s: a <%s> element from Moodle's text", path, n.Data)
		}
		for _, a := range n.Attr {
			if strings.HasPrefix(a.Key, "on") || strings.Contains(strings.ToLower(a.Val), "javascript:") {
				t.Errorf("GET %s: <%s %s=%q>", path, n.Data, a.Key, a.Val)
			}
		}
	}
}

// TestMoodleTextInCSVIsData: the exports carry the values as they are (a CSV is data, served as
// an attachment that no browser renders), and a text cell that a spreadsheet would run as a
// formula gets the apostrophe the contract asks for.
func TestMoodleTextInCSVIsData(t *testing.T) {
	t.Parallel()
	e := hostileEnv(t)
	b := e.browser()
	b.signInTeacher()
	for _, tt := range []struct {
		path string
		want []string // cells that must be there, exactly
	}{
		{"/course/2/export.csv", []string{scriptName + " Chen", "'" + formulaName + " Rahman", imgActivity + ": status", imgActivity + ": grade", svgGroup}},
		{"/course/2/activities.csv", []string{imgActivity, `<a href="javascript:alert(5)">Handbook</a>`}},
	} {
		p := b.get(tt.path)
		if p.status != http.StatusOK {
			t.Fatalf("GET %s: status %d", tt.path, p.status)
		}
		if ct, cd := p.header.Get("Content-Type"), p.header.Get("Content-Disposition"); !strings.HasPrefix(ct, "text/csv") ||
			!strings.HasPrefix(cd, "attachment") || p.header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: Content-Type %q, Content-Disposition %q, nosniff %q: a browser could render it",
				tt.path, ct, cd, p.header.Get("X-Content-Type-Options"))
		}
		recs, err := csv.NewReader(strings.NewReader(p.body)).ReadAll()
		if err != nil {
			t.Fatalf("GET %s: %v", tt.path, err)
		}
		cells := map[string]bool{}
		for _, r := range recs {
			for _, c := range r {
				cells[c] = true
				if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) && strings.Trim(c, "-0123456789.") != "" {
					t.Errorf("GET %s: cell %q would run as a formula", tt.path, c)
				}
			}
		}
		for _, want := range tt.want {
			if !cells[want] {
				t.Errorf("GET %s: no cell %q", tt.path, want)
			}
		}
	}
}
