package moodletest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/knowthystudents/kts/internal/moodle/moodletest"
)

const (
	activitiesFn = "core_completion_get_activities_completion_status"
	courseFn     = "core_completion_get_course_completion_status"
)

// innerCall is one inner call of a batch the tests build by hand.
type innerCall struct {
	fn     string
	userID int
}

// completionCalls is what the loader asks for 25 students, the last one suspended: activity
// completion for each, course completion for the active ones; 49 inner calls.
func completionCalls(firstUser int) []innerCall {
	var calls []innerCall
	for u := firstUser; u < firstUser+25; u++ {
		calls = append(calls, innerCall{activitiesFn, u})
		if u != firstUser+24 {
			calls = append(calls, innerCall{courseFn, u})
		}
	}
	return calls
}

// batchForm is the batch's form fields, and both bodies: sorted as url.Values.Encode sorts
// them (what the client sent before issue 14), and in index order.
func batchForm(token string, calls []innerCall) (sorted, indexOrder string) {
	form := url.Values{"wstoken": {token}, "wsfunction": {moodletest.BatchFunction}, "moodlewsrestformat": {"json"}}
	var b strings.Builder
	b.WriteString(form.Encode())
	for i, c := range calls {
		n := strconv.Itoa(i)
		args := fmt.Sprintf(`{"courseid":2,"userid":%d}`, c.userID)
		form.Set("requests["+n+"][function]", c.fn)
		form.Set("requests["+n+"][arguments]", args)
		form.Set("requests["+n+"][settingfilter]", "0")
		fmt.Fprintf(&b, "&%s=%s&%s=%s&%s=0", url.QueryEscape("requests["+n+"][function]"), c.fn,
			url.QueryEscape("requests["+n+"][arguments]"), url.QueryEscape(args), url.QueryEscape("requests["+n+"][settingfilter]"))
	}
	return form.Encode(), b.String()
}

// firstAppearance lists the request indices in the order their first field appears in body:
// the order PHP builds the requests array in, found here without the fakes' parser.
func firstAppearance(body string, n int) []int {
	type at struct{ i, pos int }
	var order []at
	for i := range n {
		order = append(order, at{i, strings.Index(body, url.QueryEscape("requests["+strconv.Itoa(i)+"]["))})
	}
	for a := range order { // insertion sort by position: n is small
		for b := a; b > 0 && order[b].pos < order[b-1].pos; b-- {
			order[b], order[b-1] = order[b-1], order[b]
		}
	}
	out := make([]int, n)
	for k, o := range order {
		out[k] = o.i
	}
	return out
}

// batchResponses decodes a batch reply into its responses' data.
func batchResponses(t *testing.T, body []byte) []string {
	t.Helper()
	var reply struct {
		Responses []struct {
			Error bool   `json:"error"`
			Data  string `json:"data"`
		} `json:"responses"`
	}
	if err := json.Unmarshal(body, &reply); err != nil {
		t.Fatalf("batch reply: %v: %s", err, body)
	}
	out := make([]string, len(reply.Responses))
	for i, r := range reply.Responses {
		if r.Error {
			t.Fatalf("response %d is an error: %s", i, body)
		}
		out[i] = r.Data
	}
	return out
}

// TestBatchAnswersInPHPOrder: a batch of 49 inner calls is answered in the order PHP builds
// the requests array, the order of first appearance in the body. Sent with its keys sorted
// (requests[0], requests[10], ..., requests[19], requests[1], requests[20], ...), response 1
// belongs to requests[10]: a client matching by position gives students each other's data.
func TestBatchAnswersInPHPOrder(t *testing.T) {
	t.Parallel()
	srv := moodletest.New(t, nil)
	srv.AddToken(teacherToken, "test-service teacher")
	for _, fn := range []string{activitiesFn, courseFn} {
		srv.Handle(fn, func(c moodletest.Call) []byte {
			return moodletest.JSON(map[string]string{"function": fn, "userid": c.Params["userid"]})
		})
	}
	calls := completionCalls(100)
	sorted, indexOrder := batchForm(teacherToken, calls)
	for _, tt := range []struct {
		name      string
		body      string
		misplaced bool // some response stands where another request was
	}{
		{"sorted like url.Values.Encode", sorted, true},
		{"index order", indexOrder, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			status, body := postRaw(t, srv.URL+moodletest.RESTPath, tt.body)
			if status != 200 {
				t.Fatalf("HTTP %d", status)
			}
			got := batchResponses(t, body)
			if len(got) != len(calls) {
				t.Fatalf("%d responses, want %d", len(got), len(calls))
			}
			misplaced := 0
			for k, i := range firstAppearance(tt.body, len(calls)) {
				want := string(moodletest.JSON(map[string]string{"function": calls[i].fn, "userid": strconv.Itoa(calls[i].userID)}))
				if got[k] != want {
					t.Errorf("response %d = %s, want requests[%d]'s %s", k, got[k], i, want)
				}
				if i != k {
					misplaced++
				}
			}
			if tt.misplaced != (misplaced > 0) {
				t.Errorf("%d responses stand where another request is in index order; want some: %v", misplaced, tt.misplaced)
			}
			if tt.misplaced && !strings.Contains(got[1], `"userid":"105"`) { // requests[10] is user 105's activities
				t.Errorf("response 1 = %s, want requests[10]'s (user 105)", got[1])
			}
		})
	}
}

// postRaw sends body as a form, byte for byte.
func postRaw(t *testing.T, u, body string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}
