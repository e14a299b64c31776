package e2e_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/knowthystudents/kts/internal/demo"
	"github.com/xuri/excelize/v2"
)

// TestFirstUse walks what issue 17's new teacher tried, with scripts on and off: the
// spreadsheet download opens with the page's rows, the pictures have their words, a phone
// shows who needs attention without sideways scrolling, and the message form starts with a
// text per reason.
func TestFirstUse(t *testing.T) {
	t.Parallel()
	e := theEnv(t)
	for _, js := range []bool{true, false} {
		t.Run(fmt.Sprintf("scripts %v", js), func(t *testing.T) {
			t.Parallel()
			var opts []tabOption
			if !js {
				opts = append(opts, noJavaScript)
			}
			tb := newTab(t, e, opts...)
			tb.open("/", 200)
			tb.signIn("kts.teacher", demo.TeacherPassword)
			tb.open("/course/2?group=1", 200)
			rows := tb.rowIDs()
			name, body := tb.download(testID("export-xlsx"))
			if !strings.HasSuffix(name, ".xlsx") {
				t.Errorf("the spreadsheet downloads as %q", name)
			}
			f, err := excelize.OpenReader(bytes.NewReader(body))
			if err != nil {
				t.Fatalf("the downloaded spreadsheet does not open: %v", err)
			}
			sheet, _ := f.GetRows("Students")
			f.Close()
			if len(sheet) != len(rows)+1 || sheet[0][0] != "Name" {
				t.Errorf("the spreadsheet has %d rows (header %q); the page shows %d students", len(sheet), sheet[0], len(rows))
			}
			if got := tb.text(testID("spread-summary")); !strings.HasPrefix(got, "Completion of the") {
				t.Errorf("the spread of completion says %q", got)
			}
			tb.audit("the cohort with the spread chart")

			tb.open("/course/2/student/14", 200)
			if got := tb.text(testID("path-summary")); !strings.Contains(got, "median student") {
				t.Errorf("the student's path says %q", got)
			}
			tb.audit("the student page with the path chart")

			tb.open("/course/2/message?userid=14", 200)
			if got := run(tb, chromedp.Evaluate[string](`document.querySelector('[data-testid="compose-text"]').value`)); !strings.Contains(got, "{reasons}") {
				t.Errorf("the message form starts with %q; want the reasons placeholder", got)
			}
			tb.audit("the compose form")

			tb.do(chromedp.EmulateViewport(390, 844))
			defer tb.do(chromedp.EmulateViewport(1280, 900))
			tb.open("/course/2?attention=1", 200)
			if wide := tb.overflowing(); len(wide) > 0 {
				t.Errorf("at 390px: wider than the window: %v", wide)
			}
			m := tb.firstScreen()
			if m.ReasonRight > m.Width {
				t.Errorf("at 390px the first flag's reason reaches %.0fpx", m.ReasonRight)
			}
			tb.audit("the cohort at 390px")
		})
	}
}
