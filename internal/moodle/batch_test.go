package moodle_test

import (
	"encoding/json"
	"errors"
	"strconv"
	"testing"

	"github.com/knowthystudents/kts/internal/moodle"
	"github.com/knowthystudents/kts/internal/moodle/moodletest"
)

// batchUsers are five KTS101 students with recorded completion; a test makes some of their
// inner calls fail.
var batchUsers = []int{5, 14, 30, 31, 13}

// recordedStates are their completion states, from the single-call recordings.
var recordedStates = map[int]map[int64]int{
	5:  zoeStates,
	14: {2: 1, 3: 0, 4: 0, 6: 0, 7: 0, 8: 0, 9: 0, 10: 1},
	30: {2: 0, 3: 0, 4: 0, 6: 0, 7: 0, 8: 0, 9: 0, 10: 0},
	31: {2: 1, 3: 0, 4: 0, 6: 2, 7: 0, 8: 0, 9: 0, 10: 0},
}

// sentBatchUsers returns, per batch request the fake received, the userid of each inner call.
func sentBatchUsers(t *testing.T, srv *moodletest.Server) [][]int {
	t.Helper()
	var out [][]int
	for _, r := range srv.Requests() {
		var users []int
		for i := 0; ; i++ {
			args := r.Body.Get("requests[" + strconv.Itoa(i) + "][arguments]")
			if args == "" {
				break
			}
			var a struct{ UserID int }
			if err := json.Unmarshal([]byte(args), &a); err != nil {
				t.Fatal(err)
			}
			users = append(users, a.UserID)
		}
		out = append(out, users)
	}
	return out
}

// TestBatchReissuesAfterAFailure: Moodle stops a batch at the first failing inner call, so the
// client must send the rest again, and still return one result per request, in order.
func TestBatchReissuesAfterAFailure(t *testing.T) {
	t.Parallel()
	fx := moodletest.Recorded(t)
	tests := []struct {
		name     string
		failing  []int   // indices of inner calls that fail
		wantSent [][]int // userids of each HTTP request
	}{
		{"none fails", nil, [][]int{{5, 14, 30, 31, 13}}},
		{"2nd of 5 fails", []int{1}, [][]int{{5, 14, 30, 31, 13}, {30, 31, 13}}},
		{"2nd and 4th fail", []int{1, 3}, [][]int{{5, 14, 30, 31, 13}, {30, 31, 13}, {13}}},
		{"first fails", []int{0}, [][]int{{5, 14, 30, 31, 13}, {14, 30, 31, 13}}},
		{"last fails", []int{4}, [][]int{{5, 14, 30, 31, 13}}},
		{"all fail", []int{0, 1, 2, 3, 4}, [][]int{{5, 14, 30, 31, 13}, {14, 30, 31, 13}, {30, 31, 13}, {31, 13}, {13}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := moodletest.New(t, fx)
			srv.AddToken(secretToken, moodletest.KindTeacher)
			fails := map[int]bool{}
			for _, i := range tt.failing {
				fails[batchUsers[i]] = true
			}
			// Mei (13) has no single-call recording: she gets a registered reply, Zoë's.
			srv.Reply(completionFn, map[string]string{"courseid": "2", "userid": "13"}, fx.Body("core_completion_get_activities_completion_status.zoe.json"))
			for u := range fails {
				srv.Reply(completionFn, map[string]string{"courseid": "2", "userid": strconv.Itoa(u)},
					moodletest.Exception("invalidrecord", "Can't find data record in database table user."))
			}
			var reqs []moodle.BatchRequest
			for _, u := range batchUsers {
				reqs = append(reqs, moodle.BatchRequest{Function: completionFn, Args: completionArgs(2, u)})
			}

			res, err := newClient(t, srv.URL, moodle.Options{}).Batch(t.Context(), secretToken, reqs)
			ok(t, err)

			if len(res) != len(reqs) {
				t.Fatalf("%d results, want %d", len(res), len(reqs))
			}
			for i, u := range batchUsers {
				if fails[u] {
					wantErr(t, res[i].Err, moodle.ErrNotFound, "invalidrecord")
					checkNoLeak(t, res[i].Err)
					continue
				}
				want := recordedStates[u]
				if u == 13 {
					want = zoeStates
				}
				same(t, "states of user "+strconv.Itoa(u), want, statesOf(decodeCompletion(t, res[i])))
			}
			same(t, "userids per HTTP request", tt.wantSent, sentBatchUsers(t, srv))
			same(t, "HTTP requests", []int{len(tt.wantSent), len(tt.wantSent)}, []int{srv.TotalCalls(), srv.Calls(moodletest.BatchFunction)})
			ran := 0 // each request runs up to and including its first failing call
			for _, sent := range tt.wantSent {
				for _, u := range sent {
					ran++
					if fails[u] {
						break
					}
				}
			}
			same(t, "inner calls Moodle ran", ran, srv.BatchedCalls(completionFn))
		})
	}
}

// TestBatchFallsBackToSingleCalls: a service without the batch function answers the batch
// with accessexception; the client then makes one call per request, list arguments in
// bracket notation, and keeps going after an inner error.
func TestBatchFallsBackToSingleCalls(t *testing.T) {
	t.Parallel()
	fx := moodletest.Recorded(t)
	srv := moodletest.New(t, fx)
	srv.AddToken(secretToken, moodletest.KindTeacher)
	srv.Handle(moodletest.BatchFunction, func(moodletest.Call) []byte { return []byte(moodletest.AccessExceptionBody) })
	reqs := []moodle.BatchRequest{
		{Function: completionFn, Args: completionArgs(2, 5)},
		{Function: completionFn, Args: completionArgs(999999, 5)},
		{Function: completionFn, Args: completionArgs(2, 14)},
		{Function: "mod_assign_get_assignments", Args: map[string]any{"courseids": []int64{2}}},
	}
	srv.Reply(completionFn, map[string]string{"courseid": "999999", "userid": "5"},
		moodletest.Exception("invalidrecord", "Can't find data record in database table course."))

	res, err := newClient(t, srv.URL, moodle.Options{}).Batch(t.Context(), secretToken, reqs)
	ok(t, err)

	same(t, "calls", map[string]int{"batch": 1, "completion": 3, "assignments": 1, "total": 5}, map[string]int{
		"batch":       srv.Calls(moodletest.BatchFunction),
		"completion":  srv.Calls(completionFn),
		"assignments": srv.Calls("mod_assign_get_assignments"),
		"total":       srv.TotalCalls(),
	})
	same(t, "Zoë", zoeStates, statesOf(decodeCompletion(t, res[0])))
	wantErr(t, res[1].Err, moodle.ErrNotFound, "invalidrecord")
	same(t, "Oliver", recordedStates[14], statesOf(decodeCompletion(t, res[2])))
	var a moodle.AssignmentsReply
	ok(t, res[3].Decode("mod_assign_get_assignments", &a))
	same(t, "assignments", allAssignments, mapf(a.All(), func(a moodle.Assignment) int64 { return a.ID }))
	if m := srv.Misses(); len(m) > 0 {
		t.Errorf("single calls the fake could not answer: %+v", m)
	}
}

// TestBatchWholeFailures: errors of the batch call itself are returned as such.
func TestBatchWholeFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		token string
		reply string
		want  error
	}{
		{"invalid token", "tok-SECRET-7f3a9c-unknown", "", moodle.ErrInvalidToken},
		{"no responses at all", secretToken, `{"responses": []}`, moodle.ErrNotJSON},
		{"not the batch shape", secretToken, `[1, 2]`, moodle.ErrNotJSON},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := moodletest.New(t, nil)
			srv.AddToken(secretToken, moodletest.KindTeacher)
			if tt.reply != "" {
				srv.Handle(moodletest.BatchFunction, func(moodletest.Call) []byte { return []byte(tt.reply) })
			}
			_, err := newClient(t, srv.URL, moodle.Options{}).Batch(t.Context(), tt.token, []moodle.BatchRequest{
				{Function: completionFn, Args: completionArgs(2, 5)},
			})
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			checkNoLeak(t, err)
			same(t, "HTTP requests", 1, srv.TotalCalls())
		})
	}
}
