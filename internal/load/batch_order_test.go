package load_test

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"testing"

	"github.com/knowthystudents/kts/internal/demo"
	"github.com/knowthystudents/kts/internal/moodle"
	"golang.org/x/sync/errgroup"
)

// sortedBody re-encodes every form body with url.Values.Encode, whose keys are sorted as
// strings (requests[10] before requests[2]): what the client sent before issue 14.
type sortedBody struct{}

func (sortedBody) RoundTrip(r *http.Request) (*http.Response, error) {
	b, err := io.ReadAll(r.Body)
	r.Body.Close()
	if err != nil {
		return nil, err
	}
	form, err := url.ParseQuery(string(b))
	if err != nil {
		return nil, err
	}
	enc := form.Encode()
	r = r.Clone(r.Context())
	r.Body, r.ContentLength, r.GetBody = io.NopCloser(bytes.NewReader([]byte(enc))), int64(len(enc)), nil
	return http.DefaultTransport.RoundTrip(r)
}

// own is what Moodle answers for one student asked alone.
type own struct {
	activities *moodle.ActivitiesCompletion
	course     *moodle.CourseCompletion // nil: Moodle refused (a suspended enrolment)
}

// ownCompletion asks the demo for each student's completion, one call per student and
// function: no batch, nothing to mismatch.
func ownCompletion(t *testing.T, h *harness, courseID int64, ids []int64) map[int64]own {
	t.Helper()
	mc, err := moodle.New(h.url, moodle.Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]own, len(ids))
	var g errgroup.Group
	g.SetLimit(4)
	for i, id := range ids {
		g.Go(func() error {
			a, err := mc.ActivitiesCompletion(t.Context(), h.who.Token, courseID, id)
			if err != nil {
				return err
			}
			c, _ := mc.CourseCompletion(t.Context(), h.who.Token, courseID, id)
			out[i] = own{a, c}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	m := make(map[int64]own, len(ids))
	for i, id := range ids {
		m[id] = out[i]
	}
	return m
}

// TestEveryStudentGetsTheirOwnCompletion loads a course of 80 students through the real client
// (moodle.Client.Batch, 25 students or up to 49 inner calls a batch) and the demo Moodle, and checks
// every student's activity and course completion against what Moodle answers for that student
// alone. With the body in the client's order each is the student's own. With the keys sorted
// as url.Values.Encode sorts them (the client before issue 14), the demo answers in PHP's
// order, the 11th inner call on of each batch lands on another student, and the test must see
// it: on a live Moodle that was 220 of the 1,496 cohort cells of a 30-student course.
func TestEveryStudentGetsTheirOwnCompletion(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name      string
		transport http.RoundTripper
		wantWrong bool
	}{
		{"the client's encoding", nil, false},
		{"sorted like url.Values.Encode", sortedBody{}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, func(o *harnessOptions) { o.transport, o.big = tt.transport, 80 })
			v := h.course(demo.BigCourseID)
			ids := students(v)
			if len(ids) < 60 {
				t.Fatalf("%d students; the test needs batches of more than 10 calls for 60+", len(ids))
			}
			truth := ownCompletion(t, h, demo.BigCourseID, ids)
			wrong, courses := 0, 0
			for _, id := range ids {
				want := truth[id]
				got := v.Input.Completion[id]
				if got == nil || !reflect.DeepEqual(*got, *want.activities) {
					wrong++
					if !tt.wantWrong && wrong <= 5 {
						t.Errorf("student %d: activity completion is not their own", id)
					}
				}
				if cc, ok := v.Input.CourseCompletion[id]; ok {
					courses++
					if want.course == nil || !reflect.DeepEqual(*cc, *want.course) {
						wrong++
						if !tt.wantWrong && wrong <= 5 {
							t.Errorf("student %d: course completion is not their own", id)
						}
					}
				}
			}
			if !tt.wantWrong && courses < len(ids)*9/10 {
				t.Errorf("course completion for %d of %d students; want every active one", courses, len(ids))
			}
			switch {
			case tt.wantWrong && wrong == 0:
				t.Errorf("with the sorted encoding every student got their own completion: the fake does not read forms as PHP does")
			case !tt.wantWrong && wrong > 0:
				t.Errorf("%d completion values of %d students are another student's", wrong, len(ids))
			}
			t.Logf("%d students, %d completion values not their own", len(ids), wrong)
		})
	}
}
