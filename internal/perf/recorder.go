package perf

import (
	"slices"
	"sync"

	"github.com/knowthystudents/kts/internal/demo"
)

// Recorder keeps the requests a demo site answered (plug Add into demo.Options.Observe).
type Recorder struct {
	mu   sync.Mutex
	reqs []demo.RequestCost
}

// Add records one request; it is safe for concurrent use.
func (r *Recorder) Add(c demo.RequestCost) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reqs = append(r.reqs, c)
}

// Take returns the requests recorded since the last Take and forgets them.
func (r *Recorder) Take() []demo.RequestCost {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := slices.Clone(r.reqs)
	r.reqs = r.reqs[:0]
	return out
}

// Calls counts web-service calls: each request, and each call a batch ran instead of its own.
func Calls(reqs []demo.RequestCost) int {
	n := 0
	for _, r := range reqs {
		if len(r.Inner) > 0 {
			n += len(r.Inner)
		} else {
			n++
		}
	}
	return n
}

// Modelled sums the time the model gave every request: what the load cost Moodle.
func Modelled(reqs []demo.RequestCost) (total int64) {
	for _, r := range reqs {
		total += int64(r.Modelled)
	}
	return total
}
