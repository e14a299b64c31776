package handlers_test

import (
	"net/http"
	"strings"
	"testing"
)

// An address no route knows is a 404 page, signed in or not, never a 500: the error page reads
// the session to show who is signed in.
func TestUnknownAddressIsA404Page(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	for _, signedIn := range []bool{false, true} {
		if signedIn {
			b.signInTeacher()
		}
		for _, path := range []string{"/nope", "/favicon.ico"} {
			p := b.get(path)
			if p.status != http.StatusNotFound {
				t.Fatalf("signed in %v: GET %s = %d; want 404", signedIn, path, p.status)
			}
			if got := text(one(t, p.doc, "error-message")); !strings.Contains(got, "There is no page at this address") {
				t.Errorf("signed in %v: GET %s says %q", signedIn, path, got)
			}
		}
		if signedIn { // signed out, a course address sends to sign-in first, whatever the method
			p := b.do(mustRequest(t, http.MethodDelete, e.app.URL+"/course/2"))
			if p.status != http.StatusMethodNotAllowed {
				t.Errorf("DELETE /course/2 = %d; want 405", p.status)
			}
		}
	}
}

func mustRequest(t *testing.T, method, url string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}
