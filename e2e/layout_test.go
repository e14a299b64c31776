package e2e_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/knowthystudents/kts/internal/demo"
)

// TestLayout checks the look at a desktop and a tablet width: nothing but a table's own
// scroll box is wider than the window, the 500-student course renders with a header that
// stays in view, and Oliver's page prints on at most three A4 pages without nav or forms.
func TestLayout(t *testing.T) {
	t.Parallel()
	e := theEnv(t)
	teacher := newTab(t, e)
	teacher.open("/", 200)
	teacher.signIn("kts.teacher", demo.TeacherPassword)

	for _, width := range []int64{1280, 768} {
		t.Run(fmt.Sprintf("%dpx", width), func(t *testing.T) {
			tb := teacher.sub(t)
			tb.do(chromedp.EmulateViewport(width, 900))
			t.Cleanup(func() { tb.do(chromedp.EmulateViewport(1280, 900)) })
			for _, path := range []string{"/course/2", "/course/2?group=1&sort=access", "/course/2/student/14", "/course/2/activities"} {
				tb.open(path, 200)
				if wide := tb.overflowing(); len(wide) > 0 {
					t.Errorf("%s at %dpx: wider than the window, outside a table's scroll box: %v", path, width, wide)
				}
			}
		})
	}

	t.Run("500 students with a sticky header", func(t *testing.T) {
		tb := teacher.sub(t)
		tb.open("/course/3", 200)
		tb.do(chromedp.WaitVisible(testID("cohort-table")))
		first := tb.rowIDs()
		if got := tb.text(testID("shown-count")); len(first) != 100 || !strings.Contains(got, "Showing 491 of 491 active students") ||
			!strings.Contains(got, "rows 1 to 100, page 1 of 5") {
			t.Errorf("BIG500 shows %d rows and says %q; want the first 100 of its 491 active students", len(first), got)
		}
		tb.htmxSwap(func() { tb.do(chromedp.Click(testID("page-next"))) }, `location.search.includes("page=2")`)
		if next := tb.rowIDs(); len(next) != 100 || next[0] == first[0] {
			t.Errorf("page 2 shows %d rows starting with %s; want the next 100", len(next), next[0])
		}
		if wide := tb.overflowing(); len(wide) > 0 {
			t.Errorf("BIG500: wider than the window: %v", wide)
		}
		// Scroll the table's box down and right: the header row and the name column stay.
		stuck := run(tb, chromedp.Evaluate[struct {
			Scrolled, HeadTop, WrapTop, NameLeft, NameHeadLeft, WrapLeft float64
			OnTop                                                        bool
		}](`(() => {
			const wrap = document.querySelector(".table-wrap");
			wrap.scrollTop = 4000; wrap.scrollLeft = 300;
			const w = wrap.getBoundingClientRect();
			const head = wrap.querySelector("thead th:last-child").getBoundingClientRect();
			const hit = document.elementFromPoint(w.left + w.width / 2, head.top + head.height / 2);
			return {Scrolled: wrap.scrollTop, HeadTop: head.top, WrapTop: w.top, WrapLeft: w.left,
				NameLeft: wrap.querySelector("tbody tr:nth-child(100) th.sticky-col").getBoundingClientRect().left,
				NameHeadLeft: wrap.querySelector('th:has([data-testid="sort-name"])').getBoundingClientRect().left,
				OnTop: !!(hit && hit.closest("thead"))};
		})()`))
		if stuck.Scrolled < 1000 {
			t.Fatalf("the table box scrolled only %.0fpx; want the 500 rows in a scrolling box", stuck.Scrolled)
		}
		// Within 2px: the box's own border.
		if d := stuck.HeadTop - stuck.WrapTop; d < -1 || d > 2 || !stuck.OnTop {
			t.Errorf("scrolled 4000px down, the header row is %.0fpx below the top of the table box (visible: %v); want it stuck there", d, stuck.OnTop)
		}
		for what, left := range map[string]float64{"the names": stuck.NameLeft, "the names' header": stuck.NameHeadLeft} {
			if d := left - stuck.WrapLeft; d < -1 || d > 2 {
				t.Errorf("scrolled 300px right, %s are %.0fpx from the box's left edge; want them stuck there", what, d)
			}
		}
	})

	t.Run("student prints on A4", func(t *testing.T) {
		tb := teacher.sub(t)
		tb.open("/course/2/student/14", 200)
		pdf := run(tb, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFPreferCSSPageSize()))
		if n := pdfPages(pdf); n < 1 || n > 3 {
			t.Errorf("Oliver's page prints on %d A4 pages; want 1 to 3", n)
		}
		if _, err := chromedp.Call(tb.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { chromedp.Call(tb.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}) })
		shown := run(tb, chromedp.Evaluate[[]string](`[...document.querySelectorAll("nav, form, .btn, .skip-link, input, textarea, select")]
			.filter(e => e.getClientRects().length > 0).map(e => e.outerHTML.slice(0, 80))`))
		if len(shown) > 0 {
			t.Errorf("printed, these still show: %q", shown)
		}
		if got := tb.text(testID("student-name")); got != "Oliver Smith" {
			t.Errorf("printed, the heading reads %q", got)
		}
	})
}

// overflowing lists the elements that reach past the right edge of the window, leaving out
// those inside a .table-wrap (whose own scroll box is where a wide table belongs).
func (tb *tab) overflowing() []string {
	tb.t.Helper()
	return run(tb, chromedp.Evaluate[[]string](`(() => {
		const out = [], w = document.documentElement.clientWidth;
		if (document.documentElement.scrollWidth > w) out.push("the page scrolls sideways: " + document.documentElement.scrollWidth + "px in " + w + "px");
		for (const e of document.body.querySelectorAll("*")) {
			if (e.closest(".table-wrap, .visually-hidden")) continue;
			const r = e.getBoundingClientRect();
			if (r.width > 0 && r.right > w + 1) out.push(e.tagName.toLowerCase() + (e.className ? "." + String(e.className).split(" ").join(".") : "") + " to " + Math.round(r.right) + "px");
		}
		return out.slice(0, 10);
	})()`))
}

var pdfPage = regexp.MustCompile(`/Type\s*/Page\b`)

// pdfPages counts the page objects of a PDF as Chromium writes it (/Type /Page, not /Pages).
func pdfPages(pdf []byte) int { return len(pdfPage.FindAll(pdf, -1)) }
