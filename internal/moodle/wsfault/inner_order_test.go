package wsfault_test

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
	"github.com/knowthystudents/kts/internal/moodle/wsfault"
)

// TestInnerFaultFollowsPHPOrder: in a batch sent with its keys sorted (requests[0],
// requests[10], ..., requests[1], ...), Inner breaks the call of the user it names, where PHP
// puts it, and the batch stops there as Moodle's does: the responses before it are the calls
// PHP ran first, each its own.
func TestInnerFaultFollowsPHPOrder(t *testing.T) {
	t.Parallel()
	const fn = "core_completion_get_activities_completion_status"
	srv := moodletest.New(t, nil)
	srv.AddToken("tok", "test-service teacher")
	srv.Handle(fn, func(c moodletest.Call) []byte {
		return moodletest.JSON(map[string]string{"userid": c.Params["userid"]})
	})
	srv.Inject(wsfault.Inner(fn, 112, "nopermissions", "Sorry"))

	form := url.Values{"wstoken": {"tok"}, "wsfunction": {moodletest.BatchFunction}, "moodlewsrestformat": {"json"}}
	for i := range 20 {
		form.Set(fmt.Sprintf("requests[%d][function]", i), fn)
		form.Set(fmt.Sprintf("requests[%d][arguments]", i), fmt.Sprintf(`{"courseid":2,"userid":%d}`, 100+i))
	}
	resp, err := http.Post(srv.URL+moodletest.RESTPath, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var reply struct {
		Responses []struct {
			Error     bool   `json:"error"`
			Data      string `json:"data"`
			Exception string `json:"exception"`
		} `json:"responses"`
	}
	if err := json.Unmarshal(body, &reply); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	// PHP's order of the sorted body: 0, 10, 11, 12 (user 112, broken), ...
	phpOrder := []int{0, 10, 11, 12}
	if len(reply.Responses) != len(phpOrder) {
		t.Fatalf("%d responses, want %d (the batch stops at user 112's call, 4th in PHP's order): %s", len(reply.Responses), len(phpOrder), body)
	}
	for k, i := range phpOrder[:3] {
		want := `{"userid":"` + strconv.Itoa(100+i) + `"}`
		if r := reply.Responses[k]; r.Error || r.Data != want {
			t.Errorf("response %d = %+v, want %s", k, r, want)
		}
	}
	if last := reply.Responses[3]; !last.Error || !strings.Contains(last.Exception, `"errorcode":"nopermissions"`) {
		t.Errorf("last response = %+v, want the injected nopermissions", last)
	}
}
