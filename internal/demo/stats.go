package demo

import (
	"maps"
	"sync"
)

// stats counts what clients asked for, so tests and benchmarks can assert
// how many Moodle calls a page cost.
type stats struct {
	mu       sync.Mutex
	requests int
	calls    map[string]int
	batched  map[string]int
}

func (st *stats) init() {
	st.calls = map[string]int{}
	st.batched = map[string]int{}
}

func (st *stats) request() {
	st.mu.Lock()
	st.requests++
	st.mu.Unlock()
}

func (st *stats) call(fn string) {
	st.mu.Lock()
	st.calls[fn]++
	st.mu.Unlock()
}

func (st *stats) batchedCall(fn string) {
	st.mu.Lock()
	st.batched[fn]++
	st.mu.Unlock()
}

// Calls returns how many web-service requests named each wsfunction since
// the site was built or ResetCalls, counting failed requests too. Calls made
// inside tool_mobile_call_external_functions are counted by BatchedCalls, not
// here, so Calls matches the HTTP requests a client sent.
func (s *Site) Calls() map[string]int {
	s.stats.mu.Lock()
	defer s.stats.mu.Unlock()
	return maps.Clone(s.stats.calls)
}

// BatchedCalls returns how many calls of each function ran inside
// tool_mobile_call_external_functions batches, so a test can tell a batched
// fan-out from one request per student.
func (s *Site) BatchedCalls() map[string]int {
	s.stats.mu.Lock()
	defer s.stats.mu.Unlock()
	return maps.Clone(s.stats.batched)
}

// Requests returns the number of HTTP requests served (web services, token
// requests and anything else), the figure a cache test wants to see stay flat.
func (s *Site) Requests() int {
	s.stats.mu.Lock()
	defer s.stats.mu.Unlock()
	return s.stats.requests
}

// ResetCalls zeroes Calls, BatchedCalls and Requests, so a test can measure
// one page load on a site that served others before.
func (s *Site) ResetCalls() {
	s.stats.mu.Lock()
	defer s.stats.mu.Unlock()
	s.stats.requests = 0
	clear(s.stats.calls)
	clear(s.stats.batched)
}
