package handlers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/knowthystudents/kts/internal/load"
	"github.com/knowthystudents/kts/internal/moodle"
	"github.com/knowthystudents/kts/views"
)

// httpError is an error with the status and the sentences a page shows. Its text is for the
// user; the cause stays in the log.
type httpError struct {
	Status  int
	Heading string
	Message string
	Next    string
	Items   []string
	Cause   error
}

func (e *httpError) Error() string {
	if e.Cause != nil {
		return fmt.Sprintf("%d %s: %v", e.Status, e.Message, e.Cause)
	}
	return fmt.Sprintf("%d %s", e.Status, e.Message)
}

func (e *httpError) Unwrap() error { return e.Cause }

func badRequest(msg string) error {
	return &httpError{Status: http.StatusBadRequest, Heading: "That address is not right", Message: msg,
		Next: "Check the link, or go back and use the page's own filters and links."}
}

func notFoundf(format string, args ...any) error {
	return &httpError{Status: http.StatusNotFound, Heading: "Not found", Message: fmt.Sprintf(format, args...),
		Next: "Check the address, or start again from your course list."}
}

// formError tells a form that is too large (413) from one that is not a form (400) and from
// one that never finished arriving (408).
func formError(err error) error {
	var mbe *http.MaxBytesError
	var ne net.Error
	switch {
	case errors.As(err, &mbe):
		return &httpError{Status: http.StatusRequestEntityTooLarge, Heading: "Too large", Cause: err,
			Message: "The form you sent is too large.", Next: "Go back, shorten what you typed and send it again."}
	case errors.As(err, &ne) && ne.Timeout():
		return &httpError{Status: http.StatusRequestTimeout, Heading: "Too slow", Cause: err,
			Message: "The form you sent did not arrive in time.", Next: "Go back and send it again."}
	}
	return &httpError{Status: http.StatusBadRequest, Heading: "That form is not right", Cause: err,
		Message: "The form you sent could not be read.", Next: "Go back, reload the page and send it again."}
}

// errReauth asks the adapter to end the session and send the user to sign in again.
type errReauth struct{ reason string }

func (e *errReauth) Error() string { return "reauthenticate: " + e.reason }

// handle adapts a handler that returns an error: the error becomes a rendered page with the
// right status, logged with the request id (5xx at error level, 4xx at info).
func (s *server) handle(fn func(http.ResponseWriter, *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		err := fn(w, r)
		if err == nil {
			return
		}
		s.fail(w, r, err)
	}
}

// fail renders err.
func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		// The browser went away; nobody is there to read a page.
		s.Log.Info("request cancelled by client", "path", r.URL.Path, "request_id", middleware.GetReqID(r.Context()))
		return
	}
	var re *errReauth
	if errors.As(err, &re) || errors.Is(err, moodle.ErrInvalidToken) {
		reason := "Moodle no longer accepts your sign-in (it expired or was revoked). Please sign in again."
		if re != nil {
			reason = re.reason
		}
		s.endSession(r, reason)
		s.redirectToSignIn(w, r, "expired")
		return
	}
	he := classify(err)
	level := slog.LevelInfo
	if he.Status >= 500 {
		level = slog.LevelError
	}
	s.Log.Log(r.Context(), level, "request failed", "status", he.Status, "path", r.URL.Path,
		"request_id", middleware.GetReqID(r.Context()), "err", err)
	if he.Status == http.StatusServiceUnavailable || he.Status == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", strconv.Itoa(retryAfter(err)))
	}
	// The page is drawn even if the request's context is done (a body that never finished
	// arriving cancels it): a small page, and the client may still be there to read it.
	r = r.WithContext(context.WithoutCancel(r.Context()))
	info := views.ErrorInfo{Status: he.Status, Heading: he.Heading, Message: he.Message, Next: he.Next, Items: he.Items}
	if he.Status >= 500 && r.Method == http.MethodGet {
		info.Retry = r.URL.RequestURI()
	}
	s.render(w, r, he.Status, views.ErrorPage(s.page(r, he.Heading), info))
}

// classify turns any error into what the user is told.
func classify(err error) *httpError {
	var he *httpError
	if errors.As(err, &he) {
		return he
	}
	var se *moodle.StatusError
	var me *moodle.Error
	switch {
	case errors.Is(err, moodle.ErrUnavailable):
		// Before the transport errors: the refusal wraps the failure that caused it.
		return &httpError{Status: http.StatusServiceUnavailable, Heading: "Moodle is having trouble", Cause: err,
			Message: "Moodle failed several times in a row just now, so the dashboard is giving it a short break instead of adding to its load.",
			Next:    fmt.Sprintf("Try again in %s. Nothing was changed.", seconds(retryAfter(err)))}
	case errors.Is(err, load.ErrCourseNotFound):
		return &httpError{Status: http.StatusNotFound, Heading: "Course not found", Cause: err,
			Message: "Moodle has no course with this number, or it does not show it to your account.",
			Next:    "Open the course from your course list."}
	case errors.Is(err, load.ErrNotTeacher):
		return &httpError{Status: http.StatusForbidden, Heading: "Only for teachers of this course", Cause: err,
			Message: "This dashboard shows a course's students to the people who teach it. Your Moodle account has no teaching role in this course.",
			Next:    "If you should have one, ask the course's teacher or your Moodle administrator."}
	case errors.Is(err, load.ErrStudentNotFound):
		return &httpError{Status: http.StatusNotFound, Heading: "Student not found", Cause: err,
			Message: "This person is not a student of this course, or Moodle does not show them to your account.",
			Next:    "Open the student from the course's list of students."}
	case errors.Is(err, moodle.ErrCourseNotAccessible):
		return &httpError{Status: http.StatusForbidden, Heading: "This course is not open to you in Moodle", Cause: err,
			Message: "Moodle does not let your account into this course: you are not enrolled in it, or your enrolment or the course is not active.",
			Next:    "Open one of your courses from your course list. If you should teach this one, ask its teacher or your Moodle administrator to enrol you."}
	case errors.Is(err, moodle.ErrAccessException):
		return &httpError{Status: http.StatusForbidden, Heading: "Your Moodle site does not allow this", Cause: err,
			Message: "The web service your sign-in uses does not include a function this page needs.",
			Next:    "Ask your Moodle administrator to add these functions to the service (Site administration › Server › Web services › External services):",
			Items:   accessFunctions(err)}
	case errors.Is(err, moodle.ErrNoPermission):
		return &httpError{Status: http.StatusForbidden, Heading: "Moodle does not allow this", Cause: err,
			Message: "Your Moodle account does not have the permission this page needs.",
			Next:    "If you should have it, ask your Moodle administrator."}
	case errors.Is(err, moodle.ErrNotFound):
		return &httpError{Status: http.StatusNotFound, Heading: "Not found", Cause: err,
			Message: "Moodle says this does not exist, or it is not visible to you.",
			Next:    "Open the course from your course list."}
	case errors.Is(err, moodle.ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		return &httpError{Status: http.StatusGatewayTimeout, Heading: "Moodle is taking too long", Cause: err,
			Message: "Moodle did not answer in time. It may be busy (exam time?) or under maintenance.",
			Next:    "Try again in a minute. Nothing was changed."}
	case errors.Is(err, moodle.ErrUnreachable):
		return &httpError{Status: http.StatusBadGateway, Heading: "Moodle cannot be reached", Cause: err,
			Message: "The dashboard could not connect to Moodle.",
			Next:    "Check that Moodle is up in another tab, then try again. If it is, tell your IT team the dashboard cannot reach it."}
	case errors.As(err, &se) && se.StatusCode == http.StatusForbidden:
		return &httpError{Status: http.StatusServiceUnavailable, Heading: "Web services are switched off", Cause: err,
			Message: "Moodle refused the request: web services or the REST protocol are switched off on this site.",
			Next:    "Ask your Moodle administrator to enable them (Site administration › Advanced features › Enable web services, and the REST protocol)."}
	case errors.As(err, &se) && se.StatusCode == http.StatusServiceUnavailable:
		return &httpError{Status: http.StatusServiceUnavailable, Heading: "Moodle is unavailable", Cause: err,
			Message: "Moodle says it is unavailable right now, perhaps for maintenance.", Next: "Try again later."}
	case errors.Is(err, moodle.ErrHTTPStatus):
		return &httpError{Status: http.StatusBadGateway, Heading: "Moodle had a problem", Cause: err,
			Message: "Moodle answered with an error instead of data.", Next: "Try again in a minute."}
	case errors.Is(err, moodle.ErrNotJSON), errors.Is(err, moodle.ErrTruncated), errors.Is(err, moodle.ErrBodyTooLarge):
		return &httpError{Status: http.StatusBadGateway, Heading: "Moodle answered with something unexpected", Cause: err,
			Message: "Moodle sent a web page or an incomplete answer instead of data; it may be in maintenance mode.",
			Next:    "Try again in a few minutes."}
	case errors.Is(err, moodle.ErrInvalidParameter):
		// The dashboard checks every id it sends: a parameter Moodle refuses is the
		// dashboard's or the site's fault, not the teacher's.
		return &httpError{Status: http.StatusBadGateway, Heading: "Moodle refused the request", Cause: err,
			Message: "Moodle said a value the dashboard sent is not valid. This can happen with a Moodle version the dashboard does not know yet.",
			Next:    "Try again; if it keeps happening, tell your IT team."}
	case errors.Is(err, load.ErrCourseListIncomplete):
		return &httpError{Status: http.StatusBadGateway, Heading: "Your course list could not be loaded", Cause: err,
			Message: "Moodle did not say, for every one of your courses, whether you teach it, so the list would be incomplete.",
			Next:    "Try again in a minute. If it keeps happening, tell your IT team."}
	case errors.As(err, &me):
		return &httpError{Status: http.StatusBadGateway, Heading: "Moodle refused the request", Cause: err,
			Message: "Moodle answered with an error the dashboard does not know how to explain.",
			Next:    "Try again; if it keeps happening, tell your IT team, with Moodle's error code:", Items: errorCode(me)}
	}
	return &httpError{Status: http.StatusInternalServerError, Heading: "Something went wrong", Cause: err,
		Message: "The dashboard hit an error it did not expect. It has been logged.", Next: "Try again; if it keeps happening, tell your IT team."}
}

// retryAfter is how many seconds a 503 tells the browser to wait: the breaker's cool-down,
// else 30.
func retryAfter(err error) int {
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
func errorCode(me *moodle.Error) []string {
	if me.Code == "" || len(me.Code) > 60 {
		return nil
	}
	for _, r := range me.Code {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return nil
		}
	}
	return []string{me.Code}
}

// accessFunctions names the functions an administrator must add to the service.
func accessFunctions(err error) []string {
	var me *moodle.Error
	if errors.As(err, &me) && me.Function != "" {
		return []string{me.Function}
	}
	return nil
}

// render writes a component into a buffer first, so that a failing template never leaves half
// a page followed by an error.
func (s *server) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	buf := s.buffer()
	defer s.recycle(buf)
	if err := c.Render(r.Context(), buf); err != nil {
		if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
			s.Log.Info("request cancelled by client while rendering", "path", r.URL.Path, "request_id", middleware.GetReqID(r.Context()))
			return
		}
		s.Log.Error("render failed", "path", r.URL.Path, "request_id", middleware.GetReqID(r.Context()), "err", err)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		w.Write([]byte("Something went wrong while drawing this page. It has been logged."))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Vary", "HX-Request")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// redirectToSignIn sends the user to sign in, keeping where they wanted to go.
func (s *server) redirectToSignIn(w http.ResponseWriter, r *http.Request, reason string) {
	q := url.Values{}
	if r.Method == http.MethodGet {
		q.Set("next", r.URL.RequestURI())
	} else if ref := r.Header.Get("HX-Current-URL"); ref != "" {
		if u, err := url.Parse(ref); err == nil {
			q.Set("next", u.RequestURI())
		}
	}
	if reason != "" {
		q.Set("reason", reason)
	}
	target := "/signin"
	if len(q) > 0 {
		target += "?" + q.Encode()
	}
	if r.Header.Get("HX-Request") == "true" {
		w.Header().Set("HX-Redirect", target)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}
