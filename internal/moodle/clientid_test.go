package moodle_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"testing"

	"github.com/knowthystudents/kts/internal/moodle"
)

// echoWrites answers core_message_send_instant_messages and core_notes_create_notes with one
// result per item, echoing its client id, but in reverse order and without the item at drop
// (-1: none left out), so that matching by position would credit students with each other's
// outcomes.
func echoWrites(t *testing.T, drop int) *moodle.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			t.Error(err)
		}
		list, idField, idKey := "messages", "clientmsgid", "msgid"
		if r.Form.Get("wsfunction") == "core_notes_create_notes" {
			list, idField, idKey = "notes", "clientnoteid", "noteid"
		}
		var out []map[string]any
		for i := 0; ; i++ {
			id := r.Form.Get(list + "[" + strconv.Itoa(i) + "][" + idField + "]")
			if id == "" {
				break
			}
			if i == drop {
				continue
			}
			uid, _ := strconv.Atoi(r.Form.Get(list + "[" + strconv.Itoa(i) + "][userid]"))
			if list == "messages" {
				uid, _ = strconv.Atoi(r.Form.Get(list + "[" + strconv.Itoa(i) + "][touserid]"))
			}
			out = append(out, map[string]any{idField: id, idKey: 1000 + uid})
		}
		slices.Reverse(out)
		json.NewEncoder(w).Encode(out)
	}))
	t.Cleanup(srv.Close)
	c, err := moodle.New(srv.URL, moodle.Options{HTTPClient: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestWriteResultsMatchedByClientID: with 12 messages (and 12 notes) answered out of order and
// one left out, every result belongs to its own recipient and the missing one says so.
func TestWriteResultsMatchedByClientID(t *testing.T) {
	t.Parallel()
	const n, drop = 12, 10
	ctx := context.Background()
	c := echoWrites(t, drop)
	var msgs []moodle.OutgoingMessage
	var notes []moodle.NewNote
	for i := range n {
		uid := int64(10 + i)
		msgs = append(msgs, moodle.OutgoingMessage{ToUserID: uid, Text: "hi", TextFormat: 2, ClientMsgID: "m" + strconv.Itoa(i)})
		notes = append(notes, moodle.NewNote{UserID: uid, CourseID: 2, PublishState: "personal", Text: "n", Format: 2, ClientNoteID: "n" + strconv.Itoa(i)})
	}
	mres, err := c.SendInstantMessages(ctx, "tok", msgs)
	if err != nil {
		t.Fatal(err)
	}
	nres, err := c.CreateNotes(ctx, "tok", notes)
	if err != nil {
		t.Fatal(err)
	}
	if len(mres) != n || len(nres) != n {
		t.Fatalf("got %d message and %d note results, want %d each", len(mres), len(nres), n)
	}
	for i := range n {
		want := int64(1000 + 10 + i)
		if i == drop {
			if !mres[i].Unanswered || mres[i].Sent() || !nres[i].Unanswered {
				t.Errorf("item %d, left out of the reply: message %+v, note %+v; want unanswered", i, mres[i], nres[i])
			}
			continue
		}
		if mres[i].MsgID != want || !mres[i].Sent() {
			t.Errorf("message %d: msgid %d, want %d", i, mres[i].MsgID, want)
		}
		if nres[i].NoteID != want {
			t.Errorf("note %d: noteid %d, want %d", i, nres[i].NoteID, want)
		}
	}
}
