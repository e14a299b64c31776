// Package moodletest is a fake Moodle for tests: an httptest.Server that replays the replies
// recorded from a real Moodle 4.5 (moodlefixtures) for the exact requests that
// produced them, so tests exercise the real client against real shapes instead of mocks.
//
// Start one per test with New, tell it which tokens exist with AddToken (the token's kind
// picks the teacher's or the student's recording of the same call), and read what a page
// cost with Calls and TotalCalls. Register replies for cases nobody recorded with Reply and
// Handle, and break the transport on purpose with Inject, SetLatency and Refuse.
//
// How a call of /webservice/rest/server.php is answered, in order:
//
//  1. an unknown wstoken gets invalidtoken (InvalidTokenBody);
//  2. a reply registered with Reply for the exact parameters, then a Handle handler;
//  3. the recording whose wsfunction and parameters (all but wstoken) are exactly the
//     request's and whose token_kind is the token's kind;
//  4. a wsfunction that does not exist (not in the mobile service's function list, nor
//     registered) gets invalidrecord, as from Moodle (InvalidRecordBody), or accessexception
//     inside a batch, which asks the token's service before anything else;
//  5. a function outside the token's service gets accessexception (AccessExceptionBody): the
//     "custom-service" kinds allow the 23 functions of the recorded know_thy_students
//     service, the "mobile-app" kinds the 431 of moodle_mobile_app;
//  6. the same recording made with a token of the same role in the other service (a
//     mobile-app teacher gets the custom-service teacher's roster), unless it was a
//     token-specific error (accessexception, invalidtoken);
//  7. tool_mobile_call_external_functions is run like Moodle does (wsfake.RunBatch): the
//     inner calls in PHP's array order, each answered by these same rules, the batch stopping
//     after the first failing one;
//  8. anything else gets invalidparameter (InvalidParameterBody), which is what Moodle says
//     for parameters it cannot use; the miss is logged and listed by Misses.
//
// Requests are read as PHP reads them (wsfake.ReadRequest): parameters in the order they
// first appear in the body, a repeated field's last value winning, each list renumbered in that
// order before it is matched against the recordings. A client that sends a list's items out
// of order gets the replies in the order PHP saw them, as from a real Moodle.
//
// /login/token.php is described at AddAccount.
package moodletest

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/moodle/wsfake"
	"github.com/knowthystudents/kts/internal/moodle/wsfault"
)

// Endpoints of a Moodle site, as the client calls them.
const (
	RESTPath  = "/webservice/rest/server.php"
	TokenPath = "/login/token.php"
)

// LoginFunction is the name under which /login/token.php calls are counted, registered and
// logged, the same name the client gives them in errors.
const LoginFunction = "login"

// BatchFunction is Moodle's batch call, which the fake runs inner call by inner call.
const BatchFunction = wsfake.BatchFunction

// Token kinds of the recordings (manifest token_kind). A kind is "<service> <role>": the
// service decides which functions a token may call, the role which recording it gets.
const (
	KindTeacher       = "custom-service teacher"
	KindMobileTeacher = "mobile-app teacher"
	KindStudent       = "custom-service student"
	KindMobileStudent = "mobile-app student"
	KindTutor         = "custom-service tutor (non-editing teacher, Group A only)"
)

// Call is one wsfunction call as the fake sees it, handed to a HandlerFunc.
type Call struct {
	Function string
	// Params are the call's parameters in Moodle's bracket notation, without wstoken,
	// wsfunction and moodlewsrestformat, each list renumbered 0, 1, ... in the order PHP read
	// it (see wsfake.Flatten). Inner calls of a batch get their JSON arguments flattened the
	// same way (courseids[0]=2).
	Params  map[string]string
	Token   string
	Kind    string // the token's kind, "" for /login/token.php
	Batched bool   // an inner call of tool_mobile_call_external_functions
}

// HandlerFunc answers a call with the body Moodle would send (HTTP 200, as Moodle does even
// for errors: see Exception).
type HandlerFunc func(Call) []byte

// Request is one HTTP request the fake received, kept so that tests can check what the
// client put on the wire.
type Request struct {
	Method   string
	Path     string
	RawQuery string // should stay empty: the token belongs in the body
	Function string // wsfunction, or LoginFunction
	Token    string // wstoken as received, from the body or the query
	// Body holds the form fields of the POST body, wstoken and passwords included.
	Body url.Values
	// RawBody is the body as sent, in the client's order.
	RawBody string
	Header  http.Header
}

// Account is a user who may sign in at /login/token.php.
//
// A recorded exchange whose password is "REDACTED" replays for the account's username when
// the password sent equals Password; its token "REDACTED" is replaced by Tokens[service]
// when set. Without a recording the fake behaves like token.php: a missing field is
// missingparam, an unknown user or wrong password invalidlogin, a service other than
// moodle_mobile_app, know_thy_students or one of Tokens servicenotavailable, and a service
// without a token in Tokens cannotcreatetoken.
type Account struct {
	Username string
	Password string
	Tokens   map[string]string // service shortname -> token
}

// Server is a fake Moodle site. Its methods are safe for concurrent use, also while the
// client is calling it.
type Server struct {
	// URL is the site's base URL, for moodle.New.
	URL string

	ts   *httptest.Server
	tb   testing.TB
	fx   *Fixtures
	idx  *index
	done chan struct{}
	once sync.Once

	mu       sync.Mutex
	tokens   map[string]string // token -> kind
	accounts map[string]Account
	replies  map[string][]byte // replyKey -> body
	handlers map[string]HandlerFunc
	faults   *wsfault.Faults
	latency  time.Duration
	perItem  time.Duration
	calls    map[string]int
	batched  map[string]int
	total    int
	log      []Request
	misses   []Call
}

// New starts a fake Moodle serving fx (nil serves registered replies only) and stops it when
// the test ends.
func New(tb testing.TB, fx *Fixtures) *Server {
	tb.Helper()
	s := &Server{
		tb:       tb,
		fx:       fx,
		idx:      newIndex(fx),
		done:     make(chan struct{}),
		tokens:   map[string]string{},
		accounts: map[string]Account{},
		replies:  map[string][]byte{},
		handlers: map[string]HandlerFunc{},
		calls:    map[string]int{},
		batched:  map[string]int{},
	}
	s.faults = wsfault.New(http.HandlerFunc(s.answer))
	s.ts = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	s.URL = s.ts.URL
	tb.Cleanup(s.Close)
	return s
}

// Close stops the server, releasing any stalled or delayed reply. New arranges for it to run
// when the test ends; calling it earlier is fine.
func (s *Server) Close() {
	s.once.Do(func() {
		close(s.done)
		s.faults.Close()
		s.ts.CloseClientConnections()
		s.ts.Close()
	})
}

// AddToken makes token valid, of kind (one of the Kind constants, or any "<service> <role>"
// of your own: an unknown service allows every function).
func (s *Server) AddToken(token, kind string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[token] = kind
}

// AddAccount lets a user sign in at /login/token.php (see Account).
func (s *Server) AddAccount(a Account) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.accounts[a.Username] = a
}

// Reply makes the fake answer calls of fn whose parameters (without wstoken, wsfunction and
// moodlewsrestformat) are exactly params with body, for every valid token. It also applies
// to inner calls of a batch, and to LoginFunction with the login form as params.
func (s *Server) Reply(fn string, params map[string]string, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.replies[replyKey(fn, params)] = append([]byte(nil), body...)
}

// Handle makes h answer every call of fn that no Reply matches, ahead of the recordings.
func (s *Server) Handle(fn string, h HandlerFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handlers[fn] = h
}

// Calls returns how many HTTP requests called fn (LoginFunction for /login/token.php).
// Inner calls of a batch are not HTTP requests: see BatchedCalls.
func (s *Server) Calls(fn string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[fn]
}

// BatchedCalls returns how many inner calls of fn batches ran (the batch stops at the first
// failure, so calls after it are not counted).
func (s *Server) BatchedCalls(fn string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.batched[fn]
}

// TotalCalls returns the number of HTTP requests received, whatever their path.
func (s *Server) TotalCalls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.total
}

// Requests returns the requests received since the start or the last Reset, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.log))
	copy(out, s.log)
	return out
}

// Misses returns the calls that matched nothing and got invalidparameter: in a test of a page
// they usually mean the page asks for something the fixtures do not hold.
func (s *Server) Misses() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Call, len(s.misses))
	copy(out, s.misses)
	return out
}

// Reset zeroes the counters and forgets the requests and misses, so that a test can measure
// one page load after warming up. Tokens, replies, handlers and faults stay.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls, s.batched = map[string]int{}, map[string]int{}
	s.total, s.log, s.misses = 0, nil, nil
}

// serveHTTP records the request, waits the request's latency and answers it through the
// faults switched on.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	req, err := wsfake.ReadRequest(r) // leaves r.Body readable for answer
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	fn := req.Value("wsfunction")
	if r.URL.Path == TokenPath {
		fn = LoginFunction
	}
	s.record(r, req, fn)
	if !s.sleep(r, s.requestLatency()) {
		return
	}
	s.faults.ServeHTTP(w, r)
}

// answer answers a request as Moodle would, after the latency of the calls it ran.
func (s *Server) answer(w http.ResponseWriter, r *http.Request) {
	req, err := wsfake.ReadRequest(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var body []byte
	var items int
	switch r.URL.Path {
	case RESTPath:
		body, items = s.answerREST(req)
	case TokenPath:
		body, items = s.answerLogin(req), 1
	default:
		http.NotFound(w, r)
		return
	}
	if !s.sleep(r, time.Duration(items)*s.itemLatency()) {
		return
	}
	contentType := "application/json; charset=utf-8"
	if strings.HasPrefix(string(body), "<?xml") {
		contentType = "application/xml; charset=utf-8"
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

// record counts and logs the request.
func (s *Server) record(r *http.Request, req *wsfake.Request, fn string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.total++
	s.calls[fn]++
	s.log = append(s.log, Request{
		Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Function: fn,
		Token: req.Value("wstoken"), Body: req.PostValues(), RawBody: string(req.Body), Header: r.Header.Clone(),
	})
}

// sleep waits d, or less when the client gives up or the server closes; it reports whether
// the request should still be answered.
func (s *Server) sleep(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
	case <-s.done:
	}
	return false
}

// answerREST answers a call of the REST server and says how many calls it ran (inner calls
// for a batch), for the per-item latency.
func (s *Server) answerREST(req *wsfake.Request) ([]byte, int) {
	if req.Value("moodlewsrestformat") != "json" {
		return []byte(xmlBody), 1
	}
	token := req.Value("wstoken")
	s.mu.Lock()
	kind, ok := s.tokens[token]
	s.mu.Unlock()
	if !ok {
		return []byte(InvalidTokenBody), 1
	}
	args := req.FunctionParams()
	c := Call{Function: req.Value("wsfunction"), Params: wsfake.Flatten(args), Token: token, Kind: kind}
	return s.resolve(c, args)
}

// resolve answers one call with a valid token (rules 2 to 8 of the package comment); args
// are its parameters as PHP read them.
func (s *Server) resolve(c Call, args *wsfake.Array) ([]byte, int) {
	if b, ok := s.registered(c); ok {
		return b, 1
	}
	if e, ok := s.idx.exact(c.Function, c.Params, c.Kind); ok {
		return s.fx.bodies[e.File], 1
	}
	if !s.known(c.Function) {
		if c.Batched { // the batch asks the service first: not in it, whether it exists or not
			return []byte(AccessExceptionBody), 1
		}
		return []byte(InvalidRecordBody), 1
	}
	if !s.idx.allows(c.Kind, c.Function) {
		return []byte(AccessExceptionBody), 1
	}
	if e, ok := s.idx.sameRole(c.Function, c.Params, c.Kind); ok {
		return s.fx.bodies[e.File], 1
	}
	if c.Function == BatchFunction && !c.Batched {
		return s.runBatch(c, args)
	}
	s.mu.Lock()
	s.misses = append(s.misses, c)
	s.mu.Unlock()
	s.tb.Logf("moodletest: no reply for %s %v (token kind %q): answering invalidparameter", c.Function, c.Params, c.Kind)
	return []byte(InvalidParameterBody), 1
}

// registered finds a Reply for the exact call, then a Handle handler.
func (s *Server) registered(c Call) ([]byte, bool) {
	s.mu.Lock()
	b, ok := s.replies[replyKey(c.Function, c.Params)]
	h := s.handlers[c.Function]
	s.mu.Unlock()
	if ok {
		return b, true
	}
	if h != nil {
		return h(c), true
	}
	return nil, false
}

// known reports whether fn exists on the fake site: Moodle answers invalidrecord otherwise.
func (s *Server) known(fn string) bool {
	if fn == BatchFunction || s.idx.exists(fn) {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.handlers[fn]; ok {
		return true
	}
	for k := range s.replies {
		if strings.HasPrefix(k, fn+"\x00") {
			return true
		}
	}
	return false
}

// replyKey identifies a function and an exact parameter set.
func replyKey(fn string, params map[string]string) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(fn)
	b.WriteByte(0)
	for _, k := range keys {
		b.WriteString(url.QueryEscape(k))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(params[k]))
		b.WriteByte('&')
	}
	return b.String()
}
