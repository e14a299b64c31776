package load_test

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/demo"
	"github.com/knowthystudents/kts/internal/load"
)

// TestSnapshotSizeEstimate keeps Snapshot.CacheSize, what the cache's byte bound counts,
// near the heap a 500-student snapshot and its built cohort really keep alive. Not parallel:
// it reads the heap.
func TestSnapshotSizeEstimate(t *testing.T) {
	h := newHarness(t)
	heap := func() uint64 {
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	// Other tests' goroutines may still be freeing memory while this one measures (the heap
	// can even shrink under -race): the estimate must hold in one of three tries, each on a
	// fresh course load.
	var last string
	for range 3 {
		h.l.Forget(h.who)
		before := heap()
		v, err := h.l.Course(h.ctx(), h.who, demo.BIG500CourseID, load.WaitComplete)
		if err != nil {
			t.Fatal(err)
		}
		c := v.Cohort(h.clock.now(), cohort.DefaultConfig())
		kept := int64(heap()) - int64(before)
		runtime.KeepAlive(c)
		est := v.CacheSize()
		t.Logf("500 students: %d kB kept, %d kB estimated", kept>>10, est>>10)
		if ratio := float64(est) / float64(kept); kept > 0 && ratio >= 0.7 && ratio <= 1.5 {
			return
		}
		last = fmt.Sprintf("CacheSize() = %d kB for %d kB kept on the heap", est>>10, kept>>10)
	}
	t.Errorf("%s: off by more than 0.7–1.5 in three tries", last)
}
