package wsfake

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
)

// MaxBodyBytes bounds a request body, as PHP's post_max_size (8M) does.
const MaxBodyBytes = 8 << 20

// Request is what PHP makes of an HTTP request to one of Moodle's endpoints.
type Request struct {
	Get  *Array // $_GET, from the query string
	Post *Array // $_POST, from an application/x-www-form-urlencoded body
	// Params is array_merge($_GET, $_POST): what Moodle's REST server reads wstoken,
	// wsfunction and the function's parameters from.
	Params *Array
	// Body is the body as received.
	Body []byte
}

// ErrBodyTooLarge is a body over MaxBodyBytes.
var ErrBodyTooLarge = errors.New("wsfake: request body too large")

// ErrBodyConsumed is a request whose body a wrapper read with r.ParseForm before the fake
// could: url.Values has lost the order PHP would read, so the fake refuses to guess. Such a
// wrapper should read the body with ReadRequest, which leaves it readable.
var ErrBodyConsumed = errors.New("wsfake: the request body was read (r.ParseForm) before the fake Moodle got it; read it with wsfake.ReadRequest instead")

// ReadRequest reads r's query and body the way PHP does (see ParseForm). It leaves r.Body
// readable again from the start, so a handler behind a wrapper that read it still can.
func ReadRequest(r *http.Request) (*Request, error) {
	var body []byte
	if r.Body != nil {
		b, err := io.ReadAll(io.LimitReader(r.Body, MaxBodyBytes+1))
		r.Body.Close()
		if err != nil {
			return nil, err
		}
		if len(b) > MaxBodyBytes {
			return nil, ErrBodyTooLarge
		}
		body = b
		r.Body = io.NopCloser(bytes.NewReader(b))
	}
	if len(body) == 0 && len(r.PostForm) > 0 {
		return nil, ErrBodyConsumed
	}
	req := &Request{Get: ParseForm(r.URL.RawQuery), Post: NewArray(), Body: body}
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "application/x-www-form-urlencoded" && r.Method == http.MethodPost {
		req.Post = ParseForm(string(body))
	}
	req.Params = Merge(req.Get, req.Post)
	return req, nil
}

// Value returns the string value of a top-level parameter ("" when unset or an array).
func (r *Request) Value(name string) string {
	s, _ := r.Params.String(name)
	return s
}

// Has reports whether a top-level parameter was sent.
func (r *Request) Has(name string) bool {
	_, ok := r.Params.Get(name)
	return ok
}

// FunctionParams returns the parameters the REST server hands to the wsfunction: all but
// wstoken, wsfunction and moodlewsrestformat, in PHP's order.
func (r *Request) FunctionParams() *Array {
	out := NewArray()
	for _, k := range r.Params.keys {
		switch k {
		case "wstoken", "wsfunction", "moodlewsrestformat":
			continue
		}
		out.Set(k, r.Params.vals[k])
	}
	return out
}

// PostValues returns the body's fields as url.Values, for logs of what a client sent (the
// order of a url.Values is lost: use Post for what PHP reads).
func (r *Request) PostValues() url.Values {
	v, _ := url.ParseQuery(string(r.Body))
	if v == nil {
		v = url.Values{}
	}
	return v
}
