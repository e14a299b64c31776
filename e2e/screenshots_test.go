package e2e_test

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/knowthystudents/kts/internal/demo"
)

// shot is one screenshot of docs/screenshots: how to get to the page, and the sentence
// docs/SCREENSHOTS.md shows under it.
type shot struct {
	file, title, caption string
	height               float64 // how much of the page to keep, in CSS pixels
	show                 func(tb *tab)
	width                int64 // the window's width, 1280 unless set (390: a phone)
}

// ownEnv gives a shot, by file, a dashboard and demo Moodle of its own, set up so (a
// teacher's time zone, Moodle's latency), in a new tab that its show signs in.
var ownEnv = map[string][]envOption{
	"cohort-loading.png": {func(s *envSetup) {
		s.demo = func(o *demo.Options) { o.Latency = demo.RealisticLatency(); o.BigStudents = 600 }
		s.firstScreen = time.Second
	}},
	"student-brisbane.png": {func(s *envSetup) {
		s.demo = func(o *demo.Options) { o.UserTimezones = map[string]string{"kts.teacher": "Australia/Brisbane"} }
	}},
}

// screenshots are the main pages, in the order a teacher meets them.
var screenshots = []shot{
	{"signin.png", "Sign in", "A teacher signs in with their Moodle username and password or pastes a web-service token; in demo mode the page lists the demo accounts.", 900,
		func(tb *tab) { tb.open("/", 200) }, 0},
	{"home.png", "My courses", "After signing in: the courses this teacher teaches, with how many people are enrolled.", 500,
		func(tb *tab) {
			tb.signIn("kts.teacher", demo.TeacherPassword)
			tb.do(chromedp.WaitVisible(testID("courses")))
		}, 0},
	{"cohort.png", "The cohort of KTS101", "Every student at a glance: who needs attention and why right next to the name, last access, completion (with why 7 of 8 can be 100 %), each assignment's status and grade; dates in the teacher's own Moodle time zone.", 1100,
		func(tb *tab) {
			tb.follow(chromedp.Click(chromedp.CSS(`[data-testid="course-link"][href="/course/2"]`)), 200)
			tb.do(chromedp.WaitVisible(testID("cohort-table")))
		}, 0},
	{"cohort-filtered.png", "Filtered and sorted", "Group A only, sorted by last course access: the table is swapped in place and the address follows, so the view can be bookmarked.", 1100,
		func(tb *tab) {
			tb.htmxSwap(func() { tb.selectOption(testID("filter-group"), "Group A") }, `location.search.includes("group=")`)
			tb.htmxSwap(func() { tb.do(chromedp.Click(testID("sort-access"))) }, `location.search.includes("sort=access")`)
		}, 0},
	{"cohort-graded.png", "A quiz as a column", "Quizzes, rated forums and other graded activities become columns when the teacher ticks them in the form under the table (kept for the course until changed, \u201cNo grade columns\u201d takes them away): Moodle's grade with pass or fail where the activity has a grade to pass.", 1100,
		func(tb *tab) {
			// cols= in the address shows the column without saving it: the shared env's other
			// tests keep a cohort page without it.
			tb.open("/course/2?attention=1&sort=attention&cols=9", 200)
			tb.do(chromedp.WaitVisible(testID("graded-col")))
			// The table's box scrolled to its right end, where the quiz column is, the names kept.
			tb.do(chromedp.Evaluate[chromedp.Void](`document.querySelector(".table-wrap").scrollLeft = 1e5`))
		}, 0},
	{"student.png", "One student", "Oliver Smith: why he is flagged, his completions and submissions over time against the course's median student (drawn on the server, with the same facts in words), each assignment (A1 submitted four days late), every activity's completion, grades, notes and messages.", 1500,
		func(tb *tab) {
			tb.open("/course/2/student/14", 200)
			tb.do(chromedp.WaitVisible(testID("student-page")))
		}, 0},
	{"activities.png", "Activities and design review", "For the course designer: completion of each activity in course order, the drop-off from one to the next, groups side by side and assignment timeliness.", 1300,
		func(tb *tab) {
			tb.open("/course/2/activities", 200)
			tb.do(chromedp.WaitVisible(testID("activities-table")))
		}, 0},
	{"activity.png", "One activity", "Who has and has not completed an activity (here the A1 essay, with each submission's status): those who submitted and wait for the teacher's grade are marked and left out of the message to those who still have something to do.", 1000,
		func(tb *tab) {
			tb.follow(chromedp.Click(chromedp.Search(`//a[@data-testid="activity-link"][starts-with(normalize-space(.), "A1")]`)), 200)
			tb.do(chromedp.WaitVisible(testID("list-incomplete")))
		}, 0},
	{"compose-preview.png", "Write to students", "A message to the selected students: the form starts with a text whose {reasons} each student gets in their own words (overdue work by name, how long inactive, behind, below a pass grade), previewed for one of them before it goes out through Moodle.", 1100,
		func(tb *tab) {
			tb.open("/course/2/message?userid=14&userid=30&userid=13", 200)
			tb.follow(chromedp.Click(testID("preview-button")), 200)
			tb.do(chromedp.WaitVisible(testID("preview")), chromedp.Blur(testID("compose-text")))
		}, 0},
	{"message-result.png", "Sent", "What happened for each student; sending the same form again sends nothing new.", 700,
		func(tb *tab) {
			tb.follow(chromedp.Click(testID("send-button")), 200)
			tb.do(chromedp.WaitVisible(testID("message-result")))
		}, 0},
	{"cohort-500.png", "500 students", "Big Cohort 500, a page of 100 students at a time: the table scrolls in its own box with the header row and the names kept in view.", 900,
		func(tb *tab) {
			tb.open("/course/3", 200)
			tb.do(chromedp.WaitVisible(testID("cohort-table")))
		}, 0},
	{"cohort-loading.png", "A big course, at once", "A cold 600-student course on Moodle's measured latency: the roster and what is known come within a second of Moodle's roster reply, the line above the table says how far the load is, and the rows fill in as Moodle's batches land (without JavaScript the page reloads itself and says so).", 900,
		func(tb *tab) {
			tb.open("/", 200)
			tb.signIn("kts.teacher", demo.TeacherPassword)
			if resp := run(tb, chromedp.NavigateResponse(tb.e.url("/course/4"))); resp == nil || resp.Status != 200 {
				tb.t.Fatalf("the cold course answered %v", resp)
			}
			tb.do(chromedp.WaitVisible(testID("load-state")))
		}, 0},
	{"student-brisbane.png", "A teacher in Brisbane", "The same student for a teacher whose Moodle profile says Australia/Brisbane: every date and time, the flag reasons included, in AEST, the teacher's own zone (the CSV for scripts stays in UTC).", 900,
		func(tb *tab) {
			tb.open("/", 200)
			tb.signIn("kts.teacher", demo.TeacherPassword)
			tb.open("/course/2/student/14", 200)
			tb.do(chromedp.WaitVisible(testID("student-page")))
		}, 0},
	{"too-many.png", "More than one message may reach", "\u201cMessage those who need attention\u201d on Big Cohort 500 selects more students than one message may go to: the page says so and offers smaller selections, by group and by reason.", 800,
		func(tb *tab) {
			tb.open("/course/3", 200)
			tb.follow(chromedp.Click(testID("message-flagged")), 200)
			tb.do(chromedp.WaitVisible(testID("too-many")))
		}, 0},
	{"cohort-phone.png", "On a phone", "At 390 pixels each student is a card: the name, who needs attention and why, then completion, last access and each assignment with its name; nothing scrolls sideways.", 1400,
		func(tb *tab) {
			tb.open("/course/2?attention=1", 200)
			tb.do(chromedp.WaitVisible(testID("cohort-table")))
		}, 390},
	{"cohort-graded-phone.png", "A quiz column on a phone", "At 390 pixels the chosen quiz is one more line of each student's card, named, with the grade and pass or fail.", 1400,
		func(tb *tab) {
			tb.open("/course/2?attention=1&cols=9", 200)
			tb.do(chromedp.WaitVisible(testID("graded")))
		}, 390},
	{"student-phone.png", "A student on a phone", "Oliver Smith's page at 390 pixels: every part in one column, the picture scaled to the screen.", 1400,
		func(tb *tab) {
			tb.open("/course/2/student/14", 200)
			tb.do(chromedp.WaitVisible(testID("student-page")))
		}, 390},
}

// maxScreenshotBytes keeps the committed PNGs small enough for the repository.
const maxScreenshotBytes = 300 << 10

// TestScreenshots renders the main pages at 1280 pixels wide. With -update-screenshots
// (make screenshots) it writes them to docs/screenshots and rewrites docs/SCREENSHOTS.md;
// without it, it only checks that each page renders.
func TestScreenshots(t *testing.T) {
	t.Parallel()
	e := theEnv(t)
	tb := newTab(t, e).sub(t)
	tb.do(chromedp.EmulateViewport(1280, 900))
	dir := filepath.Join("..", "docs", "screenshots")
	var md bytes.Buffer
	md.WriteString("# Screenshots\n\nThe main pages of the dashboard against the built-in demo Moodle, at 1280 pixels wide (and two at 390, a phone).\n" +
		"`make screenshots` takes them again (`go test ./e2e -run TestScreenshots -update-screenshots`); this file is written by that test.\n")
	for _, s := range screenshots {
		width := cmp.Or(s.width, 1280)
		cur := tb
		if own := ownEnv[s.file]; own != nil {
			cur = newTab(t, newEnv(t, own...)).sub(t)
		}
		cur.do(chromedp.EmulateViewport(width, 900))
		s.show(cur)
		if !*updateScreenshots {
			continue
		}
		png := cur.screenshot(float64(width), s.height)
		if len(png) > maxScreenshotBytes {
			t.Errorf("%s is %d kB; keep each screenshot under %d kB", s.file, len(png)>>10, maxScreenshotBytes>>10)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, s.file), png, 0o644); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&md, "\n## %s\n\n%s\n\n![%s](screenshots/%s)\n", s.title, s.caption, s.title, s.file)
	}
	if *updateScreenshots {
		if err := os.WriteFile(filepath.Join("..", "docs", "SCREENSHOTS.md"), md.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// screenshot is a PNG of the top of the page, width pixels wide and at most height tall.
func (tb *tab) screenshot(width, height float64) []byte {
	tb.t.Helper()
	// The mouse rests in a corner, so no link shows its hover state.
	tb.do(chromedp.MouseEvent(chromedp.MouseMoved, 1, 1))
	full := run(tb, chromedp.Evaluate[float64](`document.documentElement.scrollHeight`))
	png := run(tb, chromedp.Action[[]byte](func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		res, err := cdp.Call(ctx, t, page.CaptureScreenshot, page.CaptureScreenshotParams{
			Format:                page.CaptureScreenshotFormatPng,
			Clip:                  &page.Viewport{Width: width, Height: math.Min(full, height), Scale: 1},
			CaptureBeyondViewport: new(true),
		})
		return res.Data, err
	}))
	return png
}
