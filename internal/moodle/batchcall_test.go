package moodle_test

import (
	"testing"

	"github.com/knowthystudents/kts/internal/moodle"
	"github.com/knowthystudents/kts/internal/moodle/moodletest"
)

// TestRunBatchGivesEachCallItsOwnReply: batch responses carry nothing that names their
// request, so they are matched by position; with 60 inner calls (the 11th on is where a
// sorted body went wrong, issue 14) and one failing in the middle (re-issued), every typed
// call must get the reply meant for it, from a fake that reads the body as PHP does.
func TestRunBatchGivesEachCallItsOwnReply(t *testing.T) {
	t.Parallel()
	srv := moodletest.New(t, nil)
	srv.AddToken(secretToken, "test-service teacher")
	srv.Handle(moodle.FuncActivitiesCompletion, func(c moodletest.Call) []byte {
		if c.Params["userid"] == "117" {
			return moodletest.Exception("nopermissions", "Sorry, but you do not currently have permissions to do that.")
		}
		// cmid carries the user id, so that the reply says whose it is.
		return []byte(`{"statuses":[{"cmid":` + c.Params["userid"] + `,"state":1}],"warnings":[]}`)
	})
	srv.Handle(moodle.FuncCourseCompletion, func(c moodletest.Call) []byte {
		done := c.Params["userid"] == "110" || c.Params["userid"] == "131"
		return moodletest.JSON(map[string]any{"completionstatus": map[string]any{"completed": done, "aggregation": 1}})
	})
	var acts []*moodle.BatchCall[moodle.ActivitiesCompletion]
	var courses []*moodle.BatchCall[moodle.CourseCompletion]
	var calls []moodle.BatchItem
	for u := int64(100); u < 130+2; u++ {
		a, c := moodle.ActivitiesCompletionCall(2, u), moodle.CourseCompletionCall(2, u)
		acts, courses, calls = append(acts, a), append(courses, c), append(calls, a, c)
	}
	if err := newClient(t, srv.URL, moodle.Options{}).RunBatch(t.Context(), secretToken, calls...); err != nil {
		t.Fatal(err)
	}
	for i, a := range acts {
		u := 100 + i
		if u == 117 {
			if a.Err == nil {
				t.Errorf("user 117: no error, want nopermissions")
			}
			continue
		}
		if a.Err != nil || len(a.Reply.Statuses) != 1 || a.Reply.Statuses[0].CMID != int64(u) {
			t.Errorf("user %d: activity completion %+v, %v; want their own (cmid %d)", u, a.Reply, a.Err, u)
		}
		want := u == 110 || u == 131
		if c := courses[i]; c.Err != nil || c.Reply.CompletionStatus.Completed != want {
			t.Errorf("user %d: course completed %v, %v; want %v", u, c.Reply.CompletionStatus.Completed, c.Err, want)
		}
	}
	if got := srv.Calls(moodletest.BatchFunction); got != 2 {
		t.Errorf("%d batch requests, want 2 (the calls after the failing one re-issued once)", got)
	}
	if r := acts[0].Request(); r.Function != moodle.FuncActivitiesCompletion || r.Args["userid"] != int64(100) {
		t.Errorf("Request() = %+v", r)
	}
}
