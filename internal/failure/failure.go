// Package failure is the one table from what went wrong to what a teacher is told: for each
// kind of failure, the status and sentences of a page that reads, the sentence of the sign-in
// form, the sentence of an optional part of a page that could not be shown, and what a failed
// write means (written or not, or not known).
//
// Reads and writes differ. A read that timed out changed nothing and can be tried again at
// once; a write that timed out may have been saved by Moodle, so its page never says "nothing
// was changed" and the teacher is asked to look in Moodle before trying again.
//
// Moodle's own message text is never part of what a teacher is told: it is in Moodle's
// language, written for developers, and may quote what was sent. Only the sentences here are
// shown, with Moodle's error code when the IT team may need it. The cause stays in the log.
//
// It is a package of its own because both the handlers (pages, sign-in) and the write service
// (internal/contact, whose outcomes are stored with their sentence) use the same table.
package failure

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/knowthystudents/kts/internal/load"
	"github.com/knowthystudents/kts/internal/moodle"
)

// Kind is a class of failure, as the table tells them apart.
type Kind int

// Kinds of failure, in the order Of tries them.
const (
	Internal             Kind = iota // anything the table does not know: a bug, the store
	Breaker                          // the dashboard did not call Moodle: it failed repeatedly just now
	CourseNotFound                   // Moodle does not show the course to this user
	NotTeacher                       // no teaching role in the course
	StudentNotFound                  // not a student of the course this teacher sees
	CourseListIncomplete             // the course list could not be told complete
	InvalidToken                     // Moodle no longer accepts the token
	InvalidLogin                     // wrong username or password
	ServiceNotAvailable              // the web service is off or not allowed to the user
	CannotCreateToken                // the user may not create a token
	WebServicesDisabled              // Moodle says web services are not enabled (at sign-in)
	MessagingOff                     // messaging is switched off on the site
	CourseNotAccessible              // Moodle does not let the user into the course
	AccessException                  // the function is not in the token's service
	NoPermission                     // the user lacks a capability
	NotFound                         // Moodle says it does not exist
	NoConversation                   // no conversation between the two users yet
	InvalidParameter                 // Moodle refused a value the dashboard sent
	MoodleError                      // any other error Moodle answered with
	Timeout                          // no complete answer in time
	Refused                          // the connection was refused: nothing was sent
	Unreachable                      // the connection failed or was cut: something may have been sent
	WebServicesOff                   // HTTP 403 with an empty body: web services or REST are off
	MoodleDown                       // HTTP 503
	GatewayTimeout                   // HTTP 504, from a proxy that gave up waiting
	ServerError                      // another HTTP 5xx
	HTTPStatus                       // another HTTP status (4xx)
	BadReply                         // not JSON, truncated, or over the size limit
	TooLarge                         // a form over its size limit
	FormTimeout                      // a form that never finished arriving
	BadForm                          // a body that is not a form
)

// Outcome is what a failed write call says about the write it carried.
type Outcome int

const (
	// NoAnswer: no answer came; Moodle may have written, and may still be writing.
	NoAnswer Outcome = iota
	// NotWritten: Moodle refused before writing, or was never reached.
	NotWritten
	// Answered: Moodle finished the request with an error; whether it wrote is seen by
	// looking in Moodle.
	Answered
)

// entry is one row of the table. Text may hold {seconds} (the breaker's cool-down), {status}
// (Moodle's HTTP status), {service} (the web service's name), {fn} (a function's name) and
// {what} (what a part of a page or a write is about).
type entry struct {
	status  int
	heading string
	message string // what happened, on a page
	next    string // what to do next, on a page that reads
	items   func(error) []string

	signInStatus int    // 0: status
	signIn       string // the sign-in form's sentence; "" : unexpected's
	part         string // a part of a page that could not be shown; "" : Internal's

	outcome Outcome
	reason  string // for NotWritten, the whole sentence; for Answered, a clause the writer completes
}

// table is the one table. A row with no sign-in sentence is, at sign-in, "unexpected".
var table = map[Kind]entry{
	Internal: {status: http.StatusInternalServerError, heading: "Something went wrong",
		message: "The dashboard hit an error it did not expect. It has been logged.", next: "Try again; if it keeps happening, tell your IT team.",
		part: "Moodle could not give {what} just now.", outcome: NoAnswer},
	Breaker: {status: http.StatusServiceUnavailable, heading: "Moodle is having trouble",
		message: "Moodle failed several times in a row just now, so the dashboard is giving it a short break instead of adding to its load.",
		next:    "Try again in {seconds}. Nothing was changed.",
		signIn:  "Moodle failed several times in a row just now, so the dashboard is giving it a short break. Try again in a minute.",
		outcome: NotWritten, reason: "Moodle failed several times in a row just now, so the dashboard did not ask it; try again in a minute."},
	CourseNotFound: {status: http.StatusNotFound, heading: "Course not found",
		message: "Moodle has no course with this number, or it does not show it to your account.",
		next:    "Open the course from your course list."},
	NotTeacher: {status: http.StatusForbidden, heading: "Only for teachers of this course",
		message: "This dashboard shows a course's students to the people who teach it. Your Moodle account has no teaching role in this course.",
		next:    "If you should have one, ask the course's teacher or your Moodle administrator."},
	StudentNotFound: {status: http.StatusNotFound, heading: "Student not found",
		message: "This person is not a student of this course, or Moodle does not show them to your account.",
		next:    "Open the student from the course's list of students."},
	CourseListIncomplete: {status: http.StatusBadGateway, heading: "Your course list could not be loaded",
		message: "Moodle did not say, for every one of your courses, whether you teach it, so the list would be incomplete.",
		next:    "Try again in a minute. If it keeps happening, tell your IT team."},
	InvalidToken: {status: http.StatusUnauthorized, heading: "Please sign in again",
		message: "Moodle no longer accepts your sign-in (it expired or was revoked).", next: "Sign in again.",
		signIn:  "Moodle does not accept this token: it is wrong, expired or was revoked.",
		outcome: NotWritten, reason: "Moodle no longer accepts your sign-in; sign in again and retry."},
	// The refusals of a sign-in: on a page (where they do not happen) they are Moodle's error.
	InvalidLogin: moodleError(entry{signInStatus: http.StatusUnauthorized,
		signIn: "The username or password is wrong. Use the same ones as for Moodle."}),
	ServiceNotAvailable: moodleError(entry{signInStatus: http.StatusForbidden,
		signIn: "Moodle's web service {service} is switched off or not allowed to your account. Ask your Moodle administrator to enable it, or sign in with a token."}),
	CannotCreateToken: moodleError(entry{signInStatus: http.StatusForbidden,
		signIn: "Moodle does not let your account create a key for the web service {service}. Ask your Moodle administrator for a token, or to allow you to create one."}),
	WebServicesDisabled: moodleError(entry{signInStatus: http.StatusServiceUnavailable,
		signIn: "Web services are switched off on this Moodle site. Ask your Moodle administrator to enable them."}),
	MessagingOff: moodleError(entry{outcome: NotWritten, reason: "Messaging is switched off on this Moodle site."}),
	CourseNotAccessible: {status: http.StatusForbidden, heading: "This course is not open to you in Moodle",
		message: "Moodle does not let your account into this course: you are not enrolled in it, or your enrolment or the course is not active.",
		next:    "Open one of your courses from your course list. If you should teach this one, ask its teacher or your Moodle administrator to enrol you.",
		signIn:  refusedSignIn, outcome: Answered, reason: "Moodle answered with an error"},
	AccessException: {status: http.StatusForbidden, heading: "Your Moodle site does not allow this",
		message: "The web service your sign-in uses does not include a function this page needs.",
		next:    "Ask your Moodle administrator to add these functions to the service (Site administration › Server › Web services › External services):",
		items:   functionName, signIn: refusedSignIn,
		part:    "Your Moodle site's web service does not include {fn}, so {what} cannot be shown here.",
		outcome: NotWritten, reason: "Your Moodle site's web service does not include the function for this; ask your Moodle administrator to add it."},
	NoPermission: {status: http.StatusForbidden, heading: "Moodle does not allow this",
		message: "Your Moodle account does not have the permission this page needs.",
		next:    "If you should have it, ask your Moodle administrator.", signIn: refusedSignIn,
		part:    "Moodle does not let your account see {what} in this course.",
		outcome: NotWritten, reason: "Moodle does not let your account do this."},
	NotFound: {status: http.StatusNotFound, heading: "Not found",
		message: "Moodle says this does not exist, or it is not visible to you.",
		next:    "Open the course from your course list.", signIn: refusedSignIn,
		outcome: Answered, reason: "Moodle answered with an error"},
	NoConversation: moodleError(entry{}),
	InvalidParameter: {
		// The dashboard checks every id it sends: a parameter Moodle refuses is the
		// dashboard's or the site's fault, not the teacher's.
		status: http.StatusBadGateway, heading: "Moodle refused the request",
		message: "Moodle said a value the dashboard sent is not valid. This can happen with a Moodle version the dashboard does not know yet.",
		next:    "Try again; if it keeps happening, tell your IT team.", signIn: refusedSignIn,
		outcome: NotWritten, reason: "Moodle did not accept the {what} as sent."},
	MoodleError: moodleError(entry{}),
	Timeout: {status: http.StatusGatewayTimeout, heading: "Moodle is taking too long",
		message: "Moodle did not answer in time. It may be busy (exam time?) or under maintenance.",
		next:    "Try again in a minute. Nothing was changed.",
		signIn:  "Moodle did not answer in time. Try again in a minute.", outcome: NoAnswer},
	Refused: unreachable(entry{outcome: NotWritten, reason: "The dashboard could not reach Moodle; try again when it is back."}),
	// A connection cut after it was made, also "unreachable" to a page that reads, may have
	// carried the write.
	Unreachable: unreachable(entry{outcome: NoAnswer}),
	WebServicesOff: {status: http.StatusServiceUnavailable, heading: "Web services are switched off",
		message: "Moodle refused the request: web services or the REST protocol are switched off on this site.",
		next:    "Ask your Moodle administrator to enable them (Site administration › Advanced features › Enable web services, and the REST protocol).",
		signIn:  "Moodle refused the request: web services or the REST protocol are switched off on this site. Ask your Moodle administrator.",
		outcome: NotWritten, reason: "Moodle refused the request (HTTP {status})."},
	MoodleDown: {status: http.StatusServiceUnavailable, heading: "Moodle is unavailable",
		message: "Moodle says it is unavailable right now, perhaps for maintenance.", next: "Try again later.",
		outcome: Answered, reason: "Moodle answered with a server error (HTTP {status})"},
	GatewayTimeout: httpStatus(entry{outcome: NoAnswer}),
	ServerError:    httpStatus(entry{outcome: Answered, reason: "Moodle answered with a server error (HTTP {status})"}),
	HTTPStatus:     httpStatus(entry{outcome: NotWritten, reason: "Moodle refused the request (HTTP {status})."}),
	BadReply: {status: http.StatusBadGateway, heading: "Moodle answered with something unexpected",
		message: "Moodle sent a web page or an incomplete answer instead of data; it may be in maintenance mode.",
		next:    "Try again in a few minutes.", outcome: Answered, reason: "Moodle's answer was broken"},
	TooLarge: {status: http.StatusRequestEntityTooLarge, heading: "Too large",
		message: "The form you sent is too large.", next: "Go back, shorten what you typed and send it again.", outcome: NotWritten},
	FormTimeout: {status: http.StatusRequestTimeout, heading: "Too slow",
		message: "The form you sent did not arrive in time.", next: "Go back and send it again.", outcome: NotWritten},
	BadForm: {status: http.StatusBadRequest, heading: "That form is not right",
		message: "The form you sent could not be read.", next: "Go back, reload the page and send it again.", outcome: NotWritten},
}

// moodleError is the row of an error Moodle answered with that a page cannot explain better
// than by its code, with what differs.
func moodleError(e entry) entry {
	e.status, e.heading = http.StatusBadGateway, "Moodle refused the request"
	e.message = "Moodle answered with an error the dashboard does not know how to explain."
	e.next, e.items = "Try again; if it keeps happening, tell your IT team, with Moodle's error code:", errorCode
	if e.signIn == "" {
		e.signIn = refusedSignIn
	}
	if e.reason == "" {
		e.outcome, e.reason = Answered, "Moodle answered with an error"
	}
	return e
}

// unreachable is the row of a Moodle the dashboard could not reach, with what a write makes of
// it: a connection refused carried nothing, one cut after it was made may have.
func unreachable(e entry) entry {
	e.status, e.heading = http.StatusBadGateway, "Moodle cannot be reached"
	e.message = "The dashboard could not connect to Moodle."
	e.next = "Check that Moodle is up in another tab, then try again. If it is, tell your IT team the dashboard cannot reach it."
	e.signIn = "The dashboard cannot reach Moodle right now. Check that Moodle is up, then try again."
	return e
}

// httpStatus is the row of an HTTP status that says nothing more, with what differs.
func httpStatus(e entry) entry {
	e.status, e.heading = http.StatusBadGateway, "Moodle had a problem"
	e.message, e.next = "Moodle answered with an error instead of data.", "Try again in a minute."
	return e
}

// Sentences of the sign-in form: Moodle's error at sign-in (a 502, as any answer the sign-in
// cannot use), and what it says when the table has no sentence, or Moodle sent no code.
const (
	refusedSignIn = "Moodle refused the sign-in (error code {code})."
	unexpected    = "Moodle answered with something unexpected. It may be in maintenance; try again later."
)

// Of tells which kind of failure err is. The order matters: a refusal of the breaker wraps
// the failure that caused it, and Moodle's codes are more telling than the *Error they are in.
func Of(err error) Kind {
	var me *moodle.Error
	var ne *moodle.NetworkError
	var se *moodle.StatusError
	isMoodle := errors.As(err, &me)
	switch {
	case err == nil:
		return Internal
	case errors.Is(err, moodle.ErrUnavailable):
		return Breaker
	case errors.Is(err, load.ErrCourseNotFound):
		return CourseNotFound
	case errors.Is(err, load.ErrNotTeacher):
		return NotTeacher
	case errors.Is(err, load.ErrStudentNotFound):
		return StudentNotFound
	case errors.Is(err, load.ErrCourseListIncomplete):
		return CourseListIncomplete
	case errors.Is(err, moodle.ErrInvalidToken):
		return InvalidToken
	case errors.Is(err, moodle.ErrInvalidLogin):
		return InvalidLogin
	case errors.Is(err, moodle.ErrServiceNotAvailable):
		return ServiceNotAvailable
	case errors.Is(err, moodle.ErrCannotCreateToken):
		return CannotCreateToken
	case isMoodle && (me.Code == "enablewsdescription" || me.Code == "webservicesnotenabled"):
		return WebServicesDisabled
	case isMoodle && (me.Code == "disabled" || me.Code == "messagingdisabled"):
		return MessagingOff
	case errors.Is(err, moodle.ErrCourseNotAccessible):
		return CourseNotAccessible
	case errors.Is(err, moodle.ErrAccessException):
		return AccessException
	case errors.Is(err, moodle.ErrNoPermission):
		return NoPermission
	case errors.Is(err, moodle.ErrNotFound):
		return NotFound
	case errors.Is(err, moodle.ErrConversationNotFound):
		return NoConversation
	case errors.Is(err, moodle.ErrInvalidParameter):
		return InvalidParameter
	case isMoodle:
		return MoodleError
	case errors.Is(err, moodle.ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		return Timeout
	case errors.As(err, &ne) && ne.Kind == moodle.NetRefused:
		return Refused
	case errors.Is(err, moodle.ErrUnreachable):
		return Unreachable
	case errors.As(err, &se):
		switch {
		case se.StatusCode == http.StatusForbidden:
			return WebServicesOff
		case se.StatusCode == http.StatusServiceUnavailable:
			return MoodleDown
		case se.StatusCode == http.StatusGatewayTimeout:
			return GatewayTimeout
		case se.StatusCode >= 500:
			return ServerError
		}
		return HTTPStatus
	case errors.Is(err, moodle.ErrNotJSON), errors.Is(err, moodle.ErrTruncated), errors.Is(err, moodle.ErrBodyTooLarge):
		return BadReply
	}
	return Internal
}

// Explanation is what a teacher is told about one failure.
type Explanation struct {
	Kind    Kind
	Status  int
	Heading string
	Message string
	Next    string
	Items   []string // listed after Next: the functions to add, Moodle's error code

	err error
	e   entry
}

// Explain looks err up in the table, for a page that reads.
func Explain(err error) Explanation {
	return explain(Of(err), err)
}

// ExplainKind is the row of a kind the caller found itself (a form that could not be read),
// with err as the cause.
func ExplainKind(k Kind, err error) Explanation {
	return explain(k, err)
}

func explain(k Kind, err error) Explanation {
	e := table[k]
	x := Explanation{Kind: k, Status: e.status, Heading: e.heading, err: err, e: e}
	x.Message = x.fill(e.message)
	x.Next = x.fill(e.next)
	if e.items != nil {
		x.Items = e.items(err)
	}
	return x
}

// uncertain is what to do next after a write that may have happened.
const uncertain = "It is not known whether Moodle saved what you sent: look in Moodle before you send it again."

// AfterWrite is the explanation for a page whose request wrote (or meant to write) to
// Moodle: unless the write is known not to have happened, it does not say that nothing was
// changed, and asks the teacher to look in Moodle first.
func (x Explanation) AfterWrite() Explanation {
	if x.e.outcome != NotWritten {
		x.Next = uncertain
	}
	return x
}

// SignIn is the sign-in form's status and sentence; service names the web service.
func (x Explanation) SignIn(service string) (int, string) {
	status, msg := x.e.signInStatus, x.e.signIn
	switch {
	case msg == refusedSignIn:
		status = http.StatusBadGateway
	case status == 0:
		status = x.e.status
	}
	if msg == "" || strings.Contains(msg, "{code}") && x.code() == "" {
		return http.StatusBadGateway, unexpected
	}
	return status, strings.ReplaceAll(x.fill(msg), "{service}", strconv.Quote(service))
}

// Part says why a part of a page (what, e.g. "notes", which needs the function fn) is not
// shown.
func (x Explanation) Part(fn, what string) string {
	p := x.e.part
	if p == "" {
		p = table[Internal].part
	}
	return strings.NewReplacer("{fn}", fn, "{what}", what).Replace(p)
}

// Write is what the failed write call says about the write (what: "message", "note"), with
// its sentence: the whole sentence for NotWritten, a clause to complete for Answered, "" for
// NoAnswer.
func (x Explanation) Write(what string) (Outcome, string) {
	return x.e.outcome, strings.ReplaceAll(x.fill(x.e.reason), "{what}", what)
}

// fill puts the failure's own figures into a sentence of the table.
func (x Explanation) fill(s string) string {
	if !strings.Contains(s, "{") {
		return s
	}
	var se *moodle.StatusError
	status := ""
	if errors.As(x.err, &se) {
		status = strconv.Itoa(se.StatusCode)
	}
	return strings.NewReplacer("{seconds}", seconds(RetryAfter(x.err)), "{status}", status, "{code}", x.code()).Replace(s)
}

// code is Moodle's error code, when it looks like one.
func (x Explanation) code() string {
	var me *moodle.Error
	if !errors.As(x.err, &me) {
		return ""
	}
	if c := errorCode(me); len(c) == 1 {
		return c[0]
	}
	return ""
}

// RetryAfter is how many seconds a 503 tells the browser to wait: the breaker's cool-down,
// else 30.
func RetryAfter(err error) int {
	var ue *moodle.UnavailableError
	if errors.As(err, &ue) {
		return max(1, int((ue.RetryAfter+time.Second-1)/time.Second))
	}
	return 30
}

// seconds says n seconds in words.
func seconds(n int) string {
	if n == 1 {
		return "a second"
	}
	return strconv.Itoa(n) + " seconds"
}

// errorCode lists Moodle's error code for the IT team, when it looks like one: Moodle's
// codes are short identifiers, and nothing else of Moodle's text is shown.
func errorCode(err error) []string {
	var me *moodle.Error
	if !errors.As(err, &me) || me.Code == "" || len(me.Code) > 60 {
		return nil
	}
	for _, r := range me.Code {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return nil
		}
	}
	return []string{me.Code}
}

// functionName names the function an administrator must add to the service.
func functionName(err error) []string {
	var me *moodle.Error
	if errors.As(err, &me) && me.Function != "" {
		return []string{me.Function}
	}
	return nil
}

// Cause is the error explained, for the log.
func (x Explanation) Cause() error { return x.err }
