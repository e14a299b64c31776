package e2e_test

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/knowthystudents/kts/internal/demo"
)

// TestMessagingTraps walks issue 17's messaging traps in the browser, with scripts on and
// off and at a phone's and a desktop's width: an activity's "not completed" message leaves
// out who waits for a grade, and a selection over the recipient cap is a page that says how
// to narrow it, each way out of which is a compose form within the cap.
func TestMessagingTraps(t *testing.T) {
	t.Parallel()
	e := theEnv(t)
	for _, js := range []bool{true, false} {
		for _, width := range []int64{1280, 390} {
			t.Run(fmt.Sprintf("scripts %v %dpx", js, width), func(t *testing.T) {
				t.Parallel()
				var opts []tabOption
				if !js {
					opts = append(opts, noJavaScript)
				}
				tb := newTab(t, e, opts...)
				tb.do(chromedp.EmulateViewport(width, 900))
				tb.open("/", 200)
				tb.signIn("kts.teacher", demo.TeacherPassword)

				// KTS101's A1: some students submitted and wait for the teacher's grade.
				tb.open("/course/2/activities", 200)
				tb.follow(chromedp.Click(chromedp.Search(`//a[@data-testid="activity-link"][starts-with(normalize-space(.), "A1")]`)), 200)
				if got := tb.text(testID("awaiting-grade")); !strings.Contains(got, "waits for your grade") {
					t.Errorf("the activity page says %q about who waits for a grade", got)
				}
				waiting := run(tb, chromedp.Evaluate[[]string](`[...document.querySelectorAll('[data-testid="waits-for-grade"]')]
					.map(w => { const a = [...w.closest("li").querySelectorAll("a")].pop(); return a.pathname.split("/").pop(); })`))
				if len(waiting) == 0 {
					t.Fatal("no student on A1's page waits for a grade: the test checks nothing")
				}
				href := tb.attr(`[data-testid="message-incomplete"]`, "href")
				tb.follow(chromedp.Click(testID("message-incomplete")), 200)
				to := recipientIDs(tb)
				if len(to) == 0 {
					t.Fatalf("the message to those who have not completed A1 (%s) has no recipient", href)
				}
				for _, w := range waiting {
					if to[w] {
						t.Errorf("student %s waits for a grade on A1 yet is a recipient of %s", w, href)
					}
				}
				tb.audit("the compose form for an activity")
				if wide := tb.overflowing(); len(wide) > 0 {
					t.Errorf("the compose form at %dpx: wider than the window: %v", width, wide)
				}

				// Big Cohort 500: "Message those who need attention" is more than one message may reach.
				tb.open("/course/3", 200)
				tb.follow(chromedp.Click(testID("message-flagged")), 200)
				if got := tb.text(testID("too-many")); !strings.Contains(got, "at most") || !strings.Contains(got, "are selected") {
					t.Errorf("over the cap, the page says %q", got)
				}
				tb.audit("the page that says how to narrow a selection")
				if wide := tb.overflowing(); len(wide) > 0 {
					t.Errorf("the narrowing page at %dpx: wider than the window: %v", width, wide)
				}
				ways := run(tb, chromedp.Evaluate[[]string](`[...document.querySelectorAll('[data-testid="narrow"] a')].map(a => a.pathname + a.search)`))
				if len(ways) == 0 {
					t.Fatal("over the cap, no smaller selection is offered")
				}
				tb.open(ways[0], 200)
				if n := len(recipientIDs(tb)); n == 0 || strings.Contains(tb.text(chromedp.CSS("main")), "are selected") {
					t.Errorf("%s: %d recipients, or still over the cap; want the compose form", ways[0], n)
				}
			})
		}
	}
}

// recipientIDs are the student ids the compose form on the page writes to.
func recipientIDs(tb *tab) map[string]bool {
	tb.t.Helper()
	ids := run(tb, chromedp.Evaluate[[]string](`[...document.querySelectorAll('form input[name="userid"]')].map(i => i.value)`))
	out := make(map[string]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out
}

// TestHeadingsAndLinks checks issue 17's words on every main page: one h1, a heading outline
// that never skips a level, and links whose text says where they go (two links with the same
// words lead to the same place).
func TestHeadingsAndLinks(t *testing.T) {
	t.Parallel()
	e := theEnv(t)
	tb := newTab(t, e)
	tb.open("/", 200)
	checkOutline(t, tb)
	tb.signIn("kts.teacher", demo.TeacherPassword)
	for _, path := range []string{"/", "/course/2", "/course/2?attention=1", "/course/2/student/14", "/course/2/activities",
		"/course/2/activity/6", "/course/2/message?userid=14&userid=30", "/course/2/queue", "/course/2/changes",
		"/course/2/rules", "/course/2/followup", "/course/3"} {
		tb.open(path, 200)
		checkOutline(t, tb)
	}
}

// checkOutline reports a page whose headings or link texts would confuse a screen reader.
func checkOutline(t *testing.T, tb *tab) {
	t.Helper()
	got := run(tb, chromedp.Evaluate[struct {
		Levels []int
		Links  [][2]string
	}](`(() => {
		const vis = e => e.getClientRects().length > 0 || e.closest(".visually-hidden");
		const levels = [...document.querySelectorAll("h1,h2,h3,h4,h5,h6")].filter(vis).map(h => +h.tagName[1]);
		const links = [...document.querySelectorAll("a[href]")].filter(vis).map(a => [a.textContent.replace(/\s+/g, " ").trim(), a.pathname + a.search]);
		return {Levels: levels, Links: links};
	})()`))
	where := tb.where()
	if len(got.Levels) == 0 || got.Levels[0] != 1 {
		t.Errorf("%s: headings %v; want the page to start with its h1", where, got.Levels)
	}
	h1 := 0
	for i, l := range got.Levels {
		if l == 1 {
			h1++
		}
		if i > 0 && l > got.Levels[i-1]+1 {
			t.Errorf("%s: heading h%d follows h%d, skipping a level (%v)", where, l, got.Levels[i-1], got.Levels)
		}
	}
	if h1 != 1 {
		t.Errorf("%s: %d h1 headings; want one", where, h1)
	}
	dest := map[string]string{}
	for _, l := range got.Links {
		text, to := l[0], l[1]
		if text == "" {
			t.Errorf("%s: a link to %s has no text", where, to)
			continue
		}
		if prev, ok := dest[text]; ok && !sameDestination(prev, to) {
			t.Errorf("%s: two links read %q but lead to %s and %s", where, text, prev, to)
		}
		dest[text] = to
	}
}

// studentPage matches a student's page: two students may share a name, and their links then
// read the same although they are two people.
var studentPage = regexp.MustCompile(`^/course/\d+/student/\d+$`)

// sameDestination treats two links as one place when they go to the same view, or to two
// students' pages (namesakes).
func sameDestination(a, b string) bool {
	if studentPage.MatchString(a) && studentPage.MatchString(b) {
		return true
	}
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	if err1 != nil || err2 != nil {
		return a == b
	}
	return ua.Path == ub.Path && ua.Query().Encode() == ub.Query().Encode()
}
