package demo_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/knowthystudents/kts/internal/demo"
)

const (
	activitiesFn = "core_completion_get_activities_completion_status"
	courseFn     = "core_completion_get_course_completion_status"
)

type innerCall struct {
	fn     string
	userID int
}

// batchBodies builds a batch of calls, sorted as url.Values.Encode sorts it (what the client
// sent before issue 14) and in index order.
func batchBodies(token string, calls []innerCall) (sorted, indexOrder string) {
	form := url.Values{"wstoken": {token}, "wsfunction": {"tool_mobile_call_external_functions"}, "moodlewsrestformat": {"json"}}
	var b strings.Builder
	b.WriteString(form.Encode())
	for i, c := range calls {
		n := strconv.Itoa(i)
		args := fmt.Sprintf(`{"courseid":%d,"userid":%d}`, demo.KTS101CourseID, c.userID)
		form.Set("requests["+n+"][function]", c.fn)
		form.Set("requests["+n+"][arguments]", args)
		form.Set("requests["+n+"][settingfilter]", "0")
		fmt.Fprintf(&b, "&%s=%s&%s=%s&%s=0", url.QueryEscape("requests["+n+"][function]"), c.fn,
			url.QueryEscape("requests["+n+"][arguments]"), url.QueryEscape(args), url.QueryEscape("requests["+n+"][settingfilter]"))
	}
	return form.Encode(), b.String()
}

// firstAppearance lists the request indices in the order their first field appears in body:
// the order PHP builds the requests array in, found without the demo's parser.
func firstAppearance(body string, n int) []int {
	pos := make([]int, n)
	out := make([]int, n)
	for i := range n {
		pos[i] = strings.Index(body, url.QueryEscape("requests["+strconv.Itoa(i)+"]["))
		out[i] = i
	}
	for a := range out { // insertion sort by position
		for b := a; b > 0 && pos[out[b]] < pos[out[b-1]]; b-- {
			out[b], out[b-1] = out[b-1], out[b]
		}
	}
	return out
}

// TestBatchAnswersInPHPOrder: the demo answers a batch of 49 inner calls (25 students'
// completion) in the order PHP builds the requests array. Each response must be the reply the
// same call gets on its own; sent with its keys sorted, responses come back out of index
// order, so a client matching by position would give students each other's completion.
func TestBatchAnswersInPHPOrder(t *testing.T) {
	t.Parallel()
	s := newServer(t, demo.Options{})
	c := s.as(t, "kts.teacher")
	var calls []innerCall
	own := map[innerCall]string{} // each call's reply on its own
	for u := 5; u < 30; u++ {
		calls = append(calls, innerCall{activitiesFn, u})
		if u != 29 { // as for a suspended student: no course completion
			calls = append(calls, innerCall{courseFn, u})
		}
	}
	for _, call := range calls {
		body := c.raw(call.fn, "courseid", strconv.Itoa(demo.KTS101CourseID), "userid", strconv.Itoa(call.userID))
		if code := errorCode(body); code != "" {
			t.Fatalf("%s for user %d: %s", call.fn, call.userID, body)
		}
		own[call] = string(body)
	}
	sorted, indexOrder := batchBodies(c.token, calls)
	for _, tt := range []struct {
		name      string
		body      string
		misplaced bool
	}{
		{"sorted like url.Values.Encode", sorted, true},
		{"index order", indexOrder, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := http.Post(s.url+"/webservice/rest/server.php", "application/x-www-form-urlencoded", strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			raw, _ := io.ReadAll(resp.Body)
			var reply struct {
				Responses []struct {
					Error bool   `json:"error"`
					Data  string `json:"data"`
				} `json:"responses"`
			}
			if err := json.Unmarshal(raw, &reply); err != nil || len(reply.Responses) != len(calls) {
				t.Fatalf("want %d responses: %v: %.300s", len(calls), err, raw)
			}
			wrongByPosition := 0
			for k, i := range firstAppearance(tt.body, len(calls)) {
				r := reply.Responses[k]
				if r.Error || r.Data != own[calls[i]] {
					t.Errorf("response %d = %.120s, want requests[%d]'s (%s of user %d)", k, r.Data, i, calls[i].fn, calls[i].userID)
				}
				if r.Data != own[calls[k]] {
					wrongByPosition++
				}
			}
			if tt.misplaced != (wrongByPosition > 0) {
				t.Errorf("%d responses differ from what a client matching by position expects; want some: %v", wrongByPosition, tt.misplaced)
			}
		})
	}
}
