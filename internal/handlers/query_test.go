package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// A query or form that does not parse is a 400 with a sentence, never a page built from what
// was left of it: "?userid=6;x" once addressed every student shown.
func TestMalformedQueryIsABadRequest(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.signInTeacher()
	for _, path := range []string{
		"/course/2/message?userid=6;x",
		"/course/2/message?userid=14&userid=%zz",
		"/course/2?group=1;attention=1",
		"/course/2/export.csv?sort=name;dir=desc",
		"/course/2/student/14?note=added;x",
		"/course/2/activities?group=%",
		"/?courseid=2;x",
	} {
		p := b.get(path)
		if p.status != http.StatusBadRequest {
			t.Errorf("GET %s: %d; want 400", path, p.status)
			continue
		}
		if msg := text(one(t, p.doc, "error-message")); !strings.Contains(msg, "cannot be read") {
			t.Errorf("GET %s: %q; want a sentence saying the address cannot be read", path, msg)
		}
	}
	// The same pairs joined with & still work.
	if p := b.get("/course/2/message?userid=14&userid=30"); p.status != http.StatusOK {
		t.Errorf("a well-formed selection: %d", p.status)
	}
	key, _ := composeKey(t, b, "userid=14")
	p := b.post("/course/2/message", url.Values{"key": {key}, "userid": {"14;x"}, "text": {"hi"}, "action": {"send"}})
	if p.status == http.StatusOK || len(e.site.SentMessages()) != 0 {
		t.Errorf("a malformed userid: %d, %d messages sent; want no send", p.status, len(e.site.SentMessages()))
	}
	req, _ := http.NewRequest(http.MethodPost, e.app.URL+"/course/2/message", strings.NewReader("key="+key+"&userid=14;userid=30&text=hi&action=send"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if p := b.do(req); p.status != http.StatusBadRequest || len(e.site.SentMessages()) != 0 {
		t.Errorf("a body joined with ';': %d, %d messages sent; want 400 and none", p.status, len(e.site.SentMessages()))
	}
}
