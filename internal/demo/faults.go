package demo

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Faults wraps a Moodle site's handler (the demo's, or any other) and makes it misbehave on
// demand the ways real sites do: slow, cut off, stalled halfway, HTTP 5xx or 403, an HTML
// page, truncated or oversized JSON, a Moodle exception, a batch whose inner calls fail, a
// token revoked in the middle of a page load. Handler tests and the load test put it between
// the dashboard and the demo to see what a teacher gets; it is safe for concurrent use and
// can be switched while requests are in flight.
//
//	f := demo.NewFaults(site.Handler())
//	remove := f.Inject(demo.FaultStatus(503).OnFunction("core_enrol_get_enrolled_users"))
//	defer remove()
type Faults struct {
	next http.Handler
	done chan struct{}
	once sync.Once

	mu        sync.Mutex
	rules     []*faultRule
	requests  int
	inFlight  int
	abandoned int
}

// FaultStats counts the HTTP requests Faults saw.
type FaultStats struct {
	Requests int // received
	InFlight int // being answered now
	// Abandoned were given up by the client before their answer was complete (the dashboard
	// cancelled them, or timed out).
	Abandoned int
}

// NewFaults returns a Faults passing every request to next until a fault is injected.
func NewFaults(next http.Handler) *Faults {
	return &Faults{next: next, done: make(chan struct{})}
}

type faultKind int

const (
	faultDelay faultKind = iota + 1
	faultDrop
	faultStatus
	faultHTML
	faultTruncated
	faultLarge
	faultStall
	faultException
	faultInner
)

// Fault is one way for the site to misbehave. Build it with one of the Fault functions,
// narrow it with OnFunction, OnCall or From, and switch it on with Faults.Inject.
type Fault struct {
	kind    faultKind
	status  int
	body    []byte
	delay   time.Duration
	size    int64
	code    string
	message string
	userID  int
	fn      string
	nth     int
	from    int
}

// FaultDelay answers normally after d, or not at all if the client gives up first.
func FaultDelay(d time.Duration) Fault { return Fault{kind: faultDelay, delay: d} }

// FaultDrop closes the connection without an answer, as a crashing PHP-FPM or a proxy does.
func FaultDrop() Fault { return Fault{kind: faultDrop} }

// FaultStatus answers with HTTP status code and an empty body: a 403 is what Moodle sends
// when web services are switched off, a 5xx what PHP-FPM or the proxy send.
func FaultStatus(code int) Fault { return Fault{kind: faultStatus, status: code} }

// FaultHTML answers HTTP 200 with an HTML maintenance page instead of JSON.
func FaultHTML() Fault { return Fault{kind: faultHTML, body: []byte(maintenancePage)} }

// FaultTruncated answers HTTP 200 with the first half of the real reply, as when PHP dies
// while writing it.
func FaultTruncated() Fault { return Fault{kind: faultTruncated} }

// FaultLargeBody answers HTTP 200 with a valid JSON document of n bytes (at least 2).
func FaultLargeBody(n int64) Fault { return Fault{kind: faultLarge, size: max(n, 2)} }

// FaultStall sends the headers and the first half of the real reply, then nothing more until
// the client gives up or Close is called: a reply that stalls halfway.
func FaultStall() Fault { return Fault{kind: faultStall} }

// FaultException answers HTTP 200 with a Moodle exception body of errorcode code, as Moodle
// does for every error: FaultException("invalidtoken", "Invalid token - token not found")
// from some call on is a token revoked in the middle of a load. Narrowed with OnFunction, it
// also breaks the inner calls of that function inside tool_mobile_call_external_functions (as
// FaultInner does, for every user), so a test does not depend on which calls a page batches.
func FaultException(code, message string) Fault {
	return Fault{kind: faultException, code: code, message: message}
}

// FaultInner makes the inner calls of fn inside tool_mobile_call_external_functions fail with
// the exception code, the way Moodle reports one failing call of a batch: the batch itself
// succeeds, its responses stop at the failing call. userID limits it to the calls whose
// arguments carry that userid (0: every call of fn). Other inner calls run. OnCall and From
// do not apply to it.
func FaultInner(fn string, userID int, code, message string) Fault {
	return Fault{kind: faultInner, fn: fn, userID: userID, code: code, message: message}
}

// WithBody replaces the body a FaultStatus or FaultHTML sends.
func (f Fault) WithBody(b []byte) Fault {
	f.body = append([]byte(nil), b...)
	return f
}

// OnFunction limits the fault to requests calling wsfunction fn ("login" for
// /login/token.php). For FaultInner it names the inner function already.
func (f Fault) OnFunction(fn string) Fault { f.fn = fn; return f }

// OnCall limits the fault to the nth request (1-based) it could apply to, counted from when it
// was injected.
func (f Fault) OnCall(n int) Fault { f.nth = n; return f }

// From applies the fault to the nth request it could apply to and every one after it.
func (f Fault) From(n int) Fault { f.from = n; return f }

type faultRule struct {
	f    Fault
	seen int
}

// Inject switches f on until remove is called (or Clear). When several faults apply to a
// request, the first injected wins; each still counts the request for OnCall and From.
func (fs *Faults) Inject(f Fault) (remove func()) {
	rule := &faultRule{f: f}
	fs.mu.Lock()
	fs.rules = append(fs.rules, rule)
	fs.mu.Unlock()
	return func() {
		fs.mu.Lock()
		defer fs.mu.Unlock()
		for i, r := range fs.rules {
			if r == rule {
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
func (fs *Faults) Stats() FaultStats {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return FaultStats{Requests: fs.requests, InFlight: fs.inFlight, Abandoned: fs.abandoned}
}

// ServeHTTP answers r through the fault that applies to it, if any.
func (fs *Faults) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	fn := r.PostForm.Get("wsfunction")
	if r.URL.Path == loginPath {
		fn = "login"
	}
	f, inner := fs.begin(fn)
	defer fs.end(r)
	switch {
	case f != nil:
		fs.apply(w, r, f)
	case len(inner) > 0:
		fs.innerFaults(w, r, inner)
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
	for _, rule := range fs.rules {
		f := rule.f
		innerToo := f.kind == faultException && f.fn != "" && f.fn != batchFunction
		if fn == batchFunction && (f.kind == faultInner || innerToo) {
			inner = append(inner, f)
		}
		if f.kind == faultInner || f.fn != "" && f.fn != fn {
			continue
		}
		rule.seen++
		if picked == nil && (f.nth == 0 && f.from == 0 || rule.seen == f.nth || f.from > 0 && rule.seen >= f.from) {
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
	case faultDelay:
		if fs.wait(r, f.delay) {
			fs.next.ServeHTTP(w, r)
		}
	case faultDrop:
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler) // closes the connection where hijacking is not possible
	case faultStatus:
		w.WriteHeader(f.status)
		w.Write(f.body)
	case faultHTML:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(f.body)
	case faultException:
		writeBody(w, exceptionBody(f.code, f.message))
	case faultLarge:
		writeLargeJSON(w, f.size)
	case faultTruncated, faultStall:
		real := fs.capture(r)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		w.Write(real[:len(real)/2])
		if f.kind == faultStall {
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

const batchFunction = "tool_mobile_call_external_functions"

// injectedFunction replaces the inner calls a fault breaks: no site has it, so the site
// answers that call with an exception and stops the batch there, as Moodle does; innerFaults
// then puts the fault's own exception in its place.
const injectedFunction = "kts_demo_injected_fault"

// innerFaults runs a batch with the inner calls that faults match broken.
func (fs *Faults) innerFaults(w http.ResponseWriter, r *http.Request, faults []Fault) {
	broken := map[int]*Fault{}
	for k, v := range r.PostForm {
		idx, ok := strings.CutPrefix(k, "requests[")
		idx, ok2 := strings.CutSuffix(idx, "][function]")
		i, err := strconv.Atoi(idx)
		if !ok || !ok2 || err != nil || len(v) == 0 {
			continue
		}
		var args struct {
			UserID json.Number `json:"userid"`
		}
		json.Unmarshal([]byte(r.PostForm.Get("requests["+idx+"][arguments]")), &args)
		for _, f := range faults {
			if v[0] == f.fn && (f.userID == 0 || args.UserID.String() == strconv.Itoa(f.userID)) {
				broken[i] = &f
				r.PostForm.Set(k, injectedFunction)
				break
			}
		}
	}
	if len(broken) == 0 {
		fs.next.ServeHTTP(w, r)
		return
	}
	r.Form = r.URL.Query()
	for k, v := range r.PostForm {
		r.Form[k] = v
	}
	body := fs.capture(r)
	var reply struct {
		Responses []map[string]any `json:"responses"`
	}
	if json.Unmarshal(body, &reply) == nil && reply.Responses != nil {
		for i, resp := range reply.Responses {
			if f := broken[i]; f != nil && resp["error"] == true {
				exc, _ := marshal(map[string]string{"message": f.message, "errorcode": f.code})
				resp["exception"] = string(exc)
			}
		}
		if b, err := marshal(reply); err == nil {
			body = b
		}
	}
	writeBody(w, body)
}

// exceptionBody is a REST error body as Moodle sends it, HTTP 200.
func exceptionBody(code, message string) []byte {
	b, _ := marshal(wireException{Exception: exMoodle, Errorcode: code, Message: message})
	return b
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

// maintenancePage is what a Moodle in maintenance mode, or a proxy in front of it, sends.
const maintenancePage = `<!DOCTYPE html>
<html lang="en"><head><title>Site under maintenance</title></head>
<body><h1>Site under maintenance</h1><p>This site is undergoing maintenance and is currently not available.</p></body>
</html>
`
