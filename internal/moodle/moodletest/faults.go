package moodletest

import (
	"bytes"
	"net/http"
	"time"
)

type faultKind int

const (
	faultDelay faultKind = iota + 1
	faultDrop
	faultStatus
	faultHTML
	faultTruncate
	faultLarge
	faultStall
	faultRedirect
)

// Fault is one way for the fake to misbehave, to test how the client and the pages cope with
// a Moodle that is slow, down or broken. Build it with Delay, Drop, Status, HTML, Truncated,
// LargeBody, Stall or Redirect, narrow it with OnFunction and OnCall, and switch it on with
// Server.Inject. Faults act on HTTP requests, not on the inner calls of a batch (use a
// handler returning Exception for those).
type Fault struct {
	kind     faultKind
	status   int
	body     []byte
	hasBody  bool
	size     int64
	delay    time.Duration
	location string
	fn       string
	nth      int
}

// Delay answers normally after d (or never, if the client gives up first).
func Delay(d time.Duration) Fault { return Fault{kind: faultDelay, delay: d} }

// Drop closes the connection without answering, as a crashing server or a proxy cutting the
// connection does. (For a site that refuses connections, see Server.Refuse.)
func Drop() Fault { return Fault{kind: faultDrop} }

// Status answers with HTTP status code and an empty body (a 403 with an empty body is what
// Moodle sends when web services are off; 5xx come from PHP-FPM or the proxy).
func Status(code int) Fault { return Fault{kind: faultStatus, status: code} }

// HTML answers HTTP 200 with an HTML page (a maintenance page) instead of JSON.
func HTML() Fault { return Fault{kind: faultHTML, body: []byte(htmlPage)} }

// Truncated answers HTTP 200 with the first half of the real reply, as when PHP dies midway.
func Truncated() Fault { return Fault{kind: faultTruncate} }

// LargeBody answers HTTP 200 with a valid JSON document of n bytes, to test size limits.
func LargeBody(n int64) Fault { return Fault{kind: faultLarge, size: n} }

// Stall sends the headers and the first half of the real reply, then sends nothing more
// until the client gives up (or the server closes): a body that never ends.
func Stall() Fault { return Fault{kind: faultStall} }

// Redirect answers with a redirect (301, 302, 303, 307 or 308) to location, as a site that
// moved or upgrades http to https does.
func Redirect(code int, location string) Fault {
	return Fault{kind: faultRedirect, status: code, location: location}
}

// WithBody replaces the body the fault sends (Status, HTML, Delay; for Truncated and Stall,
// the part sent before the end or the stall), for instance to check that nothing of an
// error page reaches an error message.
func (f Fault) WithBody(b []byte) Fault {
	f.body, f.hasBody = append([]byte(nil), b...), true
	return f
}

// OnFunction limits the fault to calls of fn (LoginFunction for /login/token.php).
func (f Fault) OnFunction(fn string) Fault { f.fn = fn; return f }

// OnCall limits the fault to the nth request (1-based) it could apply to, counted from when
// it is injected: OnFunction(fn).OnCall(2) breaks only the second call of fn.
func (f Fault) OnCall(n int) Fault { f.nth = n; return f }

// replaces reports whether the fault answers without computing the real reply.
func (f Fault) replaces() bool {
	switch f.kind {
	case faultDrop, faultStatus, faultHTML, faultLarge, faultRedirect:
		return true
	}
	return false
}

// injected is a fault switched on, with the count of requests it could apply to.
type injected struct {
	f    Fault
	seen int
}

// Inject switches f on until remove is called (or ClearFaults). When several faults apply to
// a request, the first injected wins; each still counts the request for OnCall.
func (s *Server) Inject(f Fault) (remove func()) {
	in := &injected{f: f}
	s.mu.Lock()
	s.faults = append(s.faults, in)
	s.mu.Unlock()
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		for i, x := range s.faults {
			if x == in {
				s.faults = append(s.faults[:i], s.faults[i+1:]...)
				return
			}
		}
	}
}

// ClearFaults switches every fault off.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// SetLatency makes every request take perRequest, plus perItem for each call it runs (one,
// or the inner calls of a batch that ran), as a real Moodle's cost grows with the work.
func (s *Server) SetLatency(perRequest, perItem time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency, s.perItem = perRequest, perItem
}

// Refuse closes the listening socket and every open connection: from then on, connecting to
// the site is refused, as for a Moodle that is down. It cannot be undone; start another
// server instead.
func (s *Server) Refuse() {
	s.ts.Listener.Close()
	s.ts.CloseClientConnections()
}

func (s *Server) requestLatency() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.latency
}

func (s *Server) itemLatency() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.perItem
}

// pickFault returns the fault for a call of fn; the caller holds s.mu.
func (s *Server) pickFault(fn string) *Fault {
	var picked *Fault
	for _, in := range s.faults {
		if in.f.fn != "" && in.f.fn != fn {
			continue
		}
		in.seen++
		if picked == nil && (in.f.nth == 0 || in.seen == in.f.nth) {
			f := in.f
			picked = &f
		}
	}
	return picked
}

// applyFault answers r the broken way f describes; real is the reply the fake would have
// sent (nil for faults that replace it).
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, f *Fault, real []byte) {
	body := real
	if f.hasBody || f.kind == faultHTML {
		body = f.body
	}
	switch f.kind {
	case faultDelay:
		if s.sleep(r, f.delay) {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.Write(body)
		}
	case faultDrop:
		hj, ok := w.(http.Hijacker)
		if !ok {
			panic("moodletest: Drop needs a connection that can be hijacked")
		}
		conn, _, err := hj.Hijack()
		if err == nil {
			conn.Close()
		}
	case faultStatus:
		w.WriteHeader(f.status)
		w.Write(body)
	case faultHTML:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(body)
	case faultTruncate:
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		if !f.hasBody {
			body = body[:len(body)/2]
		}
		w.Write(body)
	case faultLarge:
		writeLarge(w, f.size)
	case faultStall:
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		if !f.hasBody {
			body = body[:len(body)/2]
		}
		w.Write(body)
		http.NewResponseController(w).Flush()
		select {
		case <-r.Context().Done():
		case <-s.done:
		}
	case faultRedirect:
		w.Header().Set("Location", f.location)
		w.WriteHeader(f.status)
	}
}

// writeLarge streams "[", n-2 spaces and "]": valid JSON of exactly n bytes (at least 2).
func writeLarge(w http.ResponseWriter, n int64) {
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
