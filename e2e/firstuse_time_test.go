package e2e_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/knowthystudents/kts/internal/demo"
)

// TestTeacherReadsTheirOwnZone: a teacher whose Moodle profile says Australia/Brisbane reads
// every date of a student's page in AEST, the same instants a UTC teacher reads in UTC.
func TestTeacherReadsTheirOwnZone(t *testing.T) {
	t.Parallel()
	brisbane := newEnv(t, func(s *envSetup) {
		s.demo = func(o *demo.Options) { o.UserTimezones = map[string]string{"kts.teacher": "Australia/Brisbane"} }
	})
	dues := func(e *env) []string {
		tb := newTab(t, e)
		tb.open("/", 200)
		tb.signIn("kts.teacher", demo.TeacherPassword)
		tb.open("/course/2/student/14", 200)
		tb.audit("the student page in the teacher's zone")
		return run(tb, chromedp.Evaluate[[]string](`[...document.querySelectorAll('[data-testid="student-assignments"] tbody tr td:nth-child(4)')].map(td => td.firstChild.textContent.trim())`))
	}
	utc, aest := dues(theEnv(t)), dues(brisbane)
	if len(utc) == 0 || len(utc) != len(aest) {
		t.Fatalf("due dates: UTC %q, Brisbane %q; want the same assignments", utc, aest)
	}
	const layout = "Mon 2 Jan 2006, 15:04 MST"
	for i := range utc {
		u, err1 := time.Parse(layout, utc[i])
		a, err2 := time.Parse(layout, aest[i])
		if err1 != nil || err2 != nil {
			t.Errorf("due %d reads %q (UTC teacher) and %q (Brisbane teacher); want dates like %q", i, utc[i], aest[i], layout)
			continue
		}
		if !strings.HasSuffix(utc[i], " UTC") || !strings.HasSuffix(aest[i], " AEST") {
			t.Errorf("due %d reads %q and %q; want UTC for one teacher and AEST for the other", i, utc[i], aest[i])
		}
		// time.Parse knows AEST only by name: its offset is the 10 hours the wall clock is ahead.
		if d := a.Sub(u); d != 10*time.Hour {
			t.Errorf("due %d: %q in Brisbane is %v after %q in UTC; want 10h on the wall clock", i, aest[i], d, utc[i])
		}
	}
}

// TestBigCourseShowsSomethingAtOnce: on Moodle's measured latency, a cold 600-student course
// shows its roster with a word on how far the load is, then fills itself in: with scripts by
// polling, without them by reloading itself, until the flags are there.
func TestBigCourseShowsSomethingAtOnce(t *testing.T) {
	t.Parallel()
	for _, js := range []bool{true, false} {
		t.Run(fmt.Sprintf("scripts %v", js), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, func(s *envSetup) {
				s.demo = func(o *demo.Options) { o.Latency = demo.RealisticLatency(); o.BigStudents = 600 }
				s.firstScreen = time.Second // the server's default
			})
			var opts []tabOption
			if !js {
				opts = append(opts, noJavaScript)
			}
			tb := newTab(t, e, opts...)
			tb.open("/", 200)
			tb.signIn("kts.teacher", demo.TeacherPassword)
			// Not tb.open: it waits for the page to fill in, and this test looks before that.
			resp := run(tb, chromedp.NavigateResponse(e.url("/course/4")))
			if resp == nil || resp.Status != 200 {
				t.Fatalf("the cold course answered %v", resp)
			}
			first := run(tb, chromedp.Evaluate[struct {
				Rows  int
				State string
			}](`({Rows: document.querySelectorAll('[data-testid="student-row"]').length,
				State: (document.querySelector('[data-testid="load-state"]') || {}).textContent || ""})`))
			if first.Rows == 0 || first.State == "" {
				t.Fatalf("the first page shows %d students and says %q about the load; want the roster and how far the load is", first.Rows, first.State)
			}
			if !js && !strings.Contains(first.State, "reloads itself") {
				t.Errorf("without scripts the first page says %q; want it to say it reloads itself", first.State)
			}
			tb.audit("a course still loading")
			ctx, cancel := context.WithTimeout(tb.ctx, 3*time.Minute)
			defer cancel()
			if err := chromedp.Do(ctx, chromedp.WaitNotPresent(testID("load-state")), chromedp.WaitVisible(testID("flags"))); err != nil {
				t.Fatalf("the course did not fill itself in: %v", err)
			}
			if n := tb.count(`[data-testid="student-row"]`); n != 100 {
				t.Errorf("filled in, the page shows %d students; want a page of 100", n)
			}
		})
	}
}
