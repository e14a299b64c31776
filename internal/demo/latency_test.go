package demo_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/demo"
)

func TestLatencyDelaysReplies(t *testing.T) {
	t.Parallel()
	s := newServer(t, demo.Options{Latency: demo.Latency{
		Request:   30 * time.Millisecond,
		Functions: map[string]demo.Cost{"core_enrol_get_enrolled_users": {PerUnit: time.Millisecond}},
	}})
	teacher := s.as(t, "kts.teacher")
	start := time.Now()
	var v any
	teacher.get(&v, "core_webservice_get_site_info")
	if d := time.Since(start); d < 30*time.Millisecond {
		t.Errorf("site info took %v, want at least the 30ms request latency", d)
	}
	start = time.Now()
	teacher.get(&v, "core_enrol_get_enrolled_users", "courseid", "2") // 32 users × 1ms
	if d := time.Since(start); d < 62*time.Millisecond {
		t.Errorf("enrolled users took %v, want at least 30ms + 32 × 1ms", d)
	}
}

func TestLatencyStopsWhenClientLeaves(t *testing.T) {
	t.Parallel()
	site := demo.New(demo.Options{Now: testNow, Latency: demo.Latency{Request: time.Minute}})
	srv := httptest.NewServer(site.Handler())
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	form := url.Values{"wstoken": {site.Accounts()[0].Token}, "wsfunction": {"core_webservice_get_site_info"}}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/webservice/rest/server.php",
		strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatal("a one-minute reply arrived within 100ms")
	}
	start := time.Now()
	srv.Close() // waits for the handler: it must give up its sleep
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the handler kept sleeping %v after the client left", d)
	}
}

func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	s := newServer(t, demo.Options{})
	var wg sync.WaitGroup
	for i := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			teacher := s.as(t, "kts.teacher")
			var v any
			switch i % 4 {
			case 0:
				teacher.get(&v, "core_enrol_get_enrolled_users", "courseid", "3")
			case 1:
				teacher.get(&v, "core_message_send_instant_messages",
					"messages[0][touserid]", fmt.Sprint(5+i), "messages[0][text]", "hello")
				teacher.get(&v, "core_message_get_conversation_counts", "userid", "3")
			case 2:
				teacher.get(&v, "mod_assign_get_submission_status", "assignid", "3", "userid", fmt.Sprint(18+i))
				teacher.get(&v, "mod_assign_get_submissions", "assignmentids[0]", "3")
			case 3:
				teacher.get(&v, "tool_mobile_call_external_functions",
					"requests[0][function]", "core_notes_create_notes",
					"requests[0][arguments]", fmt.Sprintf(`{"notes":[{"userid":%d,"publishstate":"course","courseid":2,"text":"n"}]}`, 5+i),
					"requests[1][function]", "core_notes_get_course_notes",
					"requests[1][arguments]", `{"courseid":2}`)
			}
		}()
	}
	wg.Wait()
	if got := len(s.site.SentMessages()); got != 3 {
		t.Errorf("%d messages stored, want 3", got)
	}
	if got := len(s.site.Notes()); got != 3 {
		t.Errorf("%d notes stored, want 3", got)
	}
}
