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
	"strings"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/knowthystudents/kts/internal/auth"
	"github.com/knowthystudents/kts/internal/failure"
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
	k := failure.BadForm
	switch {
	case errors.As(err, &mbe):
		k = failure.TooLarge
	case errors.As(err, &ne) && ne.Timeout():
		k = failure.FormTimeout
	}
	return explained(failure.ExplainKind(k, err))
}

// explained is the page of an explanation from the table.
func explained(x failure.Explanation) *httpError {
	return &httpError{Status: x.Status, Heading: x.Heading, Message: x.Message, Next: x.Next, Items: x.Items, Cause: x.Cause()}
}

// writeError marks an error of a request that wrote (or set out to write) to Moodle: its page
// does not say that nothing was changed unless that is known.
type writeError struct{ err error }

func (e *writeError) Error() string { return e.err.Error() }
func (e *writeError) Unwrap() error { return e.err }

// wrote marks err, if any, as the failure of a write.
func wrote(err error) error {
	if err == nil {
		return nil
	}
	return &writeError{err}
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
		w.Header().Set("Retry-After", strconv.Itoa(failure.RetryAfter(err)))
	}
	// The page is drawn even if the request's context is done (a body that never finished
	// arriving cancels it): a small page, and the client may still be there to read it.
	r = r.WithContext(context.WithoutCancel(r.Context()))
	info := views.ErrorInfo{Status: he.Status, Heading: he.Heading, Message: he.Message, Next: he.Next, Items: he.Items}
	if r.Header.Get("HX-Request") == "true" {
		s.failFragment(w, r, he.Status, info)
		return
	}
	if he.Status >= 500 && r.Method == http.MethodGet {
		info.Retry = r.URL.RequestURI()
	}
	s.render(w, r, he.Status, views.ErrorPage(s.page(r, he.Heading), info))
}

// failFragment answers a failed htmx request (a poll of a page filling itself in, a filter)
// with the failure in words for the page's #request-error, keeping the status: without it htmx
// would leave the page as it was, "loading" forever. kts.js lets htmx swap a response marked
// KTS-Error. The link loads again the page the request came from (HX-Current-URL, its path
// and query only, so it never leads off the dashboard).
func (s *server) failFragment(w http.ResponseWriter, r *http.Request, status int, info views.ErrorInfo) {
	if u, err := url.Parse(r.Header.Get("HX-Current-URL")); err == nil && u.Path != "" {
		info.Retry = auth.SafeNext(u.RequestURI())
	}
	w.Header().Set("KTS-Error", "1")
	w.Header().Set("HX-Retarget", "#request-error")
	w.Header().Set("HX-Reswap", "innerHTML")
	s.render(w, r, status, views.RequestError(info, strings.HasSuffix(r.URL.Path, "/rows")))
}

// classify turns any error into what the user is told: an error that is already a page, or
// the table's row for it (see internal/failure), for a read or for a write.
func classify(err error) *httpError {
	var he *httpError
	if errors.As(err, &he) {
		return he
	}
	x := failure.Explain(err)
	var we *writeError
	if errors.As(err, &we) {
		x = x.AfterWrite()
	}
	return explained(x)
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
