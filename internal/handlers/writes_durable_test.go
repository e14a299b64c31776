package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/demo"
	"github.com/knowthystudents/kts/internal/moodle"
	"github.com/knowthystudents/kts/internal/moodle/wsfault"
	"github.com/knowthystudents/kts/internal/store"
	"github.com/knowthystudents/kts/internal/store/storetest"
)

const teacherID = 3 // kts.teacher's Moodle user id

func withStore(st *store.Store) func(*writeOptions) { return func(o *writeOptions) { o.store = st } }

// crashedClaim records in st what a server records before it calls Moodle for a message to
// student 14 under key (the write, and the recipient claimed), as a server that was killed
// right then leaves it.
func crashedClaim(t *testing.T, we *writeEnv, st *store.Store, key string) {
	t.Helper()
	then := seeded.Add(-5 * time.Minute)
	k := store.WriteKey{Site: we.client.BaseURL(), UserID: teacherID, Kind: "message", Key: key}
	if _, err := st.CreateWrite(t.Context(), store.Write{WriteKey: k, CourseID: 2, Created: then,
		Items: []store.Item{{Recipient: 14, Text: tricky}}}); err != nil {
		t.Fatal(err)
	}
	if ok, err := st.ClaimItem(t.Context(), k, 14, "killed", []store.State{store.Pending}, then); err != nil || !ok {
		t.Fatalf("claim: %v %v", ok, err)
	}
}

// TestCrashBetweenClaimAndSend: a server claimed a recipient and died, before calling Moodle
// or after. Once its claim is past its lease the page says it is not known whether the
// message went, and Retry looks in the conversation first: one message in the end, either way.
func TestCrashBetweenClaimAndSend(t *testing.T) {
	t.Parallel()
	for _, sentBeforeCrash := range []bool{false, true} {
		name := map[bool]string{false: "before the send", true: "after the send, before its outcome was recorded"}[sentBeforeCrash]
		t.Run(name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, st *store.Store) {
				we := newWriteEnv(t, withStore(st))
				b := we.browserOn(we.env.app)
				key, _ := composeKey(t, b, "userid=14")
				crashedClaim(t, we, st, key)
				if sentBeforeCrash {
					tok := we.site.Token("kts.teacher", demo.MobileService)
					if _, err := we.client.SendInstantMessages(t.Context(), tok, []moodle.OutgoingMessage{{ToUserID: 14, Text: tricky, TextFormat: 2}}); err != nil {
						t.Fatal(err)
					}
				}
				form := url.Values{"key": {key}, "userid": {"14"}, "text": {tricky}, "action": {"send"}}
				p := b.post("/course/2/message", form)
				if o := outcomes(p)["14"]; o[0] != "unknown" || !strings.Contains(o[1], "The dashboard stopped while writing this to Moodle") {
					t.Fatalf("after the crash: %d %v; want unknown, saying the dashboard stopped", p.status, o)
				}
				held := map[bool]int{false: 0, true: 1}[sentBeforeCrash]
				if got := we.messagesTo(t, 14); got != held {
					t.Fatalf("Moodle holds %d; want %d", got, held)
				}
				form.Set("action", "retry")
				p = b.post("/course/2/message", form)
				if o := outcomes(p)["14"]; o[0] != "sent" {
					t.Fatalf("retry: %v", o)
				}
				if got := we.messagesTo(t, 14); got != 1 {
					t.Fatalf("in the end Moodle holds %d messages; want exactly 1", got)
				}
			})
		})
	}
}

// TestTwoServersShareOneStore posts the same key to two servers sharing one database at the
// same moment, while Moodle is slow: one message goes, and both pages say it was sent.
func TestTwoServersShareOneStore(t *testing.T) {
	t.Parallel()
	storetest.EachURL(t, func(t *testing.T, databaseURL, dataDir string) {
		we := newWriteEnv(t, withStore(storetest.Open(t, databaseURL, dataDir)))
		second := we.server(storetest.Open(t, databaseURL, dataDir))
		b1, b2 := we.browserOn(we.env.app), we.browserOn(second)
		key, _ := composeKey(t, b1, "userid=14&userid=30")
		we.faults.Inject(wsfault.Delay(300 * time.Millisecond).OnFunction(sendFn))
		form := url.Values{"key": {key}, "userid": {"14", "30"}, "text": {tricky}, "action": {"send"}}
		var wg sync.WaitGroup
		pages := make([]page, 2)
		for i, b := range []*browser{b1, b2} {
			wg.Go(func() { pages[i] = b.post("/course/2/message", form) })
		}
		wg.Wait()
		for i, p := range pages {
			for _, id := range []string{"14", "30"} {
				if o := outcomes(p)[id]; p.status != http.StatusOK || o[0] != "sent" {
					t.Errorf("server %d: %d, %s %v; want sent", i+1, p.status, id, o)
				}
			}
		}
		if a, b := we.messagesTo(t, 14), we.messagesTo(t, 30); a != 1 || b != 1 {
			t.Fatalf("Moodle holds %d and %d messages; want exactly 1 each", a, b)
		}
		repeats := len(byTestID(pages[0].doc, "repeat-notice")) + len(byTestID(pages[1].doc, "repeat-notice"))
		if repeats != 1 {
			t.Errorf("%d pages say it had been sent already; want exactly 1", repeats)
		}
	})
}

// TestRestartKeepsOutcomes: a server that restarts (a new process over the same database)
// shows a key's outcome and sends nothing again; a note form posted before and after too.
func TestRestartKeepsOutcomes(t *testing.T) {
	t.Parallel()
	storetest.EachURL(t, func(t *testing.T, databaseURL, dataDir string) {
		st, err := store.Open(context.Background(), databaseURL, dataDir, nil)
		if err != nil {
			t.Fatal(err)
		}
		we := newWriteEnv(t, withStore(st))
		b := we.browserOn(we.env.app)
		key, _ := composeKey(t, b, "userid=14")
		nkey := noteKey(t, b, "14")
		form := url.Values{"key": {key}, "userid": {"14"}, "text": {tricky}, "action": {"send"}}
		note := url.Values{"text": {tricky}, "key": {nkey}}
		if o := outcomes(b.post("/course/2/message", form))["14"]; o[0] != "sent" {
			t.Fatalf("send: %v", o)
		}
		if p := b.post("/course/2/student/14/notes", note); p.status != http.StatusSeeOther {
			t.Fatalf("note: %d", p.status)
		}
		we.env.app.Close()
		st.Close()

		restarted := we.server(storetest.Open(t, databaseURL, dataDir))
		b = we.browserOn(restarted) // sessions did not survive; the store did
		p := b.post("/course/2/message", form)
		if o := outcomes(p)["14"]; o[0] != "sent" || len(byTestID(p.doc, "repeat-notice")) != 1 {
			t.Fatalf("after the restart: %v; want the first outcome, as a repeat", o)
		}
		if p := b.post("/course/2/student/14/notes", note); p.status != http.StatusSeeOther {
			t.Fatalf("note after the restart: %d", p.status)
		}
		if m, n := we.messagesTo(t, 14), we.notesAbout(14); m != 1 || n != 1 {
			t.Fatalf("Moodle holds %d messages and %d notes; want 1 and 1", m, n)
		}
	})
}
