// Package wsfault makes a Moodle site misbehave on demand, the ways real sites do: slow, cut
// off, stalled halfway, HTTP 5xx or 403, an HTML page, truncated or oversized JSON, a
// redirect, a Moodle exception, a batch whose inner calls fail, a token revoked in the middle
// of a page load. Faults is an http.Handler wrapping a site's handler (the demo's, moodletest's
// or any other); tests put it between the dashboard and the fake.
//
// Only tests import it: the demo server is built without it.
//
//	f := wsfault.New(site.Handler())
//	remove := f.Inject(wsfault.Status(503).OnFunction("core_enrol_get_enrolled_users"))
//	defer remove()
package wsfault

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/knowthystudents/kts/internal/moodle/wsfake"
)

// LoginFunction is the name under which faults see /login/token.php requests.
const LoginFunction = "login"

// Faults wraps a site's handler and answers through the faults switched on. It is safe for
// concurrent use and can be switched while requests are in flight.
type Faults struct {
	next http.Handler
	done chan struct{}
	once sync.Once

	mu        sync.Mutex
	rules     []*rule
	requests  int
	inFlight  int
	abandoned int
}

// Stats counts the HTTP requests Faults saw.
type Stats struct {
	Requests int // received
	InFlight int // being answered now
	// Abandoned were given up by the client before their answer was complete (the dashboard
	// cancelled them, or timed out).
	Abandoned int
}

// New returns a Faults passing every request to next until a fault is injected.
func New(next http.Handler) *Faults {
	return &Faults{next: next, done: make(chan struct{})}
}

type kind int

const (
	kindDelay kind = iota + 1
	kindDrop
	kindStatus
	kindHTML
	kindTruncated
	kindLarge
	kindStall
	kindRedirect
	kindException
	kindInner
)

// Fault is one way for the site to misbehave. Build it with one of the functions below,
// narrow it with OnFunction, OnCall or From, and switch it on with Faults.Inject.
type Fault struct {
	kind     kind
	status   int
	body     []byte
	hasBody  bool
	delay    time.Duration
	size     int64
	location string
	code     string
	message  string
	userID   int
	fn       string
	nth      int
	from     int
}

// Delay answers normally after d, or not at all if the client gives up first.
func Delay(d time.Duration) Fault { return Fault{kind: kindDelay, delay: d} }

// Drop closes the connection without an answer, as a crashing PHP-FPM or a proxy does.
func Drop() Fault { return Fault{kind: kindDrop} }

// Status answers with HTTP status code and an empty body: a 403 is what Moodle sends when web
// services are switched off, a 5xx what PHP-FPM or the proxy send.
func Status(code int) Fault { return Fault{kind: kindStatus, status: code} }

// HTML answers HTTP 200 with an HTML maintenance page instead of JSON.
func HTML() Fault { return Fault{kind: kindHTML, body: []byte(MaintenancePage), hasBody: true} }

// Truncated answers HTTP 200 with the first half of the real reply, as when PHP dies while
// writing it.
func Truncated() Fault { return Fault{kind: kindTruncated} }

// LargeBody answers HTTP 200 with a valid JSON document of n bytes (at least 2).
func LargeBody(n int64) Fault { return Fault{kind: kindLarge, size: max(n, 2)} }

// Stall sends the headers and the first half of the real reply, then nothing more until the
// client gives up or Close is called: a reply that stalls halfway.
func Stall() Fault { return Fault{kind: kindStall} }

// Redirect answers with a redirect (301, 302, 303, 307 or 308) to location, as a site that
// moved or upgrades http to https does.
func Redirect(code int, location string) Fault {
	return Fault{kind: kindRedirect, status: code, location: location}
}

// Exception answers HTTP 200 with a Moodle exception body of errorcode code, as Moodle does
// for every error: Exception("invalidtoken", "Invalid token - token not found") from some
// call on is a token revoked in the middle of a load. Narrowed with OnFunction, it also breaks
// the inner calls of that function inside tool_mobile_call_external_functions (as Inner does,
// for every user), so a test does not depend on which calls a page batches.
func Exception(code, message string) Fault {
	return Fault{kind: kindException, code: code, message: message}
}

// Inner makes the inner calls of fn inside tool_mobile_call_external_functions fail with the
// exception code, the way Moodle reports one failing call of a batch: the batch itself
// succeeds, its responses stop at the failing call. userID limits it to the calls whose
// arguments carry that userid (0: every call of fn). Other inner calls run. OnCall and From
// do not apply to it.
func Inner(fn string, userID int, code, message string) Fault {
	return Fault{kind: kindInner, fn: fn, userID: userID, code: code, message: message}
}

// WithBody replaces the body the fault sends: for Status and HTML the whole body, for Delay
// the reply sent after the delay, for Truncated and Stall the part sent before the end or the
// stall (for instance to check that nothing of an error page reaches an error message).
func (f Fault) WithBody(b []byte) Fault {
	f.body, f.hasBody = append([]byte(nil), b...), true
	return f
}

// OnFunction limits the fault to requests calling wsfunction fn (LoginFunction for
// /login/token.php). For Inner it names the inner function already.
func (f Fault) OnFunction(fn string) Fault { f.fn = fn; return f }

// OnCall limits the fault to the nth request (1-based) it could apply to, counted from when it
// was injected: OnFunction(fn).OnCall(2) breaks only the second call of fn.
func (f Fault) OnCall(n int) Fault { f.nth = n; return f }

// From applies the fault to the nth request it could apply to and every one after it.
func (f Fault) From(n int) Fault { f.from = n; return f }

type rule struct {
	f    Fault
	seen int
}

// Inject switches f on until remove is called (or Clear). When several faults apply to a
// request, the first injected wins; each still counts the request for OnCall and From.
func (fs *Faults) Inject(f Fault) (remove func()) {
	r := &rule{f: f}
	fs.mu.Lock()
	fs.rules = append(fs.rules, r)
	fs.mu.Unlock()
	return func() {
		fs.mu.Lock()
		defer fs.mu.Unlock()
		for i, x := range fs.rules {
			if x == r {
				fs.rules = append(fs.rules[:i], fs.rules[i+1:]...)
				return
			}
		}
	}
}

// Clear switches every fault off: the site is healthy again.
func (fs *Faults) Clear() {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.rules = nil
}

// Close ends every stalled or delayed answer; the server using fs can then shut down.
func (fs *Faults) Close() { fs.once.Do(func() { close(fs.done) }) }

// Stats returns the request counts so far.
func (fs *Faults) Stats() Stats {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return Stats{Requests: fs.requests, InFlight: fs.inFlight, Abandoned: fs.abandoned}
}

// ServeHTTP answers r through the fault that applies to it, if any.
func (fs *Faults) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	req, err := wsfake.ReadRequest(r) // leaves r.Body readable for next
	if err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	fn := req.Value("wsfunction")
	if strings.HasSuffix(r.URL.Path, "/login/token.php") {
		fn = LoginFunction
	}
	f, inner := fs.begin(fn)
	defer fs.end(r)
	switch {
	case f != nil:
		fs.apply(w, r, f)
	case len(inner) > 0:
		fs.innerFaults(w, r, req, inner)
	default:
		fs.next.ServeHTTP(w, r)
	}
}

// begin counts the request and picks the fault for it, or the faults for the inner calls of
// a batch.
func (fs *Faults) begin(fn string) (*Fault, []Fault) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.requests++
	fs.inFlight++
	var picked *Fault
	var inner []Fault
	for _, r := range fs.rules {
		f := r.f
		innerToo := f.kind == kindException && f.fn != "" && f.fn != wsfake.BatchFunction
		if fn == wsfake.BatchFunction && (f.kind == kindInner || innerToo) {
			inner = append(inner, f)
		}
		if f.kind == kindInner || f.fn != "" && f.fn != fn {
			continue
		}
		r.seen++
		if picked == nil && (f.nth == 0 && f.from == 0 || r.seen == f.nth || f.from > 0 && r.seen >= f.from) {
			picked = &f
		}
	}
	return picked, inner
}

func (fs *Faults) end(r *http.Request) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.inFlight--
	if r.Context().Err() != nil {
		fs.abandoned++
	}
}

// wait sleeps d; it reports false when the client left or Close was called first.
func (fs *Faults) wait(r *http.Request, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
	case <-fs.done:
	}
	return false
}

func (fs *Faults) apply(w http.ResponseWriter, r *http.Request, f *Fault) {
	switch f.kind {
	case kindDelay:
		if !fs.wait(r, f.delay) {
			return
		}
		if f.hasBody {
			writeJSON(w, f.body)
			return
		}
		fs.next.ServeHTTP(w, r)
	case kindDrop:
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler) // closes the connection where hijacking is not possible
	case kindStatus:
		w.WriteHeader(f.status)
		w.Write(f.body)
	case kindHTML:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(f.body)
	case kindRedirect:
		w.Header().Set("Location", f.location)
		w.WriteHeader(f.status)
	case kindException:
		writeJSON(w, wsfake.RESTException(`core\exception\moodle_exception`, f.code, f.message))
	case kindLarge:
		writeLargeJSON(w, f.size)
	case kindTruncated, kindStall:
		part := f.body
		if !f.hasBody {
			real := fs.capture(r)
			part = real[:len(real)/2]
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		w.Write(part)
		if f.kind == kindStall {
			http.NewResponseController(w).Flush()
			select {
			case <-r.Context().Done():
			case <-fs.done:
			}
		}
	}
}

// capture runs the real handler and returns the body it wrote.
func (fs *Faults) capture(r *http.Request) []byte {
	rec := &bodyRecorder{header: http.Header{}}
	fs.next.ServeHTTP(rec, r)
	return rec.body.Bytes()
}

// bodyRecorder is the ResponseWriter capture gives the real handler.
type bodyRecorder struct {
	header http.Header
	body   bytes.Buffer
}

func (b *bodyRecorder) Header() http.Header         { return b.header }
func (b *bodyRecorder) Write(p []byte) (int, error) { return b.body.Write(p) }
func (b *bodyRecorder) WriteHeader(int)             {}

// InjectedFunction replaces the inner calls a fault breaks: no site has it, so the site
// answers that call with an exception and stops the batch there, as Moodle does; innerFaults
// then puts the fault's own exception in its place.
const InjectedFunction = "kts_injected_fault"

// innerFaults runs a batch with the inner calls that faults match broken. The calls are found
// in PHP's order of the requests array, the one the site answers in.
func (fs *Faults) innerFaults(w http.ResponseWriter, r *http.Request, req *wsfake.Request, faults []Fault) {
	reqs, ok := req.Post.Array("requests")
	if !ok {
		fs.next.ServeHTTP(w, r)
		return
	}
	broken := map[int]*Fault{}     // position in PHP's order -> fault
	brokenKey := map[string]bool{} // key in requests -> broken
	for i, key := range reqs.Keys() {
		item, _ := reqs.Array(key)
		if item == nil {
			continue
		}
		fn, _ := item.String("function")
		raw, _ := item.String("arguments")
		uid, _ := wsfake.FromJSON(raw).String("userid")
		for _, f := range faults {
			if fn == f.fn && (f.userID == 0 || uid == strconv.Itoa(f.userID)) {
				broken[i] = &f
				brokenKey[key] = true
				break
			}
		}
	}
	if len(broken) == 0 {
		fs.next.ServeHTTP(w, r)
		return
	}
	// Rewrite the body pair by pair, keeping its order, with the broken calls' functions
	// replaced.
	pairs := strings.Split(string(req.Body), "&")
	for i, p := range pairs {
		name, _, _ := strings.Cut(p, "=")
		dn, err := url.QueryUnescape(name)
		if err != nil {
			continue
		}
		key, ok := strings.CutPrefix(dn, "requests[")
		key, ok2 := strings.CutSuffix(key, "][function]")
		if ok && ok2 && brokenKey[key] {
			pairs[i] = name + "=" + InjectedFunction
		}
	}
	body := strings.Join(pairs, "&")
	r2 := r.Clone(r.Context())
	r2.Body = http.NoBody
	if body != "" {
		r2.Body = readCloser{strings.NewReader(body)}
	}
	r2.ContentLength = int64(len(body))
	out := fs.capture(r2)
	var reply struct {
		Responses []map[string]any `json:"responses"`
	}
	if json.Unmarshal(out, &reply) == nil && reply.Responses != nil {
		for i, resp := range reply.Responses {
			if f := broken[i]; f != nil && resp["error"] == true {
				resp["exception"] = string(wsfake.PHPJSON(struct {
					Message   string `json:"message"`
					Errorcode string `json:"errorcode"`
				}{f.message, f.code}))
			}
		}
		out = wsfake.PHPJSON(reply)
	}
	writeJSON(w, out)
}

type readCloser struct{ *strings.Reader }

func (readCloser) Close() error { return nil }

func writeJSON(w http.ResponseWriter, b []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(b)
}

// writeLargeJSON streams "[", spaces and "]": valid JSON of exactly n bytes.
func writeLargeJSON(w http.ResponseWriter, n int64) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	if _, err := w.Write([]byte("[")); err != nil {
		return
	}
	chunk := bytes.Repeat([]byte(" "), 32<<10)
	for left := n - 2; left > 0; {
		k := min(left, int64(len(chunk)))
		if _, err := w.Write(chunk[:k]); err != nil {
			return
		}
		left -= k
	}
	w.Write([]byte("]"))
}

// MaintenancePage is what a Moodle in maintenance mode, or a proxy in front of it, sends.
const MaintenancePage = `<!DOCTYPE html>
<html dir="ltr" lang="en" xml:lang="en">
<head><title>Site under maintenance</title></head>
<body><h1>Site under maintenance</h1><p>This site is undergoing maintenance and is currently not available.</p></body>
</html>
`
