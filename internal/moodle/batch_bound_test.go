package moodle_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/knowthystudents/kts/internal/moodle"
	"github.com/knowthystudents/kts/internal/moodle/moodletest"
)

// TestBatchReissuesAreBounded: when every inner call fails (completion switched off in the
// course), the client does not send one request per call.
func TestBatchReissuesAreBounded(t *testing.T) {
	t.Parallel()
	srv := moodletest.New(t, nil)
	srv.AddToken("tok-bound", moodletest.KindTeacher)
	srv.Handle("core_completion_get_activities_completion_status", func(moodletest.Call) []byte {
		return []byte(`{"exception":"moodle_exception","errorcode":"completionnotenabled","message":"Completion is not enabled"}`)
	})
	c, err := moodle.New(srv.URL, moodle.Options{})
	if err != nil {
		t.Fatal(err)
	}
	reqs := make([]moodle.BatchRequest, 50)
	for i := range reqs {
		reqs[i] = moodle.BatchRequest{Function: "core_completion_get_activities_completion_status", Args: map[string]any{"courseid": 2, "userid": i + 1}}
	}
	res, err := c.Batch(t.Context(), "tok-bound", reqs)
	if err != nil {
		t.Fatal(err)
	}
	if n := srv.Calls("tool_mobile_call_external_functions"); n > 10 {
		t.Fatalf("%d batch requests for 50 failing calls; want at most 10", n)
	}
	var notRun *moodle.NotRunError
	for i, r := range res {
		if r.Err == nil {
			t.Fatalf("call %d succeeded", i)
		}
		if i >= 10 && !errors.As(r.Err, &notRun) {
			t.Errorf("call %d: %v; want not run", i, r.Err)
		}
	}
	if !strings.Contains(res[0].Err.Error(), "completionnotenabled") {
		t.Errorf("first error %v; want Moodle's", res[0].Err)
	}
}
