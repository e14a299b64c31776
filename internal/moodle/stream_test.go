package moodle_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/moodle"
)

// bigRoster is a core_enrol_get_enrolled_users reply of n students with the fields the
// loader asks for.
func bigRoster(n int) []byte {
	var b bytes.Buffer
	b.WriteByte('[')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":%d,"fullname":"Student Number %d","email":"student%d@school.example","firstaccess":1793000000,"lastaccess":1793100000,"lastcourseaccess":1793200000,"groups":[{"id":3,"name":"Group A","description":"","descriptionformat":1}],"roles":[{"roleid":5,"name":"","shortname":"student","sortorder":0}]}`, 1000+i, i, i)
	}
	b.WriteByte(']')
	return b.Bytes()
}

// TestLargeRepliesAreDecodedFromTheStream: a big reply costs about what it decodes to, not
// several times its size (issue 18: 10 teachers and a 10 MB roster took RSS from 51 to
// 405 MB). Reading the whole body, checking it and unmarshalling it allocated 3.2× the
// body; decoding the array element by element from the connection allocates its result and
// small buffers. Not parallel: it reads the allocator's totals.
func TestLargeRepliesAreDecodedFromTheStream(t *testing.T) {
	body := bigRoster(30_000)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	mc, err := moodle.New(srv.URL, moodle.Options{Timeout: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	allocated := func(f func()) uint64 {
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		start := ms.TotalAlloc
		f()
		runtime.ReadMemStats(&ms)
		return ms.TotalAlloc - start
	}
	// What the result itself costs: the same body unmarshalled from memory.
	var ref []moodle.EnrolledUser
	result := allocated(func() {
		if err := json.Unmarshal(body, &ref); err != nil {
			t.Fatal(err)
		}
	})
	var users []moodle.EnrolledUser
	alloc := allocated(func() {
		users, err = mc.EnrolledUsers(t.Context(), "tok", 2, moodle.EnrolledUsersOptions{})
	})
	if err != nil || len(users) != 30_000 {
		t.Fatalf("EnrolledUsers: %d users, %v", len(users), err)
	}
	over := float64(int64(alloc)-int64(result)) / float64(len(body))
	t.Logf("reply %d kB: the call allocated %d kB, unmarshalling it from memory %d kB: %.2f× the body on top of the result",
		len(body)>>10, alloc>>10, result>>10, over)
	if over > 0.5 {
		t.Errorf("the call allocated %.2f× the %d kB body on top of what its result needs; want under 0.5×", over, len(body)>>10)
	}
}

// BenchmarkLongRunsOfSpace: Go's stream decoder re-scans a run of white space each time it
// reads more, so megabytes of padding (a misbehaving proxy or PHP's output buffering, seen in
// fault tests) took time quadratic in their length: 16 MB took 17 s. Runs are cut to one byte
// before the decoder (TestSpaceRunsKeepJSON); ns/op of the sizes here grows about linearly.
func BenchmarkLongRunsOfSpace(b *testing.B) {
	for _, pad := range []int{4 << 20, 16 << 20} {
		b.Run(fmt.Sprintf("%dMB", pad>>20), func(b *testing.B) {
			mc := paddedRoster(b, pad)
			for b.Loop() {
				if users, err := mc.EnrolledUsers(b.Context(), "tok", 2, moodle.EnrolledUsersOptions{}); err != nil || len(users) != 2 {
					b.Fatalf("EnrolledUsers: %d users, %v", len(users), err)
				}
			}
		})
	}
}

// TestLongRunsOfSpaceDecode: a reply padded with 16 MB of white space, sent in chunks as a
// streaming PHP would, still decodes to its two users within the size limit.
func TestLongRunsOfSpaceDecode(t *testing.T) {
	t.Parallel()
	mc := paddedRoster(t, 16<<20)
	users, err := mc.EnrolledUsers(t.Context(), "tok", 2, moodle.EnrolledUsersOptions{})
	if err != nil || len(users) != 2 {
		t.Fatalf("EnrolledUsers: %d users, %v", len(users), err)
	}
}

// paddedRoster is a client of a Moodle whose roster reply holds pad bytes of white space.
func paddedRoster(tb testing.TB, pad int) *moodle.Client {
	tb.Helper()
	body := append(append([]byte(`[{"id":1}`), bytes.Repeat([]byte(" \n"), pad/2)...), `,{"id":2}]`...)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		for b := body; len(b) > 0; b = b[min(len(b), 32<<10):] {
			w.Write(b[:min(len(b), 32<<10)]) // chunked, as a streaming PHP would send it
		}
	}))
	tb.Cleanup(srv.Close)
	mc, err := moodle.New(srv.URL, moodle.Options{Timeout: time.Minute, MaxBodyBytes: 32 << 20})
	if err != nil {
		tb.Fatal(err)
	}
	return mc
}
