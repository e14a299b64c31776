package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/knowthystudents/kts/internal/lti/ltitest"
)

// TestLTITokenPageIsThrottledLikeSignIn: the password step after an LTI launch is a sign-in
// too; spellings Moodle folds into one account share its bucket there, and once it is spent
// even the right password waits.
func TestLTITokenPageIsThrottledLikeSignIn(t *testing.T) {
	t.Parallel()
	e := newLTIEnv(t, testKey, false)
	e.register(t)
	b := e.browser()
	state, nonce := e.login(t, b, e.teacher.UserID)
	wantRedirect(t, b.launch(state, e.platform.Sign(e.claims(nonce, e.teacher, ltitest.Instructor))), "/lti/token")
	spellings := []string{e.teacher.Username, strings.ToUpper(e.teacher.Username), e.teacher.Username + "!", " " + e.teacher.Username + "#"}
	var last page
	for i := range 7 {
		last = b.post("/lti/token", url.Values{"username": {spellings[i%len(spellings)]}, "password": {"guess"}})
	}
	if last.status != http.StatusTooManyRequests {
		t.Fatalf("7th wrong password under another spelling: %d; want 429", last.status)
	}
	if p := b.post("/lti/token", url.Values{"username": {e.teacher.Username + "?"}, "password": {e.teacher.Password}}); p.status != http.StatusTooManyRequests {
		t.Errorf("the right password after the guesses: %d; want 429", p.status)
	}
}
