package load_test

import (
	"bytes"
	"testing"
	"time"
)

// TestCompletionOffAsksForNone: in a course with completion switched off every completion
// call would fail, and a failing call stops a batch: the loader must not ask at all.
func TestCompletionOffAsksForNone(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(o *harnessOptions) {
		o.rewrite = func(b []byte) []byte {
			// core_course_get_courses_by_field, on its own or inside a batch's JSON string.
			b = bytes.ReplaceAll(b, []byte(`"enablecompletion":1`), []byte(`"enablecompletion":0`))
			return bytes.ReplaceAll(b, []byte(`\"enablecompletion\":1`), []byte(`\"enablecompletion\":0`))
		}
	})
	v := h.course(2)
	if c := h.cost(); c.completion != 0 {
		t.Fatalf("%d completion calls for a course with completion off; want 0", c.completion)
	}
	if v.Snapshot == nil || len(v.Snapshot.Input.Roster) == 0 {
		t.Fatal("the course did not load")
	}
	if err := h.site.Visit(2, 14, seeded.Add(5*time.Minute)); err != nil {
		t.Fatal(err)
	}
	h.site.ResetCalls()
	h.refresh(2, false)
	if c := h.cost(); c.completion != 0 {
		t.Fatalf("a refresh made %d completion calls for a course with completion off; want 0", c.completion)
	}
}
