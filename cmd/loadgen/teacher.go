package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"time"

	"github.com/knowthystudents/kts/internal/demo"
)

// teacher is one signed-in browser session.
type teacher struct {
	base string
	c    *http.Client
}

// newTeacher signs kts.teacher in; js says the browser runs scripts (the cookie
// static/js/kts.js sets), which lets cohort pages arrive before their load ends.
func newTeacher(ctx context.Context, base string, tr http.RoundTripper, js bool) (*teacher, error) {
	jar, _ := cookiejar.New(nil)
	t := &teacher{base: base, c: &http.Client{Jar: jar, Transport: tr, Timeout: 5 * time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	if js {
		u, _ := url.Parse(base)
		jar.SetCookies(u, []*http.Cookie{{Name: "kts_js", Value: "1"}})
	}
	status, _, err := t.post(ctx, "/signin", url.Values{"username": {"kts.teacher"}, "password": {demo.TeacherPassword}})
	if err != nil {
		return nil, err
	}
	if status != http.StatusSeeOther {
		return nil, fmt.Errorf("sign-in: status %d", status)
	}
	return t, nil
}

// get fetches a page, reading it whole, and returns its status and body.
func (t *teacher) get(ctx context.Context, path string, headers ...string) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.base+path, nil)
	if err != nil {
		return 0, "", err
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return t.do(req)
}

func (t *teacher) post(ctx context.Context, path string, form url.Values) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", t.base) // what a browser sends for a same-origin form
	return t.do(req)
}

func (t *teacher) do(req *http.Request) (int, string, error) {
	resp, err := t.c.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}
