package moodletest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/knowthystudents/kts/internal/moodle/moodletest"
)

const teacherToken = "tok-teacher-0001"

// post sends a form the way the client does and returns the status and body.
func post(t *testing.T, base, path string, form url.Values) (int, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, base+path, strings.NewReader(form.Encode()))
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

// rest calls fn with params and token and returns the body.
func rest(t *testing.T, s *moodletest.Server, token, fn string, params map[string]string) []byte {
	t.Helper()
	form := url.Values{"wstoken": {token}, "wsfunction": {fn}, "moodlewsrestformat": {"json"}}
	for k, v := range params {
		form.Set(k, v)
	}
	status, body := post(t, s.URL, moodletest.RESTPath, form)
	if status != http.StatusOK {
		t.Fatalf("%s: HTTP %d", fn, status)
	}
	return body
}

func errorCode(body []byte) string {
	var e struct {
		ErrorCode string `json:"errorcode"`
	}
	json.Unmarshal(body, &e)
	return e.ErrorCode
}

func TestBodiesAreTheRecordedOnes(t *testing.T) {
	t.Parallel()
	fx := moodletest.Recorded(t)
	tests := []struct {
		file string
		body string
	}{
		{"core_webservice_get_site_info.invalid-token.json", moodletest.InvalidTokenBody},
		{"kts_no_such_function.unknown-function.json", moodletest.InvalidRecordBody},
		{"core_enrol_get_enrolled_users.missing-param.json", moodletest.InvalidParameterBody},
		{"core_course_search_courses.not-in-service.json", moodletest.AccessExceptionBody},
		{"login-token.wrong-password.json", moodletest.InvalidLoginBody},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(string(fx.Body(tt.file)), tt.body); diff != "" {
				t.Errorf("body differs from the fixture (-want +got):\n%s", diff)
			}
		})
	}
}

func TestResolution(t *testing.T) {
	t.Parallel()
	fx := moodletest.Recorded(t)
	roster := map[string]string{"courseid": "2"}
	tests := []struct {
		name   string
		kind   string // "" leaves the token unregistered
		fn     string
		params map[string]string
		want   string // fixture file whose body is expected, or an error code
	}{
		{"teacher gets the teacher's roster", moodletest.KindTeacher, "core_enrol_get_enrolled_users", roster, "core_enrol_get_enrolled_users.kts101.json"},
		{"student gets her own group", moodletest.KindStudent, "core_enrol_get_enrolled_users", roster, "core_enrol_get_enrolled_users.student.json"},
		{"tutor gets Group A", moodletest.KindTutor, "core_enrol_get_enrolled_users", roster, "core_enrol_get_enrolled_users.kts101-tutor.json"},
		{"mobile teacher falls back to the custom-service teacher", moodletest.KindMobileTeacher, "core_enrol_get_enrolled_users", roster, "core_enrol_get_enrolled_users.kts101.json"},
		{"mobile teacher has its own recording", moodletest.KindMobileTeacher, "core_completion_get_activities_completion_status", map[string]string{"courseid": "2", "userid": "5"}, "core_completion_get_activities_completion_status.zoe-mobile.json"},
		{"mobile student does not get the teacher's", moodletest.KindMobileStudent, "core_enrol_get_enrolled_users", roster, "core_enrol_get_enrolled_users.student.json"},
		{"unknown token", "", "core_enrol_get_enrolled_users", roster, "invalidtoken"},
		{"unknown function", moodletest.KindTeacher, "kts_nope", nil, "invalidrecord"},
		{"function outside the custom service", moodletest.KindTeacher, "core_message_get_conversation_counts", map[string]string{"userid": "3"}, "accessexception"},
		{"mobile teacher may send what the custom service may not", moodletest.KindMobileTeacher, "core_message_get_conversation_counts", map[string]string{"userid": "3"}, "core_message_get_conversation_counts.teacher.json"},
		{"no fallback to another token's access exception", moodletest.KindMobileTeacher, "core_course_search_courses", map[string]string{"criterianame": "search", "criteriavalue": "KTS"}, "invalidparameter"},
		{"unrecorded parameters", moodletest.KindTeacher, "core_enrol_get_enrolled_users", map[string]string{"courseid": "77"}, "invalidparameter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := moodletest.New(t, fx)
			tok := "tok-" + strings.ReplaceAll(tt.name, " ", "-")
			if tt.kind != "" {
				s.AddToken(tok, tt.kind)
			}
			got := rest(t, s, tok, tt.fn, tt.params)
			if strings.HasSuffix(tt.want, ".json") {
				if !bytes.Equal(got, fx.Body(tt.want)) {
					t.Errorf("got %.120s..., want the body of %s", got, tt.want)
				}
				return
			}
			if code := errorCode(got); code != tt.want {
				t.Errorf("errorcode = %q, want %q (body %.200s)", code, tt.want, got)
			}
		})
	}
}

func TestMissesAreListed(t *testing.T) {
	t.Parallel()
	s := moodletest.New(t, moodletest.Recorded(t))
	s.AddToken(teacherToken, moodletest.KindTeacher)
	rest(t, s, teacherToken, "core_enrol_get_enrolled_users", map[string]string{"courseid": "2"})
	rest(t, s, teacherToken, "core_enrol_get_enrolled_users", map[string]string{"courseid": "77"})
	want := []moodletest.Call{{Function: "core_enrol_get_enrolled_users", Params: map[string]string{"courseid": "77"}, Token: teacherToken, Kind: moodletest.KindTeacher}}
	if diff := cmp.Diff(want, s.Misses()); diff != "" {
		t.Errorf("Misses() (-want +got):\n%s", diff)
	}
}

func TestNotJSONFormat(t *testing.T) {
	t.Parallel()
	s := moodletest.New(t, moodletest.Recorded(t))
	s.AddToken(teacherToken, moodletest.KindTeacher)
	_, body := post(t, s.URL, moodletest.RESTPath, url.Values{"wstoken": {teacherToken}, "wsfunction": {"core_webservice_get_site_info"}})
	if !bytes.HasPrefix(body, []byte("<?xml")) {
		t.Errorf("without moodlewsrestformat=json got %.80s, want XML", body)
	}
}

func TestRegisteredRepliesWinOverRecordings(t *testing.T) {
	t.Parallel()
	s := moodletest.New(t, moodletest.Recorded(t))
	s.AddToken(teacherToken, moodletest.KindTeacher)
	s.Reply("core_enrol_get_enrolled_users", map[string]string{"courseid": "2"}, []byte(`[]`))
	var seen []moodletest.Call
	var mu sync.Mutex
	s.Handle("core_group_get_course_groups", func(c moodletest.Call) []byte {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, c)
		return moodletest.Exception("nopermissions", "no")
	})
	if got := rest(t, s, teacherToken, "core_enrol_get_enrolled_users", map[string]string{"courseid": "2"}); string(got) != "[]" {
		t.Errorf("Reply: got %.80s, want []", got)
	}
	if got := rest(t, s, teacherToken, "core_group_get_course_groups", map[string]string{"courseid": "2"}); errorCode(got) != "nopermissions" {
		t.Errorf("Handle: got %.80s, want nopermissions", got)
	}
	want := []moodletest.Call{{Function: "core_group_get_course_groups", Params: map[string]string{"courseid": "2"}, Token: teacherToken, Kind: moodletest.KindTeacher}}
	if diff := cmp.Diff(want, seen); diff != "" {
		t.Errorf("handler calls (-want +got):\n%s", diff)
	}
}

func TestCountersAndRequests(t *testing.T) {
	t.Parallel()
	s := moodletest.New(t, moodletest.Recorded(t))
	s.AddToken(teacherToken, moodletest.KindTeacher)
	rest(t, s, teacherToken, "core_webservice_get_site_info", nil)
	rest(t, s, teacherToken, "core_enrol_get_enrolled_users", map[string]string{"courseid": "2"})
	rest(t, s, teacherToken, "core_enrol_get_enrolled_users", map[string]string{"courseid": "2"})
	post(t, s.URL, moodletest.TokenPath, url.Values{"username": {"x"}, "password": {"y"}, "service": {"moodle_mobile_app"}})
	got := map[string]int{
		"site":   s.Calls("core_webservice_get_site_info"),
		"roster": s.Calls("core_enrol_get_enrolled_users"),
		"login":  s.Calls(moodletest.LoginFunction),
		"total":  s.TotalCalls(),
	}
	if diff := cmp.Diff(map[string]int{"site": 1, "roster": 2, "login": 1, "total": 4}, got); diff != "" {
		t.Errorf("counters (-want +got):\n%s", diff)
	}
	reqs := s.Requests()
	if len(reqs) != 4 || reqs[1].Token != teacherToken || reqs[1].Body.Get("courseid") != "2" || reqs[1].RawQuery != "" {
		t.Errorf("Requests()[1] = %+v", reqs[1])
	}
	s.Reset()
	if s.TotalCalls() != 0 || s.Calls("core_enrol_get_enrolled_users") != 0 || len(s.Requests()) != 0 {
		t.Errorf("after Reset: total %d, roster %d, %d requests", s.TotalCalls(), s.Calls("core_enrol_get_enrolled_users"), len(s.Requests()))
	}
}

func TestFaultSelectors(t *testing.T) {
	t.Parallel()
	s := moodletest.New(t, moodletest.Recorded(t))
	s.AddToken(teacherToken, moodletest.KindTeacher)
	s.Inject(moodletest.Status(503).OnFunction("core_enrol_get_enrolled_users").OnCall(2))
	call := func(fn string, p map[string]string) int {
		form := url.Values{"wstoken": {teacherToken}, "wsfunction": {fn}, "moodlewsrestformat": {"json"}}
		for k, v := range p {
			form.Set(k, v)
		}
		status, _ := post(t, s.URL, moodletest.RESTPath, form)
		return status
	}
	roster := map[string]string{"courseid": "2"}
	got := []int{
		call("core_enrol_get_enrolled_users", roster),
		call("core_webservice_get_site_info", nil),
		call("core_enrol_get_enrolled_users", roster),
		call("core_enrol_get_enrolled_users", roster),
	}
	if diff := cmp.Diff([]int{200, 200, 503, 200}, got); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
}

func TestFaultBodies(t *testing.T) {
	t.Parallel()
	fx := moodletest.Recorded(t)
	full := fx.Body("core_enrol_get_enrolled_users.kts101.json")
	tests := []struct {
		name       string
		fault      moodletest.Fault
		wantStatus int
		check      func(t *testing.T, body []byte)
	}{
		{"status", moodletest.Status(403), 403, func(t *testing.T, b []byte) {
			if len(b) != 0 {
				t.Errorf("body %q, want empty", b)
			}
		}},
		{"html", moodletest.HTML(), 200, func(t *testing.T, b []byte) {
			if !bytes.HasPrefix(b, []byte("<!DOCTYPE html>")) {
				t.Errorf("body %.40q, want an HTML page", b)
			}
		}},
		{"truncated", moodletest.Truncated(), 200, func(t *testing.T, b []byte) {
			if !bytes.Equal(b, full[:len(full)/2]) {
				t.Errorf("got %d bytes, want the first %d of the recording", len(b), len(full)/2)
			}
		}},
		{"large", moodletest.LargeBody(100_000), 200, func(t *testing.T, b []byte) {
			if len(b) != 100_000 || !json.Valid(b) {
				t.Errorf("got %d bytes (valid JSON %v), want 100000 of valid JSON", len(b), json.Valid(b))
			}
		}},
		{"delay", moodletest.Delay(20 * time.Millisecond), 200, func(t *testing.T, b []byte) {
			if !bytes.Equal(b, full) {
				t.Errorf("delayed body differs from the recording")
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := moodletest.New(t, fx)
			s.AddToken(teacherToken, moodletest.KindTeacher)
			s.Inject(tt.fault)
			form := url.Values{"wstoken": {teacherToken}, "wsfunction": {"core_enrol_get_enrolled_users"}, "moodlewsrestformat": {"json"}, "courseid": {"2"}}
			status, body := post(t, s.URL, moodletest.RESTPath, form)
			if status != tt.wantStatus {
				t.Errorf("status %d, want %d", status, tt.wantStatus)
			}
			tt.check(t, body)
		})
	}
}

func TestStallEndsWithTheServer(t *testing.T) {
	t.Parallel()
	s := moodletest.New(t, moodletest.Recorded(t))
	s.AddToken(teacherToken, moodletest.KindTeacher)
	s.Inject(moodletest.Stall())
	form := url.Values{"wstoken": {teacherToken}, "wsfunction": {"core_webservice_get_site_info"}, "moodlewsrestformat": {"json"}}
	resp, err := http.PostForm(s.URL+moodletest.RESTPath, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	done := make(chan error, 1)
	go func() { _, err := io.ReadAll(resp.Body); done <- err }()
	select {
	case err := <-done:
		t.Fatalf("stalled body ended by itself (err %v)", err)
	case <-time.After(50 * time.Millisecond):
	}
	s.Close()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("stalled body still open after Close")
	}
}

func TestRefuse(t *testing.T) {
	t.Parallel()
	s := moodletest.New(t, nil)
	s.Refuse()
	_, err := http.PostForm(s.URL+moodletest.RESTPath, url.Values{})
	if err == nil || !strings.Contains(err.Error(), "refused") {
		t.Errorf("after Refuse: err = %v, want connection refused", err)
	}
}

func TestDrop(t *testing.T) {
	t.Parallel()
	s := moodletest.New(t, nil)
	s.Inject(moodletest.Drop())
	if _, err := http.PostForm(s.URL+moodletest.RESTPath, url.Values{}); err == nil {
		t.Error("Drop: got a response, want a transport error")
	}
	if got := s.TotalCalls(); got != 1 {
		t.Errorf("TotalCalls() = %d, want 1", got)
	}
}

func TestLatency(t *testing.T) {
	t.Parallel()
	fx := moodletest.Recorded(t)
	const fn = "core_completion_get_activities_completion_status"
	tests := []struct {
		name                string
		perRequest, perItem time.Duration
		call                string
		params              map[string]string
		atLeast             time.Duration
	}{
		{"per request", 30 * time.Millisecond, 0, "core_webservice_get_site_info", nil, 30 * time.Millisecond},
		{"per item of a batch", 0, 20 * time.Millisecond, moodletest.BatchFunction, batchParams(
			[2]string{fn, `{"courseid":2,"userid":5}`}, [2]string{fn, `{"courseid":2,"userid":14}`}, [2]string{fn, `{"courseid":2,"userid":30}`}),
			60 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := moodletest.New(t, fx)
			s.AddToken(teacherToken, moodletest.KindTeacher)
			s.SetLatency(tt.perRequest, tt.perItem)
			start := time.Now()
			rest(t, s, teacherToken, tt.call, tt.params)
			if d := time.Since(start); d < tt.atLeast {
				t.Errorf("call took %v, want at least %v", d, tt.atLeast)
			}
		})
	}
}

// batchParams builds the form of a batch without settings, so that no recording matches it
// exactly and the fake runs it itself.
func batchParams(calls ...[2]string) map[string]string {
	p := map[string]string{}
	for i, c := range calls {
		n := "requests[" + string(rune('0'+i)) + "]"
		p[n+"[function]"] = c[0]
		p[n+"[arguments]"] = c[1]
	}
	return p
}

type batchReply struct {
	Responses []struct {
		Error     bool   `json:"error"`
		Data      string `json:"data"`
		Exception string `json:"exception"`
	} `json:"responses"`
}

func TestBatchRunsLikeTheRecording(t *testing.T) {
	t.Parallel()
	fx := moodletest.Recorded(t)
	s := moodletest.New(t, fx)
	s.AddToken(teacherToken, moodletest.KindTeacher)
	const fn = "core_completion_get_activities_completion_status"
	body := rest(t, s, teacherToken, moodletest.BatchFunction, batchParams(
		[2]string{fn, `{"courseid":2,"userid":5}`}, [2]string{fn, `{"courseid":2,"userid":14}`}, [2]string{fn, `{"courseid":2,"userid":30}`}))
	var got, want batchReply
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(fx.Body("tool_mobile_call_external_functions.completion-batch-3.json"), &want); err != nil {
		t.Fatal(err)
	}
	if len(got.Responses) != 3 {
		t.Fatalf("%d responses, want 3", len(got.Responses))
	}
	for i := range want.Responses {
		var g, w any
		if err := json.Unmarshal([]byte(got.Responses[i].Data), &g); err != nil {
			t.Fatalf("responses[%d].data: %v", i, err)
		}
		json.Unmarshal([]byte(want.Responses[i].Data), &w)
		if diff := cmp.Diff(w, g); diff != "" {
			t.Errorf("responses[%d].data (-recorded +emulated):\n%s", i, diff)
		}
	}
	if got := s.BatchedCalls(fn); got != 3 {
		t.Errorf("BatchedCalls = %d, want 3", got)
	}
}

func TestBatchStopsAtTheFirstFailure(t *testing.T) {
	t.Parallel()
	s := moodletest.New(t, moodletest.Recorded(t))
	s.AddToken(teacherToken, moodletest.KindTeacher)
	const fn = "core_completion_get_activities_completion_status"
	s.Reply(fn, map[string]string{"courseid": "999999", "userid": "5"}, moodletest.Exception("invalidrecord", "Can't find data record in database table course."))
	body := rest(t, s, teacherToken, moodletest.BatchFunction, batchParams(
		[2]string{fn, `{"courseid":2,"userid":5}`},
		[2]string{fn, `{"courseid":999999,"userid":5}`},
		[2]string{fn, `{"courseid":2,"userid":14}`},
		[2]string{"core_course_search_courses", `{"criterianame":"search","criteriavalue":"KTS"}`}))
	var got batchReply
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Responses) != 2 || got.Responses[0].Error || !got.Responses[1].Error {
		t.Fatalf("responses = %+v, want ok then one error", got.Responses)
	}
	var inner map[string]string
	if err := json.Unmarshal([]byte(got.Responses[1].Exception), &inner); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"errorcode": "invalidrecord", "message": "Can't find data record in database table course.",
		"link": s.URL + "/", "moreinfourl": "https://docs.moodle.org/405/en/error/moodle/invalidrecord",
	}
	if diff := cmp.Diff(want, inner); diff != "" {
		t.Errorf("inner exception (-want +got):\n%s", diff)
	}

	// Alone, the search is outside the custom service: the recorded inner access exception.
	body = rest(t, s, teacherToken, moodletest.BatchFunction, batchParams([2]string{"core_course_search_courses", `{"criterianame":"search","criteriavalue":"KTS"}`}))
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Responses) != 1 || got.Responses[0].Exception != `{"errorcode":"accessexception","module":"webservice"}` {
		t.Errorf("responses = %+v, want the recorded access exception", got.Responses)
	}
}

func TestLogin(t *testing.T) {
	t.Parallel()
	fx := moodletest.Recorded(t)
	form := func(user, pw, svc string) url.Values {
		v := url.Values{"username": {user}, "password": {pw}}
		if svc != "" {
			v.Set("service", svc)
		}
		return v
	}
	tests := []struct {
		name string
		form url.Values
		want string // token, or errorcode prefixed with "!"
	}{
		{"recorded, token replaced", form("kts.teacher", "pw-1", "moodle_mobile_app"), "tok-mobile"},
		{"recorded, no token given", form("kts.teacher", "pw-1", "know_thy_students"), "REDACTED"},
		{"recorded wrong password", form("kts.teacher", "wrong-password", "moodle_mobile_app"), "!invalidlogin"},
		{"other wrong password", form("kts.teacher", "nope", "moodle_mobile_app"), "!invalidlogin"},
		{"unknown user", form("nobody", "pw-1", "moodle_mobile_app"), "!invalidlogin"},
		{"missing service", form("priya.patel", "pw-2", ""), "!missingparam"},
		{"unknown service", form("priya.patel", "pw-2", "nope"), "!servicenotavailable"},
		{"no token for the service", form("priya.patel", "pw-2", "moodle_mobile_app"), "!cannotcreatetoken"},
		{"recorded cannot create token", form("priya.patel", "pw-2", "know_thy_students"), "!cannotcreatetoken"},
		{"unrecorded success", form("priya.patel", "pw-2", "custom"), "tok-priya"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := moodletest.New(t, fx)
			s.AddAccount(moodletest.Account{Username: "kts.teacher", Password: "pw-1", Tokens: map[string]string{"moodle_mobile_app": "tok-mobile"}})
			s.AddAccount(moodletest.Account{Username: "priya.patel", Password: "pw-2", Tokens: map[string]string{"custom": "tok-priya"}})
			_, body := post(t, s.URL, moodletest.TokenPath, tt.form)
			var got struct {
				Token     string `json:"token"`
				ErrorCode string `json:"errorcode"`
			}
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatalf("%v: %s", err, body)
			}
			g := got.Token
			if got.ErrorCode != "" {
				g = "!" + got.ErrorCode
			}
			if g != tt.want {
				t.Errorf("got %q, want %q (body %s)", g, tt.want, body)
			}
		})
	}
}

// TestRecordedIsSelfContained checks that the recordings come with the repository (a clone
// alone has them) and that a folder without a manifest is refused, not served as nothing.
func TestRecordedIsSelfContained(t *testing.T) {
	t.Parallel()
	fx := moodletest.Recorded(t)
	if n := len(fx.Entries()); n < 100 {
		t.Errorf("embedded recordings list %d exchanges, want the 106 of the manifest", n)
	}
	if _, err := fx.File("seed-data.json"); err != nil {
		t.Errorf("seed-data.json: %v", err)
	}
	if _, err := moodletest.LoadFixtures(fstest.MapFS{}); err == nil || !strings.Contains(err.Error(), "manifest.json") {
		t.Errorf("LoadFixtures(empty) = %v, want an error about the missing manifest.json", err)
	}
}
