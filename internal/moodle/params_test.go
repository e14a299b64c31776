package moodle_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/knowthystudents/kts/internal/moodle"
)

// phpListOrder returns the indices of name[...] in the order PHP builds the array from a form
// body: the order in which each index first appears, whatever its value.
func phpListOrder(body, name string) []int {
	var order []int
	seen := map[int]bool{}
	for _, pair := range strings.Split(body, "&") {
		k, _, _ := strings.Cut(pair, "=")
		k, _ = url.QueryUnescape(k)
		rest, ok := strings.CutPrefix(k, name+"[")
		if !ok {
			continue
		}
		idx, _, _ := strings.Cut(rest, "]")
		i, err := strconv.Atoi(idx)
		if err != nil || seen[i] {
			continue
		}
		seen[i] = true
		order = append(order, i)
	}
	return order
}

func seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// TestParamsEncodeListsInIndexOrder: PHP reads list items in the order they appear in the
// body, so every list must stand in index order, also past the tenth item, where string order
// ("10" < "2") would differ.
func TestParamsEncodeListsInIndexOrder(t *testing.T) {
	t.Parallel()
	ids := make([]int64, 25)
	for i := range ids {
		ids[i] = int64(100 + i)
	}
	p := moodle.Params{}.IntList("userids", ids).Set("courseid", "2")
	for i := range 49 {
		p.Item("requests", i, "function", "f").Item("requests", i, "arguments", "{}")
	}
	body := p.Encode()
	if diff := cmp.Diff(seq(25), phpListOrder(body, "userids")); diff != "" {
		t.Errorf("userids order (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(seq(49), phpListOrder(body, "requests")); diff != "" {
		t.Errorf("requests order (-want +got):\n%s", diff)
	}
	// The body carries exactly the same fields as url.Values would.
	got, err := url.ParseQuery(body)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(url.Values(p), got); diff != "" {
		t.Errorf("decoded body (-want +got):\n%s", diff)
	}
	// The sorted encoding this replaces does get the order wrong: the test above can fail.
	if slicesEqual(seq(49), phpListOrder(url.Values(p).Encode(), "requests")) {
		t.Error("url.Values.Encode kept index order; the test would not catch the bug")
	}
}

func slicesEqual(a, b []int) bool { return fmt.Sprint(a) == fmt.Sprint(b) }

// TestBatchBodyInIndexOrder: a completion batch of 49 inner calls reaches Moodle with its
// requests in index order, as tool_mobile_call_external_functions answers them.
func TestBatchBodyInIndexOrder(t *testing.T) {
	t.Parallel()
	bodies := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies <- string(b)
		order := phpListOrder(string(b), "requests")
		var reply struct {
			Responses []map[string]any `json:"responses"`
		}
		for _, i := range order { // answer in PHP's order, as Moodle does
			reply.Responses = append(reply.Responses, map[string]any{"error": false, "data": strconv.Itoa(i)})
		}
		json.NewEncoder(w).Encode(reply)
	}))
	defer srv.Close()
	c, err := moodle.New(srv.URL, moodle.Options{HTTPClient: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	reqs := make([]moodle.BatchRequest, 49)
	for i := range reqs {
		reqs[i] = moodle.BatchRequest{Function: "core_completion_get_activities_completion_status",
			Args: map[string]any{"courseid": 2, "userid": i}}
	}
	res, err := c.Batch(context.Background(), "tok", reqs)
	if err != nil {
		t.Fatal(err)
	}
	<-bodies
	for i, r := range res {
		var got int
		if err := r.Decode("f", &got); err != nil {
			t.Fatalf("result %d: %v", i, err)
		}
		if got != i {
			t.Errorf("result %d holds the reply to request %d", i, got)
		}
	}
}
