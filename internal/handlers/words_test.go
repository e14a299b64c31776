package handlers_test

import (
	"net/http"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// headings lists a page's headings as levels: [1 2 2 3].
func headings(doc *html.Node) []int {
	var out []int
	for _, h := range findAll(doc, func(n *html.Node) bool {
		return len(n.Data) == 2 && n.Data[0] == 'h' && n.Data[1] >= '1' && n.Data[1] <= '6'
	}) {
		out = append(out, int(h.Data[1]-'0'))
	}
	return out
}

// TestHeadingOutline: every page has one h1 first, then h2s, and never skips a level.
func TestHeadingOutline(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.signInTeacher()
	for _, path := range []string{"/", "/course/2", "/course/2/student/30", "/course/2/activities", "/course/2/activity/6", "/course/2/message?userid=30", "/no/such/page"} {
		p := b.get(path)
		hs := headings(p.doc)
		if len(hs) == 0 || hs[0] != 1 {
			t.Errorf("%s: headings %v; want an h1 first", path, hs)
			continue
		}
		h1s := 0
		for i, h := range hs {
			if h == 1 {
				h1s++
			}
			if i > 0 && h > hs[i-1]+1 {
				t.Errorf("%s: headings %v skip from h%d to h%d", path, hs, hs[i-1], h)
			}
		}
		if h1s != 1 {
			t.Errorf("%s: %d h1s", path, h1s)
		}
		if path == "/course/2" && len(hs) < 3 {
			t.Errorf("cohort page headings %v; want h2s for its parts", hs)
		}
	}
}

// TestWordsOnTheCohortPage: the flag cards' links say whom they message, "message all shown"
// names a count only when there is someone, and a 100 % with an activity left says why.
func TestWordsOnTheCohortPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.signInTeacher()
	p := b.get("/course/2")
	seen := map[string]bool{}
	links := byTestID(p.doc, "flag-card-message")
	if len(links) < 3 {
		t.Fatalf("%d flag card links; want one per flag", len(links))
	}
	for _, a := range links {
		name := text(a)
		if seen[name] || strings.Contains(name, "message them") {
			t.Errorf("flag card link %q is not unique or does not say whom it messages", name)
		}
		seen[name] = true
	}
	if got := text(one(t, p.doc, "message-shown")); got != "Message the 29 students shown" {
		t.Errorf("message-shown says %q", got)
	}
	jose := rowOf(t, p.doc, "8")
	if got := text(jose); !strings.Contains(got, "7 of 8") || !strings.Contains(got, "100 % because Moodle marks the course completed; 1 activity is still not done") {
		t.Errorf("José's completion does not explain 7 of 8 = 100 %%: %s", got)
	}
	p = b.get("/course/2?q=nobody-has-this-name")
	if p.status != http.StatusOK || len(byTestID(p.doc, "message-shown")) != 0 {
		t.Errorf("no student shown, yet a message-all link: %s", text(one(t, p.doc, "cohort-results")))
	}
}

// TestStudentPageWords: a student who never opened the course reads "never" once, and a
// completed course with an activity left says why it is 100 %.
func TestStudentPageWords(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.signInTeacher()
	p := b.get("/course/2/student/30")
	if got := text(one(t, p.doc, "last-course-access")); got != "never" {
		t.Errorf("last course access %q; want never (once)", got)
	}
	p = b.get("/course/2/student/8")
	if got := text(one(t, p.doc, "student-completion")); !strings.Contains(got, "1 activity is still not done") {
		t.Errorf("José's completion %q does not explain the 100 %%", got)
	}
}
