package moodletest

import (
	"time"

	"github.com/knowthystudents/kts/internal/moodle/wsfault"
)

// Fault is one way for the fake to misbehave, to test how the client and the pages cope with
// a Moodle that is slow, down or broken (see wsfault, which the demo's tests use too). Build
// it with Delay, Drop, Status, HTML, Truncated, LargeBody, Stall or Redirect (or
// wsfault.Exception and wsfault.Inner: an exception body, failing inner calls of a batch),
// narrow it with OnFunction, OnCall and From, and switch it on with Server.Inject.
type Fault = wsfault.Fault

// Delay answers normally after d (or never, if the client gives up first).
func Delay(d time.Duration) Fault { return wsfault.Delay(d) }

// Drop closes the connection without answering, as a crashing server or a proxy cutting the
// connection does. (For a site that refuses connections, see Server.Refuse.)
func Drop() Fault { return wsfault.Drop() }

// Status answers with HTTP status code and an empty body (a 403 with an empty body is what
// Moodle sends when web services are off; 5xx come from PHP-FPM or the proxy).
func Status(code int) Fault { return wsfault.Status(code) }

// HTML answers HTTP 200 with an HTML page (a maintenance page) instead of JSON.
func HTML() Fault { return wsfault.HTML() }

// Truncated answers HTTP 200 with the first half of the real reply, as when PHP dies midway.
func Truncated() Fault { return wsfault.Truncated() }

// LargeBody answers HTTP 200 with a valid JSON document of n bytes, to test size limits.
func LargeBody(n int64) Fault { return wsfault.LargeBody(n) }

// Stall sends the headers and the first half of the real reply, then sends nothing more
// until the client gives up (or the server closes): a body that never ends.
func Stall() Fault { return wsfault.Stall() }

// Redirect answers with a redirect (301, 302, 303, 307 or 308) to location, as a site that
// moved or upgrades http to https does.
func Redirect(code int, location string) Fault { return wsfault.Redirect(code, location) }

// Inject switches f on until remove is called (or ClearFaults). When several faults apply to
// a request, the first injected wins; each still counts the request for OnCall.
func (s *Server) Inject(f Fault) (remove func()) { return s.faults.Inject(f) }

// ClearFaults switches every fault off.
func (s *Server) ClearFaults() { s.faults.Clear() }

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
