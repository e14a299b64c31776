package e2e_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/knowthystudents/kts/internal/demo"
)

// firstScreen measures the cohort page as it opens in a window of this size: where the first
// student row starts, how many rows fit whole in the window, and, for the first student with
// a flag, whether their name, flag reasons and completion lie within the window's width.
type firstScreen struct {
	TableTop, RowsInView                 float64
	NameRight, ReasonRight, ReasonBottom float64
	ScrollWidth, Width                   float64
}

func (tb *tab) firstScreen() firstScreen {
	tb.t.Helper()
	return run(tb, chromedp.Evaluate[firstScreen](`(() => {
		const rows = [...document.querySelectorAll('[data-testid="student-row"]')];
		const h = window.innerHeight, w = document.documentElement.clientWidth;
		const flagged = rows.find(r => r.querySelector("[data-flag]"));
		const name = flagged.querySelector('[data-testid="student-link"]').getBoundingClientRect();
		const reason = flagged.querySelector("[data-flag] .small").getBoundingClientRect();
		return {TableTop: rows[0].getBoundingClientRect().top,
			RowsInView: rows.filter(r => r.getBoundingClientRect().bottom <= h).length,
			NameRight: name.right, ReasonRight: reason.right, ReasonBottom: reason.bottom,
			ScrollWidth: document.documentElement.scrollWidth, Width: w};
	})()`))
}

// TestPhoneAndDesktopFirstScreen: at 390px a teacher sees who needs attention and why, and can
// open the student, without scrolling sideways; at 1280 × 900 more students fit on the first
// screen than the 3–5 the issue counted.
func TestPhoneAndDesktopFirstScreen(t *testing.T) {
	t.Parallel()
	e := theEnv(t)
	teacher := newTab(t, e)
	teacher.open("/", 200)
	teacher.signIn("kts.teacher", demo.TeacherPassword)
	for _, size := range []struct{ w, h int64 }{{390, 844}, {1280, 900}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			tb := teacher.sub(t)
			tb.do(chromedp.EmulateViewport(size.w, size.h))
			t.Cleanup(func() { tb.do(chromedp.EmulateViewport(1280, 900)) })
			tb.open("/course/2", 200)
			m := tb.firstScreen()
			if dir := os.Getenv("KTS_SHOT_DIR"); dir != "" {
				png := run(tb, chromedp.CaptureScreenshot())
				os.WriteFile(fmt.Sprintf("%s/cohort-%d.png", dir, size.w), png, 0o644)
				run(tb, chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('[data-testid="student-row"]')[4].scrollIntoView()`))
				os.WriteFile(fmt.Sprintf("%s/cohort-%d-rows.png", dir, size.w), run(tb, chromedp.CaptureScreenshot()), 0o644)
				run(tb, chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
			}
			t.Logf("%dx%d: first row at %.0fpx, %.0f rows in view, name to %.0fpx, reason to %.0fpx (bottom %.0fpx), page %.0fpx wide",
				size.w, size.h, m.TableTop, m.RowsInView, m.NameRight, m.ReasonRight, m.ReasonBottom, m.ScrollWidth)
			if m.ScrollWidth > m.Width {
				t.Errorf("the page scrolls sideways: %.0fpx in %.0fpx", m.ScrollWidth, m.Width)
			}
			if m.NameRight > m.Width || m.ReasonRight > m.Width {
				t.Errorf("a flagged student's name (to %.0fpx) or reason (to %.0fpx) is past the %.0fpx window", m.NameRight, m.ReasonRight, m.Width)
			}
			if wide := tb.overflowing(); len(wide) > 0 {
				t.Errorf("wider than the window: %v", wide)
			}
			if size.w == 1280 && (m.TableTop > 450 || m.RowsInView < 6) {
				t.Errorf("at 1280 × 900 the first student starts at %.0fpx and %.0f fit; want the table above 450px and 6 or more students (before: 503px and 4)", m.TableTop, m.RowsInView)
			}
			tb.audit(fmt.Sprintf("the cohort at %dpx", size.w))
			tb.open("/course/2/student/14", 200)
			if wide := tb.overflowing(); len(wide) > 0 {
				t.Errorf("student page wider than the window: %v", wide)
			}
			tb.audit(fmt.Sprintf("a student at %dpx", size.w))
		})
	}
}
