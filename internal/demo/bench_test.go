package demo_test

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/knowthystudents/kts/internal/demo"
)

// BenchmarkNew5000 measures building a site with the 5,000-student course.
func BenchmarkNew5000(b *testing.B) {
	for b.Loop() {
		demo.New(demo.Options{Now: testNow, BigStudents: 5000})
	}
}

// BenchmarkEnrolledUsers5000 measures the demo's own cost of the most
// expensive cohort call at 5,000 students (no latency model).
func BenchmarkEnrolledUsers5000(b *testing.B) {
	site := demo.New(demo.Options{Now: testNow, BigStudents: 5000})
	h := site.Handler()
	form := url.Values{"wstoken": {site.Accounts()[0].Token}, "wsfunction": {"core_enrol_get_enrolled_users"},
		"moodlewsrestformat": {"json"}, "courseid": {"4"}}.Encode()
	for b.Loop() {
		req := httptest.NewRequest("POST", "/webservice/rest/server.php", strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 || rec.Body.Len() < 1_000_000 {
			b.Fatalf("HTTP %d, %d bytes", rec.Code, rec.Body.Len())
		}
	}
}
