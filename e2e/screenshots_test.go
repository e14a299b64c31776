package e2e_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

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
}

// screenshots are the main pages, in the order a teacher meets them.
var screenshots = []shot{
	{"signin.png", "Sign in", "A teacher signs in with their Moodle username and password or pastes a web-service token; in demo mode the page lists the demo accounts.", 900,
		func(tb *tab) { tb.open("/", 200) }},
	{"home.png", "My courses", "After signing in: the courses this teacher teaches, with how many people are enrolled.", 500,
		func(tb *tab) {
			tb.signIn("kts.teacher", demo.TeacherPassword)
			tb.do(chromedp.WaitVisible(testID("courses")))
		}},
	{"cohort.png", "The cohort of KTS101", "Every student at a glance: last access, completion, each assignment's status and grade, and the flags that say who needs attention and why.", 1100,
		func(tb *tab) {
			tb.follow(chromedp.Click(chromedp.CSS(`[data-testid="course-link"][href="/course/2"]`)), 200)
			tb.do(chromedp.WaitVisible(testID("cohort-table")))
		}},
	{"cohort-filtered.png", "Filtered and sorted", "Group A only, sorted by last course access: the table is swapped in place and the address follows, so the view can be bookmarked.", 1100,
		func(tb *tab) {
			tb.htmxSwap(func() { tb.selectOption(testID("filter-group"), "Group A") }, `location.search.includes("group=")`)
			tb.htmxSwap(func() { tb.do(chromedp.Click(testID("sort-access"))) }, `location.search.includes("sort=access")`)
		}},
	{"student.png", "One student", "Oliver Smith: why he is flagged, each assignment (A1 submitted four days late), every activity's completion, grades, notes and messages.", 1300,
		func(tb *tab) {
			tb.open("/course/2/student/14", 200)
			tb.do(chromedp.WaitVisible(testID("student-page")))
		}},
	{"activities.png", "Activities and design review", "For the course designer: completion of each activity in course order, the drop-off from one to the next, groups side by side and assignment timeliness.", 1300,
		func(tb *tab) {
			tb.open("/course/2/activities", 200)
			tb.do(chromedp.WaitVisible(testID("activities-table")))
		}},
	{"activity.png", "One activity", "Who has and has not completed an activity (here the A1 essay, with each submission's status), with a button to message those who have not.", 1000,
		func(tb *tab) {
			tb.follow(chromedp.Click(chromedp.Search(`//a[@data-testid="activity-link"][starts-with(normalize-space(.), "A1")]`)), 200)
			tb.do(chromedp.WaitVisible(testID("list-incomplete")))
		}},
	{"compose-preview.png", "Write to students", "A message to the selected students, with placeholders filled in for each, previewed for one of them before it goes out through Moodle.", 1100,
		func(tb *tab) {
			tb.open("/course/2/message?userid=14&userid=30&userid=13", 200)
			tb.do(chromedp.SendKeys(testID("compose-text"), "Hello {firstname}, I noticed {overdue} is still open. Could you drop me a line this week about how it is going?"))
			tb.follow(chromedp.Click(testID("preview-button")), 200)
			tb.do(chromedp.WaitVisible(testID("preview")), chromedp.Blur(testID("compose-text")))
		}},
	{"message-result.png", "Sent", "What happened for each student; sending the same form again sends nothing new.", 700,
		func(tb *tab) {
			tb.follow(chromedp.Click(testID("send-button")), 200)
			tb.do(chromedp.WaitVisible(testID("message-result")))
		}},
	{"cohort-500.png", "500 students", "Big Cohort 500, a page of 100 students at a time: the table scrolls in its own box with the header row and the names kept in view.", 900,
		func(tb *tab) {
			tb.open("/course/3", 200)
			tb.do(chromedp.WaitVisible(testID("cohort-table")))
		}},
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
	md.WriteString("# Screenshots\n\nThe main pages of the dashboard against the built-in demo Moodle, at 1280 pixels wide.\n" +
		"`make screenshots` takes them again (`go test ./e2e -run TestScreenshots -update-screenshots`); this file is written by that test.\n")
	for _, s := range screenshots {
		s.show(tb)
		if !*updateScreenshots {
			continue
		}
		png := tb.screenshot(s.height)
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

// screenshot is a PNG of the top of the page, 1280 pixels wide and at most height tall.
func (tb *tab) screenshot(height float64) []byte {
	tb.t.Helper()
	// The mouse rests in a corner, so no link shows its hover state.
	tb.do(chromedp.MouseEvent(chromedp.MouseMoved, 1, 1))
	full := run(tb, chromedp.Evaluate[float64](`document.documentElement.scrollHeight`))
	png := run(tb, chromedp.Action[[]byte](func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		res, err := cdp.Call(ctx, t, page.CaptureScreenshot, page.CaptureScreenshotParams{
			Format:                page.CaptureScreenshotFormatPng,
			Clip:                  &page.Viewport{Width: 1280, Height: math.Min(full, height), Scale: 1},
			CaptureBeyondViewport: new(true),
		})
		return res.Data, err
	}))
	return png
}
