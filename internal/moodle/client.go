// Package moodle is the only package that speaks Moodle's REST web-service protocol.
//
// Every method is a thin, typed wrapper around one wsfunction; the wire types mirror the
// JSON that a real Moodle 4.5 returns (see the recorded fixtures) and ignore fields they do not
// know, so newer Moodle versions that add fields keep decoding. The client never logs and never
// puts the user's token anywhere but the POST body: errors are scrubbed of it.
package moodle

import (
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

// DefaultMaxBodyBytes bounds how much of a reply is read, and so what a runaway reply costs
// (replies are decoded from the stream: about what they decode to). Measured on the demo's
// 5,000-student course (TestBiggestReplyOfA5000StudentCourseFitsTheDefaultLimit,
// docs/PERFORMANCE.md): the biggest reply is mod_assign_get_submissions for its 5
// assignments, 6.3 MB, the roster 1.8 MB; 32 MiB leaves five times that, for longer
// online-text submissions than the demo's.
const DefaultMaxBodyBytes = 32 << 20

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
	read := func(r io.Reader) error { return decodeStream(fn, r, out) }
	err := c.postRead(ctx, restPath, form, fn, read)
	if err != nil && c.retry && !writes[fn] && IsTransient(err) && ctx.Err() == nil {
		err = c.postRead(ctx, restPath, form, fn, read)
	}
	return scrub(err, token)
}

// writes are the functions that change Moodle: never retried, never cached.
var writes = map[string]bool{
	"core_message_send_instant_messages": true,
	"core_notes_create_notes":            true,
}

// post sends a form through the breaker and returns the whole body of a 200 reply, or a
// typed transport error (*UnavailableError when the breaker is open). For small replies
// (/login/token.php); call decodes from the stream.
func (c *Client) post(ctx context.Context, path string, form Params, fn string) ([]byte, error) {
	var body []byte
	err := c.postRead(ctx, path, form, fn, func(r io.Reader) error {
		var err error
		body, err = io.ReadAll(r)
		return err
	})
	return body, err
}

// postRead sends a form through the breaker and hands the body of a 200 reply, read
// through the size limit, to read. The breaker sees the transport's failures (including a
// body cut halfway), not what read makes of the JSON.
func (c *Client) postRead(ctx context.Context, path string, form Params, fn string, read func(io.Reader) error) error {
	probe, err := c.breaker.allow(ctx, fn)
	if err != nil {
		return err
	}
	var readErr error
	err = c.send(ctx, path, form, fn, func(r io.Reader) error {
		readErr = read(r)
		return readErr
	})
	if err == readErr {
		c.breaker.done(probe, nil) // Moodle answered; the reply is bad or an exception
	} else {
		c.breaker.done(probe, err)
	}
	return err
}

// send makes one HTTP request and reads a 200 reply with read. It returns read's error as
// is, unless the body was too large or the connection failed while read was reading.
func (c *Client) send(ctx context.Context, path string, form Params, fn string, read func(io.Reader) error) error {
	u := *c.base
	u.Path += path
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), strings.NewReader(form.Encode()))
	if err != nil {
		return fmt.Errorf("moodle: %s: build request: %w", fn, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.agent)
	resp, err := c.http.Do(req)
	if err != nil {
		return transportError(ctx, fn, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
		return &StatusError{Function: fn, StatusCode: resp.StatusCode}
	}
	body := newBodyReader(resp.Body, c.maxBody)
	err = read(body)
	if !body.tooBig && body.err == nil {
		// Read what a reply that failed early left (a maintenance page), so the connection
		// can be used again; not more than a page.
		io.Copy(io.Discard, io.LimitReader(body, 64<<10))
	}
	switch {
	case body.tooBig:
		return &BodyTooLargeError{Function: fn, Limit: c.maxBody}
	case body.err != nil:
		return transportError(ctx, fn, body.err)
	}
	return err
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
