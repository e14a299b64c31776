package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/knowthystudents/kts/internal/demo"
	"github.com/knowthystudents/kts/internal/moodle/wsfault"
)

// TestMoodlesWordsStayInTheLog: an error Moodle answers with, at sign-in or on a page, shows
// the dashboard's sentence and Moodle's error code, never Moodle's own message (it used to
// reach the sign-in form as "Moodle refused the sign-in: <Moodle's message>").
func TestMoodlesWordsStayInTheLog(t *testing.T) {
	t.Parallel()
	const said = "Debug: SELECT * FROM mdl_user failed on the read replica"
	t.Run("sign-in", func(t *testing.T) {
		t.Parallel()
		fe := newFaultEnv(t)
		fe.faults.Inject(wsfault.Exception("dmlreadexception", said).OnFunction("login"))
		p := fe.browser().post("/signin", url.Values{"username": {"kts.teacher"}, "password": {demo.TeacherPassword}})
		got := text(one(t, p.doc, "signin-error"))
		if p.status != http.StatusBadGateway || got != "Moodle refused the sign-in (error code dmlreadexception)." {
			t.Errorf("%d %q; want 502 with the dashboard's sentence and Moodle's code", p.status, got)
		}
		if strings.Contains(p.body, said) {
			t.Error("the sign-in page shows Moodle's message")
		}
		fe.checkNoSecrets(t, p)
	})
	t.Run("page", func(t *testing.T) {
		t.Parallel()
		fe := newFaultEnv(t)
		b := fe.browser()
		b.signInTeacher()
		fe.faults.Inject(wsfault.Exception("dmlreadexception", said).OnFunction(rosterFn))
		p := b.get("/course/2")
		if p.status != http.StatusBadGateway || strings.Contains(p.body, said) || !strings.Contains(text(p.doc), "dmlreadexception") {
			t.Errorf("%d %q; want 502 with Moodle's code and not its message", p.status, text(p.doc))
		}
	})
}
