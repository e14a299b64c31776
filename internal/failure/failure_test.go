package failure_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/failure"
	"github.com/knowthystudents/kts/internal/load"
	"github.com/knowthystudents/kts/internal/moodle"
)

// moodleSaid is Moodle's own text: it must never be part of what a teacher is told.
const moodleSaid = "Moodle's own words, in the site's language"

func exception(code string) error {
	return fmt.Errorf("loading: %w", &moodle.Error{Function: moodle.FuncEnrolledUsers, Exception: "moodle_exception", Code: code, Message: moodleSaid})
}

// cases is an error of each kind, as the client and the loader return them.
var cases = []struct {
	err  error
	kind failure.Kind
}{
	{errors.New("store: disk full"), failure.Internal},
	{&moodle.UnavailableError{Function: "f", RetryAfter: 1500 * time.Millisecond, Cause: &moodle.NetworkError{Kind: moodle.NetTimeout}}, failure.Breaker},
	{fmt.Errorf("course 9: %w", load.ErrCourseNotFound), failure.CourseNotFound},
	{load.ErrNotTeacher, failure.NotTeacher},
	{load.ErrStudentNotFound, failure.StudentNotFound},
	{load.ErrCourseListIncomplete, failure.CourseListIncomplete},
	{exception("invalidtoken"), failure.InvalidToken},
	{exception("invalidlogin"), failure.InvalidLogin},
	{exception("servicenotavailable"), failure.ServiceNotAvailable},
	{exception("cannotcreatetoken"), failure.CannotCreateToken},
	{exception("enablewsdescription"), failure.WebServicesDisabled},
	{exception("messagingdisabled"), failure.MessagingOff},
	{exception("errorcoursecontextnotvalid"), failure.CourseNotAccessible},
	{exception("accessexception"), failure.AccessException},
	{exception("nopermissions"), failure.NoPermission},
	{exception("invalidrecord"), failure.NotFound},
	{exception("errorconversationdoesnotexist"), failure.NoConversation},
	{exception("invalidparameter"), failure.InvalidParameter},
	{exception("dmlwriteexception"), failure.MoodleError},
	{&moodle.NetworkError{Function: "f", Kind: moodle.NetTimeout, Err: errors.New("i/o timeout")}, failure.Timeout},
	{context.DeadlineExceeded, failure.Timeout},
	{&moodle.NetworkError{Function: "f", Kind: moodle.NetRefused, Err: syscall.ECONNREFUSED}, failure.Refused},
	{&moodle.NetworkError{Function: "f", Kind: moodle.NetOther, Err: errors.New("connection reset")}, failure.Unreachable},
	{&moodle.StatusError{Function: "f", StatusCode: 403}, failure.WebServicesOff},
	{&moodle.StatusError{Function: "f", StatusCode: 503}, failure.MoodleDown},
	{&moodle.StatusError{Function: "f", StatusCode: 504}, failure.GatewayTimeout},
	{&moodle.StatusError{Function: "f", StatusCode: 500}, failure.ServerError},
	{&moodle.StatusError{Function: "f", StatusCode: 404}, failure.HTTPStatus},
	{&moodle.DecodeError{Function: "f", Kind: moodle.DecodeNotJSON}, failure.BadReply},
	{&moodle.BodyTooLargeError{Function: "f", Limit: 1}, failure.BadReply},
}

// TestEveryKindHasItsRow: each error is told apart, and every sentence it gets (a page, the
// sign-in form, a part of a page, a write) is filled in and says nothing Moodle said.
func TestEveryKindHasItsRow(t *testing.T) {
	t.Parallel()
	for _, tc := range cases {
		x := failure.Explain(tc.err)
		if x.Kind != tc.kind {
			t.Errorf("%v: kind %d; want %d", tc.err, x.Kind, tc.kind)
			continue
		}
		if x.Status < 400 || x.Heading == "" || x.Message == "" || x.Next == "" || x.Cause() != tc.err {
			t.Errorf("%v: %+v; want a 4xx/5xx page with a heading, sentences and the cause", tc.err, x)
		}
		status, signIn := x.SignIn("kts_service")
		_, reason := x.Write("note")
		texts := append([]string{x.Message, x.Next, signIn, x.Part(moodle.FuncCourseNotes, "notes"), reason}, x.Items...)
		for _, s := range texts {
			if strings.Contains(s, moodleSaid) || strings.ContainsAny(s, "{}") {
				t.Errorf("%v: %q shows Moodle's words or a placeholder", tc.err, s)
			}
		}
		if status < 400 || signIn == "" {
			t.Errorf("%v: sign-in %d %q", tc.err, status, signIn)
		}
	}
}

// TestAWriteInDoubtIsNotNothingChanged: after a write that may have happened, no page says
// nothing was changed; after one known not to have happened, the read's sentence stands.
func TestAWriteInDoubtIsNotNothingChanged(t *testing.T) {
	t.Parallel()
	for _, tc := range cases {
		x := failure.Explain(tc.err)
		outcome, _ := x.Write("message")
		next := x.AfterWrite().Next
		switch {
		case outcome != failure.NotWritten && strings.Contains(strings.ToLower(next), "nothing was changed"):
			t.Errorf("%v: a write in doubt says %q", tc.err, next)
		case outcome != failure.NotWritten && !strings.Contains(next, "look in Moodle"):
			t.Errorf("%v: a write in doubt says %q; want to look in Moodle first", tc.err, next)
		case outcome == failure.NotWritten && next != x.Next:
			t.Errorf("%v: a write known not to have happened says %q; want %q", tc.err, next, x.Next)
		}
	}
	// The read's timeout did change nothing, and says so.
	if next := failure.Explain(context.DeadlineExceeded).Next; !strings.Contains(next, "Nothing was changed") {
		t.Errorf("a read's timeout says %q", next)
	}
}

// TestFilledFigures: the breaker's cool-down, Moodle's HTTP status, its error code and the
// service's name are filled in where the sentences need them.
func TestFilledFigures(t *testing.T) {
	t.Parallel()
	breaker := failure.Explain(cases[1].err)
	if breaker.Next != "Try again in 2 seconds. Nothing was changed." || failure.RetryAfter(cases[1].err) != 2 {
		t.Errorf("breaker: %q, Retry-After %d", breaker.Next, failure.RetryAfter(cases[1].err))
	}
	if _, r := failure.Explain(&moodle.StatusError{StatusCode: 502}).Write("message"); r != "Moodle answered with a server error (HTTP 502)" {
		t.Errorf("HTTP 502 write: %q", r)
	}
	if status, s := failure.Explain(exception("dmlwriteexception")).SignIn("x"); status != http.StatusBadGateway || s != "Moodle refused the sign-in (error code dmlwriteexception)." {
		t.Errorf("sign-in refused: %d %q", status, s)
	}
	if x := failure.Explain(exception("dmlwriteexception")); len(x.Items) != 1 || x.Items[0] != "dmlwriteexception" {
		t.Errorf("items %q; want Moodle's code", x.Items)
	}
	if x := failure.Explain(exception("not a code!")); len(x.Items) != 0 {
		t.Errorf("items %q; want no text of Moodle's that is not a code", x.Items)
	}
	if _, s := failure.Explain(exception("servicenotavailable")).SignIn("kts_service"); !strings.Contains(s, `"kts_service"`) {
		t.Errorf("service not available: %q", s)
	}
	if _, r := failure.Explain(exception("invalidparameter")).Write("note"); r != "Moodle did not accept the note as sent." {
		t.Errorf("invalid parameter write: %q", r)
	}
}
