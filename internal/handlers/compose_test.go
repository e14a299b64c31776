package handlers_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestMessageTextPerReason: the form starts with a text whose {reasons} each student gets in
// their own words, so a student who is only overdue reads about the overdue work.
func TestMessageTextPerReason(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.signInTeacher()
	p := b.get("/course/2/message?userid=14&userid=26")
	if p.status != http.StatusOK {
		t.Fatalf("compose: %d", p.status)
	}
	text := strings.TrimSpace(nodeText(one(t, p.doc, "compose-text")))
	if !strings.Contains(text, "{reasons}") {
		t.Fatalf("the form starts with %q; want the {reasons} placeholder in it", text)
	}
	var key string
	for _, in := range findAll(p.doc, func(n *html.Node) bool { return n.Data == "input" && attr(n, "name") == "key" }) {
		key = attr(in, "value")
	}
	for id, want := range map[string]string{
		"14": "You have not opened the course for 14 days",
		"26": "fewer than most of the class",
	} {
		r := b.post("/course/2/message", url.Values{"key": {key}, "userid": {"14", "26"}, "text": {text}, "action": {"preview"}, "previewfor": {id}})
		got := nodeText(one(t, r.doc, "preview"))
		if r.status != http.StatusOK || !strings.Contains(got, want) || strings.Contains(got, "{") {
			t.Errorf("preview for %s: %d %q; want it to say %q", id, r.status, got, want)
		}
		if id == "26" && strings.Contains(got, "past its due date") {
			t.Errorf("Dmitri is not overdue, yet reads %q", got)
		}
	}
}

// TestActivityMessageLeavesOutWhoWaitsForAGrade: on an assignment's page, students who
// submitted and wait for the teacher's grade are marked and not in the message link.
func TestActivityMessageLeavesOutWhoWaitsForAGrade(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.signInTeacher()
	found := false
	for _, cm := range []int{6, 7, 8} {
		p := b.get("/course/2/activity/" + strconv.Itoa(cm))
		waiting := byTestID(p.doc, "waits-for-grade")
		if len(waiting) == 0 {
			continue
		}
		found = true
		one(t, p.doc, "awaiting-grade")
		href := attr(one(t, p.doc, "message-incomplete"), "href")
		for _, w := range waiting {
			li := w.Parent
			var sid string
			for _, a := range findAll(li, func(n *html.Node) bool { return n.Data == "a" }) {
				sid = a.Attr[0].Val[strings.LastIndex(a.Attr[0].Val, "/")+1:]
			}
			if strings.Contains(href+"&", "userid="+sid+"&") {
				t.Errorf("activity %d: student %s waits for a grade but is in the message link %s", cm, sid, href)
			}
		}
	}
	if !found {
		t.Fatal("no assignment of KTS101 has a student waiting for a grade: the test checks nothing")
	}
}

// TestTooManyRecipientsSaysHowToNarrow: a selection over the cap is a page with smaller
// selections to pick, not a 400.
func TestTooManyRecipientsSaysHowToNarrow(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(o *envOptions) { o.maxRecips = 5 })
	b := e.browser()
	b.signInTeacher()
	p := b.get("/course/2/message?attention=1")
	if p.status != http.StatusOK {
		t.Fatalf("status %d; want 200 with a way to narrow:\n%s", p.status, text(p.doc))
	}
	one(t, p.doc, "too-many")
	links := findAll(one(t, p.doc, "narrow"), func(n *html.Node) bool { return n.Data == "a" })
	if len(links) == 0 {
		t.Fatal("no smaller selection offered")
	}
	for _, a := range links {
		r := b.get(strings.TrimPrefix(attr(a, "href"), e.app.URL))
		n := len(byTestID(r.doc, "recipients"))
		if r.status != http.StatusOK || n != 1 {
			t.Errorf("%s (%s): status %d; want the compose form", text(a), attr(a, "href"), r.status)
			continue
		}
		if got := len(findAll(one(t, r.doc, "recipients"), func(n *html.Node) bool { return n.Data == "li" })); got == 0 || got > 5 {
			t.Errorf("%s: %d recipients; want 1..5", text(a), got)
		}
	}
}

// nodeText is the raw text inside n (a textarea's white space kept).
func nodeText(n *html.Node) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		} else {
			b.WriteString(nodeText(c))
		}
	}
	return b.String()
}
