package moodle

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"syscall"
)

// Sentinels for Moodle's own errors, matched on errorcode (never on the exception class,
// which differs between versions). Use errors.Is(err, moodle.ErrInvalidToken).
var (
	// ErrInvalidToken: the token is unknown, expired or revoked (invalidtoken).
	ErrInvalidToken = errors.New("moodle: invalid token")
	// ErrAccessException: the function is not in the token's service (accessexception).
	ErrAccessException = errors.New("moodle: function not allowed for this token's service")
	// ErrNoPermission: the user lacks a capability for this data.
	ErrNoPermission = errors.New("moodle: no permission")
	// ErrNotFound: the course, user or function does not exist (invalidrecord on 4.5,
	// invalidrecordunknown on 5.0).
	ErrNotFound = errors.New("moodle: not found")
	// ErrInvalidParameter: a parameter is missing or malformed.
	ErrInvalidParameter = errors.New("moodle: invalid parameter")
	// ErrInvalidLogin: wrong username or password at /login/token.php.
	ErrInvalidLogin = errors.New("moodle: invalid login")
	// ErrServiceNotAvailable: the web service is disabled or not allowed to this user.
	ErrServiceNotAvailable = errors.New("moodle: service not available")
	// ErrCannotCreateToken: the user may not create a token for the service.
	ErrCannotCreateToken = errors.New("moodle: cannot create token")
	// ErrCourseNotAccessible: Moodle would not let the user into the course whose data was
	// asked for, e.g. one they are not enrolled in (errorcoursecontextnotvalid).
	ErrCourseNotAccessible = errors.New("moodle: course not accessible to this user")
	// ErrConversationNotFound: no conversation between the two users yet.
	ErrConversationNotFound = errors.New("moodle: no conversation")
)

// Sentinels for failures on the way to Moodle, matched by the typed errors below.
var (
	// ErrUnreachable: the connection was refused or the host could not be reached.
	ErrUnreachable = errors.New("moodle: site unreachable")
	// ErrTimeout: no complete answer within the timeout.
	ErrTimeout = errors.New("moodle: timed out")
	// ErrHTTPStatus: an HTTP status other than 200 (a 403 with an empty body is what
	// Moodle sends when web services are switched off).
	ErrHTTPStatus = errors.New("moodle: unexpected HTTP status")
	// ErrNotJSON: the body is not JSON (an HTML maintenance or login page, a PHP error).
	ErrNotJSON = errors.New("moodle: reply is not JSON")
	// ErrTruncated: the JSON stops before its end.
	ErrTruncated = errors.New("moodle: reply is truncated")
	// ErrBodyTooLarge: the reply is over the configured size limit.
	ErrBodyTooLarge = errors.New("moodle: reply too large")
)

// codeSentinels maps Moodle's errorcodes to sentinels.
var codeSentinels = map[string]error{
	"invalidtoken":                  ErrInvalidToken,
	"accessexception":               ErrAccessException,
	"nopermissions":                 ErrNoPermission,
	"nopermission":                  ErrNoPermission,
	"accessdenied":                  ErrNoPermission,
	"cannotviewreport":              ErrNoPermission,
	"requireloginerror":             ErrNoPermission,
	"invalidrecord":                 ErrNotFound,
	"invalidrecordunknown":          ErrNotFound,
	"invalidparameter":              ErrInvalidParameter,
	"missingparam":                  ErrInvalidParameter,
	"invalidlogin":                  ErrInvalidLogin,
	"servicenotavailable":           ErrServiceNotAvailable,
	"cannotcreatetoken":             ErrCannotCreateToken,
	"errorconversationdoesnotexist": ErrConversationNotFound,
	"errorcoursecontextnotvalid":    ErrCourseNotAccessible,
}

// Error is an error Moodle itself answered with: an exception body from the REST server
// (HTTP 200) or an error body from /login/token.php.
type Error struct {
	Function  string // the wsfunction called, or "login" for /login/token.php
	Exception string // Moodle's exception class, for logs only
	Code      string // Moodle's errorcode, what sentinels match on
	Message   string // Moodle's message, in the site's language

	sentinel error // what Code matched before a secret was scrubbed out of it
}

func (e *Error) Error() string {
	return fmt.Sprintf("moodle: %s: %s (%s)", e.Function, e.Message, e.Code)
}

// Is matches the sentinel for e's errorcode.
func (e *Error) Is(target error) bool {
	s := e.sentinel
	if s == nil {
		s = codeSentinels[e.Code]
	}
	return s != nil && s == target
}

// NetKind says how a round trip failed.
type NetKind int

// Network failure kinds.
const (
	NetOther NetKind = iota
	NetRefused
	NetTimeout
)

// NetworkError is a failed round trip to Moodle: refused, timed out, or cut.
type NetworkError struct {
	Function string
	Kind     NetKind
	Err      error
}

func (e *NetworkError) Error() string {
	what := "network error"
	switch e.Kind {
	case NetRefused:
		what = "connection refused"
	case NetTimeout:
		what = "timed out"
	}
	return fmt.Sprintf("moodle: %s: %s: %v", e.Function, what, e.Err)
}

// Is matches ErrUnreachable or ErrTimeout.
func (e *NetworkError) Is(target error) bool {
	switch target {
	case ErrTimeout:
		return e.Kind == NetTimeout
	case ErrUnreachable:
		return e.Kind == NetRefused || e.Kind == NetOther
	}
	return false
}

func (e *NetworkError) Unwrap() error { return e.Err }

// StatusError is an HTTP reply with a status other than 200.
type StatusError struct {
	Function   string
	StatusCode int
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("moodle: %s: HTTP status %d", e.Function, e.StatusCode)
}

// Is matches ErrHTTPStatus.
func (e *StatusError) Is(target error) bool { return target == ErrHTTPStatus }

// DecodeKind says what was wrong with a 200 body.
type DecodeKind int

// Decode failure kinds.
const (
	DecodeNotJSON DecodeKind = iota
	DecodeTruncated
	DecodeShape
	DecodeEmpty
)

// DecodeError is a 200 reply whose body could not be read as the expected JSON.
type DecodeError struct {
	Function string
	Kind     DecodeKind
	Err      error
}

func (e *DecodeError) Error() string {
	what := map[DecodeKind]string{DecodeNotJSON: "reply is not JSON", DecodeTruncated: "reply is truncated JSON",
		DecodeShape: "reply has an unexpected shape", DecodeEmpty: "reply is empty"}[e.Kind]
	if e.Err != nil {
		return fmt.Sprintf("moodle: %s: %s: %v", e.Function, what, e.Err)
	}
	return fmt.Sprintf("moodle: %s: %s", e.Function, what)
}

// Is matches ErrNotJSON (also for an empty body or an unexpected shape) or ErrTruncated.
func (e *DecodeError) Is(target error) bool {
	switch target {
	case ErrTruncated:
		return e.Kind == DecodeTruncated
	case ErrNotJSON:
		return e.Kind != DecodeTruncated
	}
	return false
}

// BodyTooLargeError is a reply over the configured size limit.
type BodyTooLargeError struct {
	Function string
	Limit    int64
}

func (e *BodyTooLargeError) Error() string {
	return fmt.Sprintf("moodle: %s: reply over %d bytes", e.Function, e.Limit)
}

// Is matches ErrBodyTooLarge.
func (e *BodyTooLargeError) Is(target error) bool { return target == ErrBodyTooLarge }

// IsTransient reports whether err is worth one retry for a read: a network failure (not a
// timeout, which already cost the user the whole wait) or an HTTP 5xx. A call the breaker
// refused (ErrUnavailable) is not: retrying it at once would be refused again.
func IsTransient(err error) bool {
	if errors.Is(err, ErrUnavailable) {
		return false
	}
	var ne *NetworkError
	if errors.As(err, &ne) {
		return ne.Kind != NetTimeout
	}
	var se *StatusError
	return errors.As(err, &se) && se.StatusCode >= 500
}

// classifyNet tells a refused connection from other network failures.
func classifyNet(err error) NetKind {
	var ne net.Error
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return NetRefused
	case errors.As(err, &ne) && ne.Timeout():
		return NetTimeout
	}
	return NetOther
}

// stripURL drops the *url.Error wrapper so that no URL reaches an error string. The URL holds
// no token (the token travels in the POST body), but this keeps it that way if that changes.
func stripURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// redactedError carries an error whose text contained the token, with the token replaced in
// its Error. Unwrap gives the original, so that errors.Is and errors.As reach the sentinels
// and the typed errors under it (a wrapped *Error must still get its own page); every *Error
// in that chain has been scrubbed in place by scrub. Code that shows or logs an error uses
// the outer error's text, never the text of what it unwraps to.
type redactedError struct {
	msg  string
	orig error
}

func (e *redactedError) Error() string { return e.msg }

func (e *redactedError) Unwrap() error { return e.orig }

// scrub guarantees that err's text does not contain token, and neither do the fields of any
// *Error in its chain (all of them reach logs).
func scrub(err error, token string) error {
	if err == nil || token == "" {
		return err
	}
	var me *Error
	if errors.As(err, &me) {
		scrubError(me, token)
		if err == error(me) {
			return me
		}
	}
	if msg := err.Error(); strings.Contains(msg, token) {
		return &redactedError{msg: strings.ReplaceAll(msg, token, "[token]"), orig: err}
	}
	return err
}

// scrubError replaces token in every field Moodle filled, not only the message.
func scrubError(me *Error, token string) {
	me.Message = strings.ReplaceAll(me.Message, token, "[token]")
	// The sentinel is resolved before the code is scrubbed: a short secret can stand in
	// Moodle's code by chance (a password "g" in invalidlogin), and the scrubbed code must
	// still be recognised, or a refused sign-in becomes a 502.
	if me.sentinel == nil {
		me.sentinel = codeSentinels[me.Code]
	}
	me.Code = strings.ReplaceAll(me.Code, token, "[token]")
	me.Exception = strings.ReplaceAll(me.Exception, token, "[token]")
}
