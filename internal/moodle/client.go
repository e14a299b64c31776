// Package moodle is the only package that speaks Moodle's REST web-service protocol.
//
// Every method is a thin, typed wrapper around one wsfunction; the wire types mirror the
// JSON that a real Moodle 4.5 returns (see the recorded fixtures) and ignore fields they do not
// know, so newer Moodle versions that add fields keep decoding. The client never logs and never
// puts the user's token anywhere but the POST body: errors are scrubbed of it.
package moodle

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Paths of Moodle's two endpoints, relative to the site's base URL.
const (
	restPath  = "/webservice/rest/server.php"
	tokenPath = "/login/token.php"
)

// DefaultMaxBodyBytes bounds how much of a reply is read: the largest recorded reply (the
// all-users grade report for 30 students) is 150 kB, the 500-student roster 350 kB.
const DefaultMaxBodyBytes = 64 << 20

// Options configure a Client. The zero value of every field picks a sensible default.
type Options struct {
	// HTTPClient sends the requests; nil means a client with Timeout. The client works on a
	// copy that never follows redirects.
	HTTPClient *http.Client
	// Timeout bounds one HTTP request (connect, send, read the whole body).
	Timeout time.Duration
	// MaxBodyBytes bounds a reply body; a longer body is ErrBodyTooLarge.
	MaxBodyBytes int64
	// UserAgent identifies the dashboard to the Moodle site's administrators.
	UserAgent string
	// RetryReads retries a read once after a network error (not a timeout) or an HTTP 5xx.
	// Writes (messages, notes) are never retried: Moodle may have stored them.
	RetryReads bool
	// Breaker pauses calls to a site that keeps failing; the zero value turns it on with
	// its defaults.
	Breaker BreakerOptions
}

// Client calls one Moodle site. It is safe for concurrent use. The site is fixed at
// construction: nothing a user sends can point the client at another host.
type Client struct {
	base    *url.URL
	http    *http.Client
	maxBody int64
	agent   string
	timeout time.Duration
	retry   bool
	breaker *breaker
}

// New returns a client for the Moodle site at baseURL (e.g. https://moodle.school.example).
func New(baseURL string, opts Options) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil {
		return nil, fmt.Errorf("moodle: site URL: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("moodle: site URL %q must be an absolute http(s) URL", baseURL)
	}
	u.RawQuery, u.Fragment, u.User = "", "", nil
	c := &Client{base: u, http: opts.HTTPClient, maxBody: opts.MaxBodyBytes, agent: opts.UserAgent, timeout: opts.Timeout, retry: opts.RetryReads,
		breaker: newBreaker(opts.Breaker)}
	if c.timeout <= 0 {
		c.timeout = 30 * time.Second
	}
	if c.http == nil {
		c.http = &http.Client{Timeout: c.timeout}
	} else {
		hc := *c.http // a copy: the caller's client keeps its own redirect policy
		c.http = &hc
	}
	// Never follow a redirect: on 307/308 net/http re-posts the form, token or password
	// included, to whatever host Location names. A redirect is a *StatusError instead.
	c.http.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if c.maxBody <= 0 {
		c.maxBody = DefaultMaxBodyBytes
	}
	if c.agent == "" {
		c.agent = "KnowThyStudents/1.0"
	}
	return c, nil
}

// BaseURL returns the site's base URL, for links to Moodle's own pages.
func (c *Client) BaseURL() string { return c.base.String() }

// Site returns the host (and port) of the site, used to key caches per site.
func (c *Client) Site() string { return c.base.Host }

// call runs one wsfunction with the user's token and decodes the reply into out (which may be
// nil). Moodle answers errors with HTTP 200 and an exception body; those become *Error.
func (c *Client) call(ctx context.Context, token, fn string, params Params, out any) error {
	form := Params{}
	for k, v := range params {
		form[k] = v
	}
	form.Set("wstoken", token)
	form.Set("wsfunction", fn)
	form.Set("moodlewsrestformat", "json")
	body, err := c.post(ctx, restPath, form, fn)
	if err != nil && c.retry && !writes[fn] && IsTransient(err) && ctx.Err() == nil {
		body, err = c.post(ctx, restPath, form, fn)
	}
	if err != nil {
		return scrub(err, token)
	}
	return scrub(decodeReply(fn, body, out), token)
}

// writes are the functions that change Moodle: never retried, never cached.
var writes = map[string]bool{
	"core_message_send_instant_messages": true,
	"core_notes_create_notes":            true,
}

// post sends a form through the breaker and returns the whole body of a 200 reply, or a
// typed transport error (*UnavailableError when the breaker is open).
func (c *Client) post(ctx context.Context, path string, form Params, fn string) ([]byte, error) {
	probe, err := c.breaker.allow(ctx, fn)
	if err != nil {
		return nil, err
	}
	body, err := c.send(ctx, path, form, fn)
	c.breaker.done(probe, err)
	return body, err
}

// send makes one HTTP request.
func (c *Client) send(ctx context.Context, path string, form Params, fn string) ([]byte, error) {
	u := *c.base
	u.Path += path
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), strings.NewReader(form.Encode()))
	if err != nil {
		return nil, fmt.Errorf("moodle: %s: build request: %w", fn, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.agent)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, transportError(ctx, fn, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
		return nil, &StatusError{Function: fn, StatusCode: resp.StatusCode}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBody+1))
	if err != nil {
		return nil, transportError(ctx, fn, err)
	}
	if int64(len(body)) > c.maxBody {
		return nil, &BodyTooLargeError{Function: fn, Limit: c.maxBody}
	}
	return body, nil
}

// decodeReply turns a 200 body into out, or into the *Error Moodle sent instead.
func decodeReply(fn string, body []byte, out any) error {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return &DecodeError{Function: fn, Kind: DecodeEmpty}
	}
	if trimmed[0] == '<' {
		return &DecodeError{Function: fn, Kind: DecodeNotJSON}
	}
	if trimmed[0] == '{' {
		if e := exceptionOf(trimmed); e != nil {
			e.Function = fn
			return e
		}
	}
	if !json.Valid(trimmed) {
		kind := DecodeNotJSON
		if trimmed[0] == '{' || trimmed[0] == '[' || trimmed[0] == '"' {
			kind = DecodeTruncated
		}
		return &DecodeError{Function: fn, Kind: kind}
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(trimmed, out); err != nil {
		return &DecodeError{Function: fn, Kind: DecodeShape, Err: err}
	}
	return nil
}

// exceptionOf reads Moodle's error bodies: {"exception","errorcode","message"} from the REST
// server and {"error","errorcode"} from /login/token.php. It returns nil for any other object.
func exceptionOf(body []byte) *Error {
	var e struct {
		Exception *string `json:"exception"`
		Error     *string `json:"error"`
		ErrorCode string  `json:"errorcode"`
		Message   string  `json:"message"`
		DebugInfo string  `json:"debuginfo"`
	}
	if json.Unmarshal(body, &e) != nil {
		return nil
	}
	switch {
	case e.Exception != nil:
		return &Error{Exception: *e.Exception, Code: e.ErrorCode, Message: e.Message}
	case e.Error != nil && e.ErrorCode != "":
		return &Error{Code: e.ErrorCode, Message: *e.Error}
	}
	return nil
}

// transportError classifies a failed round trip: cancelled, timed out, refused or other.
func transportError(ctx context.Context, fn string, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		if errors.Is(ctxErr, context.DeadlineExceeded) {
			return &NetworkError{Function: fn, Kind: NetTimeout, Err: stripURL(err)}
		}
		return ctxErr
	}
	return &NetworkError{Function: fn, Kind: classifyNet(err), Err: stripURL(err)}
}
