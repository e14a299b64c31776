package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/knowthystudents/kts/internal/moodle/wsfake"
)

// Paths a Moodle site answers that the demo implements.
const (
	restPath  = "/webservice/rest/server.php"
	loginPath = "/login/token.php"
)

// Handler returns the site's HTTP handler: the REST web-service endpoint,
// the token endpoint, and a plain-text page at / saying what this is.
func (s *Site) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc(restPath, s.serveREST)
	mux.HandleFunc(loginPath, s.serveLogin)
	mux.HandleFunc("/", s.serveIndex)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.stats.request()
		if r.Method != http.MethodGet && r.Method != http.MethodPost {
			w.Header().Set("Allow", "GET, POST")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

func (s *Site) serveIndex(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("Know Thy Students demo Moodle (4.5). Web services: POST " + restPath +
		"; tokens: POST " + loginPath + ".\n"))
}

// serveREST answers Moodle's REST server: the reply, or an exception body,
// always with HTTP 200. The parameters are read as PHP reads them
// (wsfake.ReadRequest: lists in the order their items first appear in the
// body); GET works too, as in Moodle, which merges query and body parameters.
// The reply is always JSON (moodlewsrestformat=xml is not supported).
func (s *Site) serveREST(w http.ResponseWriter, r *http.Request) {
	req, err := wsfake.ReadRequest(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	fn := req.Value("wsfunction")
	if fn != "" {
		s.stats.call(fn)
	}
	params := req.FunctionParams()
	c := &call{ctx: r.Context(), s: s, base: s.baseURL(r), a: argsOf(params), raw: params, fn: fn}
	result, err := s.invoke(c, req.Value("wstoken"))
	body, merr := marshalResult(result, err)
	if merr != nil {
		http.Error(w, "demo: cannot encode reply", http.StatusInternalServerError)
		return
	}
	lat := s.opts.Latency
	d := lat.Request + lat.cost(fn, c.units) + c.extra
	if !sleep(r.Context(), d) {
		return // the client went away; nobody reads the reply
	}
	writeBody(w, body)
	if s.opts.Observe != nil {
		s.opts.Observe(RequestCost{Function: fn, Inner: c.inner, Modelled: d, Done: time.Now()})
	}
}

// baseURL is the site URL replies carry: Options.BaseURL, else the
// request's own scheme and host.
func (s *Site) baseURL(r *http.Request) string {
	if s.opts.BaseURL != "" {
		return strings.TrimRight(s.opts.BaseURL, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// call is one web-service function call: who asks, with what.
type call struct {
	ctx   context.Context
	s     *Site
	fn    string
	u     *user
	svc   *service
	a     args
	raw   *wsfake.Array // the parameters as PHP read them, for the batch function
	base  string
	units float64       // work done, for the latency model
	extra time.Duration // modelled time of the calls a batch ran
	inner []string      // the functions a batch ran
}

// work records units of work for the latency model.
func (c *call) work(n float64) { c.units += n }

// lockMode says how a function touches the site's data.
type lockMode int

const (
	lockRead  lockMode = iota // reads only
	lockWrite                 // writes (messages, notes, a status read that creates a record)
	lockNone                  // takes locks itself (the batch function)
)

// wsFunc is one implemented web-service function.
type wsFunc struct {
	version string
	lock    lockMode
	run     func(c *call) (any, error)
}

// invoke checks the token, the function and the service, then runs the
// function, in Moodle's order: an unknown token is invalidtoken before an
// unknown function is invalidrecord, before a function outside the token's
// service is accessexception.
func (s *Site) invoke(c *call, token string) (any, error) {
	s.mu.RLock()
	ti, ok := s.tokens[token]
	s.mu.RUnlock()
	if !ok {
		return nil, errInvalidToken()
	}
	c.u, c.svc = ti.user, ti.service
	f := s.funcs[c.fn]
	if f == nil {
		return nil, errMissingRecord("external_functions")
	}
	if !c.svc.allowed[c.fn] {
		return nil, errAccess()
	}
	switch f.lock {
	case lockRead:
		s.mu.RLock()
		defer s.mu.RUnlock()
	case lockWrite:
		s.mu.Lock()
		defer s.mu.Unlock()
	}
	return f.run(c)
}

// marshalResult encodes a reply or the exception body of err.
func marshalResult(result any, err error) ([]byte, error) {
	if err != nil {
		var we *wsError
		if !errors.As(err, &we) {
			we = errMoodle("generalexceptionmessage", err.Error())
		}
		return marshal(we.wire())
	}
	return marshal(result)
}

// marshal encodes JSON without HTML escaping (Moodle's json_encode keeps
// "<p>" readable) and without a trailing newline.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

func writeBody(w http.ResponseWriter, b []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "private, must-revalidate, pre-check=0, post-check=0, max-age=0")
	_, _ = w.Write(b)
}
