package handlers_test

import (
	"strings"
	"testing"
)

// TestFailedPollSaysWhatHappened: a poll or another htmx request that fails keeps its status
// but is answered with the failure in words for the page's #request-error (htmx would
// otherwise leave the page "loading" forever), a link that loads the page again, and, for a
// poll, the loading line replaced. The link never leads off the dashboard.
func TestFailedPollSaysWhatHappened(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser().withScripts()
	b.signInTeacher()
	plain := b.get("/course/999") // the page the poll fills in: what its failure is
	tests := []struct {
		name, path, current, wantRetry string
		poll                           bool
	}{
		{"poll", "/course/999/rows?v=0", e.app.URL + "/course/999?group=1", "/course/999?group=1", true},
		{"a filter", "/course/999?group=1", e.app.URL + "/course/999", "/course/999", false},
		{"from another host", "/course/999/rows?v=0", "https://evil.example//evil.example/x", "/", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := b.get(tt.path, "HX-Request", "true", "HX-Current-URL", tt.current)
			if p.status < 400 || p.status != plain.status {
				t.Fatalf("status %d; want the failure's own (%d without htmx)", p.status, plain.status)
			}
			if p.header.Get("KTS-Error") != "1" || p.header.Get("HX-Retarget") != "#request-error" || p.header.Get("HX-Reswap") != "innerHTML" {
				t.Errorf("headers %v; want KTS-Error 1 and a retarget to #request-error", p.header)
			}
			if strings.Contains(p.body, "<html") || strings.Contains(p.body, "<body") {
				t.Errorf("a whole page came back for a part of one:\n%s", p.body)
			}
			if got := text(one(t, p.doc, "request-error-message")); !strings.Contains(got, ".") || len(got) < 20 {
				t.Errorf("the failure says %q", got)
			}
			if got := attr(one(t, p.doc, "request-error-retry"), "href"); got != tt.wantRetry {
				t.Errorf("load again links to %q; want %q", got, tt.wantRetry)
			}
			if stopped := byTestID(p.doc, "poll-stopped"); (len(stopped) == 1) != tt.poll {
				t.Errorf("%d replacements of the loading line; want one only for a poll", len(stopped))
			}
		})
	}
	if plain.header.Get("KTS-Error") != "" || !strings.Contains(plain.body, "<html") {
		t.Errorf("without htmx the failure is not a whole page: %v", plain.header)
	}
}
