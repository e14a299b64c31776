package handlers_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestTrickledBodyIsA408WithoutAnErrorLog (issue 18): a body sent a byte at a time outlives
// the server's ReadTimeout. It used to end in a 500 and an ERROR line (the error page rendered
// with the cancelled request context); it is a 408, logged at info.
func TestTrickledBodyIsA408WithoutAnErrorLog(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.signInTeacher()
	cookie := ""
	for _, c := range b.c.Jar.Cookies(mustURL(e.app.URL)) {
		cookie += c.Name + "=" + c.Value + "; "
	}
	srv := httptest.NewUnstartedServer(e.app.Config.Handler)
	srv.Config.ReadTimeout = 300 * time.Millisecond
	srv.Start()
	t.Cleanup(srv.Close)
	for _, path := range []string{"/signin", "/course/2/student/14/notes", "/course/2/message"} {
		conn, err := net.Dial("tcp", srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nCookie: %s\r\nContent-Length: 100\r\n\r\nte",
			path, srv.Listener.Addr(), cookie)
		conn.SetReadDeadline(time.Now().Add(20 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatalf("%s: no answer to a trickled body: %v", path, err)
		}
		resp.Body.Close()
		conn.Close()
		if resp.StatusCode != http.StatusRequestTimeout {
			t.Errorf("%s: trickled body: status %d; want 408", path, resp.StatusCode)
		}
	}
	// The request lines come after the answers: wait for the three, then look for errors.
	deadline := time.Now().Add(10 * time.Second)
	for strings.Count(e.logs.String(), "status=408") < 6 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond) // polling an observable event (the log), with a deadline
	}
	if logs := e.logs.String(); strings.Contains(logs, "level=ERROR") {
		t.Errorf("a trickled body logged an error:\n%s", logs)
	}
}

// TestHeadAnswersWhereGetDoes (issue 18: HEAD was 405 everywhere, /healthz included).
func TestHeadAnswersWhereGetDoes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.signInTeacher()
	for _, path := range []string{"/healthz", "/", "/signin", "/course/2", "/course/2/export.csv", "/course/2/student/14", "/course/2/activities"} {
		get := b.get(path)
		req, _ := http.NewRequest(http.MethodHead, e.app.URL+path, nil)
		head := b.do(req)
		if head.status != get.status || head.status != http.StatusOK || head.body != "" {
			t.Errorf("HEAD %s: %d with %d bytes; GET %d; want the GET's 200 and no body", path, head.status, len(head.body), get.status)
		}
		if head.header.Get("Content-Type") != get.header.Get("Content-Type") {
			t.Errorf("HEAD %s: Content-Type %q; GET %q", path, head.header.Get("Content-Type"), get.header.Get("Content-Type"))
		}
	}
	// Still not allowed where GET is not.
	req, _ := http.NewRequest(http.MethodHead, e.app.URL+"/signout", nil)
	if p := b.do(req); p.status != http.StatusMethodNotAllowed {
		t.Errorf("HEAD /signout: %d; want 405", p.status)
	}
}

// TestMalformedFormIsA400 (issue 18: text=%zz was called too large, a 413).
func TestMalformedFormIsA400(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.signInTeacher()
	for _, path := range []string{"/signin", "/course/2/student/14/notes", "/course/2/message", "/course/2/refresh"} {
		req, _ := http.NewRequest(http.MethodPost, e.app.URL+path, strings.NewReader("text=%zz&key=a"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		p := b.do(req)
		if p.status != http.StatusBadRequest || p.doc == nil || len(byTestID(p.doc, "error-message")) != 1 {
			t.Errorf("POST %s text=%%zz: status %d; want 400 with the error page", path, p.status)
		}
	}
	// Too large is still too large.
	big := "text=" + strings.Repeat("a", 2<<20)
	req, _ := http.NewRequest(http.MethodPost, e.app.URL+"/course/2/student/14/notes", strings.NewReader(big))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if p := b.do(req); p.status != http.StatusRequestEntityTooLarge {
		t.Errorf("a 2 MB note: %d; want 413", p.status)
	}
}

// TestCrossSiteRefusalIsTheDashboardsPage (issue 18: it was Go's plain-text sentence).
func TestCrossSiteRefusalIsTheDashboardsPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.signInTeacher()
	req, _ := http.NewRequest(http.MethodPost, e.app.URL+"/course/2/refresh", strings.NewReader("full=1"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	p := b.do(req)
	if p.status != http.StatusForbidden || p.doc == nil {
		t.Fatalf("cross-site POST: %d %q; want 403 with the dashboard's page", p.status, p.header.Get("Content-Type"))
	}
	if got := text(one(t, p.doc, "error-message")); !strings.Contains(got, "another site") {
		t.Errorf("cross-site refusal says %q; want it to say the form came from another site", got)
	}
}
