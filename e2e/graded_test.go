package e2e_test

import (
	"fmt"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/knowthystudents/kts/internal/demo"
)

// TestChoosingGradedColumns: a teacher adds the quiz as a column through the form under the
// table, at a desktop's and a phone's width, with JavaScript on and off: the column shows
// each student's grade and pass or fail, nothing scrolls sideways, axe finds nothing; the
// choice is still there on the next visit, prints with the table (not the form), and "No
// grade columns" takes it away. The env is the test's own: the saved choice would change
// the shared env's cohort page for the other tests.
func TestChoosingGradedColumns(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, js := range []bool{true, false} {
		for _, width := range []int64{1280, 390} {
			// One after the other: the four share the teacher's saved choice.
			t.Run(fmt.Sprintf("%dpx, JavaScript %s", width, map[bool]string{true: "on", false: "off"}[js]), func(t *testing.T) {
				var opts []tabOption
				if !js {
					opts = append(opts, noJavaScript)
				}
				tb := newTab(t, e, opts...).sub(t)
				tb.do(chromedp.EmulateViewport(width, 900))
				tb.open("/", 200)
				tb.signIn("kts.teacher", demo.TeacherPassword)
				tb.open("/course/2", 200)
				if n := tb.count(`[data-testid="graded-col"]`); n != 0 {
					t.Fatalf("%d graded columns before choosing; want none", n)
				}
				tb.do(chromedp.Click(chromedp.CSS(`[data-testid="graded-cols"] summary`)),
					chromedp.WaitVisible(chromedp.CSS(`label[for="cols-9"]`)),
					chromedp.Click(chromedp.CSS(`label[for="cols-9"]`)))
				if !run(tb, chromedp.Evaluate[bool](`document.getElementById("cols-9").checked`)) {
					t.Fatal("clicking the quiz's label did not check its box")
				}
				tb.follow(chromedp.Click(testID("graded-cols-apply")), 200)
				if got := tb.where(); got != "/course/2?cols=9" {
					t.Errorf("after choosing, the tab is at %s; want /course/2?cols=9", got)
				}
				tb.checkQuizColumn()
				if wide := tb.overflowing(); len(wide) > 0 {
					t.Errorf("with the quiz column, wider than the window: %v", wide)
				}
				tb.audit(fmt.Sprintf("the cohort with a quiz column at %dpx", width))

				// The next visit, from a link without cols=: the choice stuck.
				tb.open("/course/2", 200)
				tb.checkQuizColumn()

				// Printed: the column is on paper, the form is not.
				if _, err := chromedp.Call(tb.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
					t.Fatal(err)
				}
				printed := run(tb, chromedp.Evaluate[struct{ Column, Form bool }](`({
					Column: document.querySelector('[data-testid="graded-col"]').getClientRects().length > 0,
					Form: document.querySelector('[data-testid="graded-cols"]').getClientRects().length > 0})`))
				if _, err := chromedp.Call(tb.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
					t.Fatal(err)
				}
				if !printed.Column || printed.Form {
					t.Errorf("printed: the quiz column shows %v, the form shows %v; want the column and not the form", printed.Column, printed.Form)
				}
				if n := pdfPages(run(tb, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4)))); n < 1 {
					t.Errorf("the cohort with a quiz column prints on %d pages", n)
				}

				// The form is open while a column is chosen; "No grade columns" resets.
				tb.follow(chromedp.Click(testID("graded-cols-reset")), 200)
				if got := tb.where(); got != "/course/2" {
					t.Errorf("after the reset, the tab is at %s; want /course/2", got)
				}
				tb.open("/course/2", 200)
				if n := tb.count(`[data-testid="graded-col"]`); n != 0 {
					t.Errorf("%d graded columns after the reset; want none", n)
				}
			})
		}
	}
}

// checkQuizColumn checks the cohort shows the quiz as its one graded column, with Zoë's 9.00
// and a pass, Mateo's 4.00 and a fail, and "no grade" for Ethan, who never attempted it.
func (tb *tab) checkQuizColumn() {
	tb.t.Helper()
	if got := tb.text(testID("graded-col")); got != "Week 2 check-in quiz" || tb.count(`[data-testid="graded-col"]`) != 1 {
		tb.t.Errorf("graded column %q (%d of them); want the quiz alone", got, tb.count(`[data-testid="graded-col"]`))
	}
	for id, want := range map[string]string{"5": "9.00 pass", "16": "4.00 fail", "30": "no grade"} {
		if got := tb.text(chromedp.CSS(`[data-testid="student-row"][data-userid="` + id + `"] [data-testid="graded"]`)); got != want {
			tb.t.Errorf("student %s's quiz cell reads %q; want %q", id, got, want)
		}
	}
}
