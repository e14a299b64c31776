package handlers

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/go-chi/chi/v5/middleware"
	"github.com/knowthystudents/kts/internal/auth"
)

// logRequests logs one line per request: method, path (never the query, which could carry a
// pasted token by mistake), status, duration and request id.
func (s *server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r)
		s.Log.Info("request", "method", r.Method, "path", r.URL.Path, "status", ww.Status(),
			"bytes", ww.BytesWritten(), "duration_ms", time.Since(start).Milliseconds(),
			"request_id", middleware.GetReqID(r.Context()), "htmx", r.Header.Get("HX-Request") == "true")
	})
}

// recoverPanics turns a panic into a plain 500 page and a log line with the stack (which
// holds no token: tokens never sit in handler arguments, only in the session store).
func (s *server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Log.Error("panic", "path", r.URL.Path, "request_id", middleware.GetReqID(r.Context()),
					"panic", v, "stack", string(debug.Stack()))
				w.Header().Set("Content-Type", "text/plain; charset=utf-8")
				w.WriteHeader(http.StatusInternalServerError)
				w.Write([]byte("Something went wrong. It has been logged; please try again."))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// securityHeaders sets a strict Content-Security-Policy (no inline script or style), allows
// framing only by the configured Moodle site, and the usual hardening headers.
func securityHeaders(moodleURL string) func(http.Handler) http.Handler {
	ancestors := "'none'"
	if u, err := url.Parse(moodleURL); err == nil && u.Scheme != "" && u.Host != "" {
		ancestors = u.Scheme + "://" + u.Host
	}
	csp := "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
		"connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors " + ancestors
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			h.Set("Content-Security-Policy", csp)
			h.Set("Referrer-Policy", "same-origin")
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("Cross-Origin-Opener-Policy", "same-origin")
			h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
			next.ServeHTTP(w, r)
		})
	}
}

// limitBody refuses oversized forms and query strings before any handler reads them.
func limitBody(max int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if len(r.URL.RawQuery) > 4096 {
				http.Error(w, "This address is too long. Use the page's own filters and links.", http.StatusRequestURITooLong)
				return
			}
			if r.ContentLength > max {
				http.Error(w, "What you sent is too large.", http.StatusRequestEntityTooLarge)
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, max)
			next.ServeHTTP(w, r)
		})
	}
}

// headAsGet answers HEAD wherever GET is answered (monitors probe /healthz with HEAD; it was
// a 405 everywhere). The handler runs as for GET; net/http sends the headers and drops the
// body, since the connection's own request still says HEAD. Logged as HEAD (logRequests runs
// before).
func headAsGet(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead {
			get := *r
			get.Method = http.MethodGet
			r = &get
		}
		next.ServeHTTP(w, r)
	})
}

// warnInsecureCookie logs once when a trusted proxy says a request came over HTTPS while the
// session cookie is not marked Secure (-secure-cookie off): the browser would then also send
// the cookie over plain HTTP, to anyone on the path. Nothing else is done about it: a proxy
// may serve both, and the operator decides.
func (s *server) warnInsecureCookie() func(http.Handler) http.Handler {
	var once sync.Once
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !s.Sessions.Cookie.Secure && strings.EqualFold(strings.TrimSpace(r.Header.Get("X-Forwarded-Proto")), "https") {
				host, _, err := net.SplitHostPort(r.RemoteAddr)
				if err == nil && s.trusted(host) {
					once.Do(func() {
						s.Log.Warn("the session cookie is not Secure, but the trusted proxy says users come over HTTPS: set -secure-cookie (KTS_SECURE_COOKIE=true)",
							"proxy", host)
					})
				}
			}
			next.ServeHTTP(w, r)
		})
	}
}

// crossOriginProtection refuses cross-site writes (Go's Sec-Fetch-Site and Origin checks)
// with the dashboard's own 403 page instead of Go's plain-text sentence.
func (s *server) crossOriginProtection() func(http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(s.handle(func(w http.ResponseWriter, r *http.Request) error {
		return &httpError{Status: http.StatusForbidden, Heading: "Refused: sent from another site",
			Message: "This form was sent to the dashboard from another site, so it was not accepted. Nothing was changed.",
			Next:    "If you meant to do this, open the dashboard itself and use its own buttons."}
	}))
	return cop.Handler
}

// readForm reads a form body once, before any handler, and answers what cannot be a form:
// too large (413), not form encoding (400: text=%zz was once called too large) or never
// finished arriving (408: a body trickled past the server's ReadTimeout). The handler reads
// the same bytes again, through its own limits. The sign-in forms (/signin, and /lti/token
// after a launch) are held to maxSignInBody here already: a bigger one is refused before it
// is read.
func (s *server) readForm(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody || r.Method != http.MethodPost ||
			!strings.HasPrefix(strings.ToLower(r.Header.Get("Content-Type")), "application/x-www-form-urlencoded") {
			next.ServeHTTP(w, r)
			return
		}
		if r.URL.Path == "/signin" || r.URL.Path == "/lti/token" {
			if r.ContentLength > maxSignInBody {
				s.fail(w, r, formError(&http.MaxBytesError{Limit: maxSignInBody}))
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, maxSignInBody)
		}
		body, err := io.ReadAll(r.Body)
		if err == nil {
			_, err = url.ParseQuery(string(body))
		}
		if err != nil {
			s.fail(w, r, formError(err))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
	})
}

type userKey struct{}

// requireUser sends a signed-out request to sign in (keeping where it wanted to go) and
// puts the signed-in user in the request context.
func (s *server) requireUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, ok := s.sess.Current(r.Context())
		if !ok {
			s.redirectToSignIn(w, r, "")
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), userKey{}, u)))
	})
}

// userFrom returns the user requireUser put in the context.
func userFrom(r *http.Request) auth.User {
	u, _ := r.Context().Value(userKey{}).(auth.User)
	return u
}
