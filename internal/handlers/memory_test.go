package handlers_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"testing"

	"github.com/knowthystudents/kts/internal/auth"
)

// invalidLogin is a Moodle whose /login/token.php refuses every password.
var invalidLogin = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, `{"error":"Invalid login, please try again","errorcode":"invalidlogin"}`)
})

func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestHugeSignInFormsCostNoMemory is issue 18's probe: 80 sign-ins with 900 kB usernames
// (each from its own address, so that no client bucket refuses them early) once added 107 MB
// of RSS for minutes, each a throttle bucket keyed by the whole username. Not parallel: it
// measures the live heap.
func TestHugeSignInFormsCostNoMemory(t *testing.T) {
	th := auth.NewThrottle(5, 30e9)
	app := throttledApp(t, invalidLogin, th)
	statuses := map[int]int{}
	bodies := make([]string, 80)
	for i := range bodies {
		bodies[i] = url.Values{"username": {fmt.Sprintf("u%d", i) + strings.Repeat("a", 900_000)}, "password": {"guess"}}.Encode()
	}
	before := liveHeap()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	allocStart := ms.TotalAlloc
	for i, body := range bodies {
		st, err := postSignInBody(app, fmt.Sprintf("198.51.100.%d", i), body)
		if err != nil {
			t.Fatal(err)
		}
		statuses[st]++
	}
	runtime.ReadMemStats(&ms)
	perRequest := (ms.TotalAlloc - allocStart) / 80
	after := liveHeap()
	grew := int64(after) - int64(before)
	t.Logf("live heap %d kB before, %d kB after 80 sign-ins with 900 kB usernames (%+d kB); %d kB allocated per request; statuses %v; %d throttle entries",
		before>>10, after>>10, grew>>10, perRequest>>10, statuses, th.Entries())
	if grew > 2<<20 {
		t.Errorf("the live heap grew by %d kB; want under 2 MB", grew>>10)
	}
	// Not even for a moment: the body is refused before it is read.
	if perRequest > 512<<10 { // 65 kB measured, 160 kB with -race; reading the body was 3,000 kB
		t.Errorf("%d kB allocated per refused sign-in; want under 512 kB", perRequest>>10)
	}
	if statuses[http.StatusRequestEntityTooLarge] != 80 || th.Entries() != 0 {
		t.Errorf("statuses %v, %d throttle entries; want 80 × 413 (the sign-in form is 16 kB at most) and none", statuses, th.Entries())
	}
	runtime.KeepAlive(th)
	runtime.KeepAlive(bodies)
}

// TestSignInFieldsLongerThanMoodleAllowsAreRefusedFirst: a username over Moodle's 100
// characters, or a token over 128, is refused before the throttle or Moodle sees it.
func TestSignInFieldsLongerThanMoodleAllowsAreRefusedFirst(t *testing.T) {
	t.Parallel()
	th := auth.NewThrottle(5, 30e9)
	app := throttledApp(t, invalidLogin, th)
	for _, form := range []url.Values{
		{"username": {strings.Repeat("é", 101)}, "password": {"x"}},
		{"username": {"kts.teacher"}, "password": {strings.Repeat("x", 1025)}},
		{"token": {strings.Repeat("a", 129)}},
	} {
		st, err := postSignIn(app, "198.51.100.1", form)
		if err != nil {
			t.Fatal(err)
		}
		if st != http.StatusBadRequest {
			t.Errorf("%.40v…: status %d; want 400", form, st)
		}
	}
	if th.Entries() != 0 {
		t.Errorf("%d throttle entries after refused forms; want none", th.Entries())
	}
	// 100 characters is still a username Moodle is asked about.
	if st, _ := postSignIn(app, "198.51.100.1", url.Values{"username": {strings.Repeat("é", 100)}, "password": {"x"}}); st != http.StatusUnauthorized {
		t.Errorf("a 100-character username: %d; want 401 from Moodle", st)
	}
}
