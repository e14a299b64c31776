package outbox

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/moodle"
)

// fakeMoodle records what was sent and answers per recipient as told.
type fakeMoodle struct {
	mu        sync.Mutex
	sent      map[int64][]string // delivered texts per recipient
	calls     int
	refuse    map[int64]string // recipient -> Moodle's errormessage
	noAnswer  map[int64]bool   // recipient -> store the message, then fail like a timeout
	exception error            // every call fails with this
	block     chan struct{}    // when set, each call waits for it
}

func newFake() *fakeMoodle {
	return &fakeMoodle{sent: map[int64][]string{}, refuse: map[int64]string{}, noAnswer: map[int64]bool{}}
}

func (f *fakeMoodle) SendInstantMessages(ctx context.Context, token string, msgs []moodle.OutgoingMessage) ([]moodle.MessageResult, error) {
	if f.block != nil {
		<-f.block
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if len(msgs) != 1 {
		return nil, errors.New("the outbox must send one message per call")
	}
	m := msgs[0]
	if f.exception != nil {
		return nil, f.exception
	}
	if reason, ok := f.refuse[m.ToUserID]; ok {
		return []moodle.MessageResult{{MsgID: -1, ClientMsgID: m.ClientMsgID, ErrorMessage: reason}}, nil
	}
	f.sent[m.ToUserID] = append(f.sent[m.ToUserID], m.Text)
	if f.noAnswer[m.ToUserID] {
		return nil, &moodle.NetworkError{Function: "core_message_send_instant_messages", Kind: moodle.NetTimeout, Err: context.DeadlineExceeded}
	}
	return []moodle.MessageResult{{MsgID: int64(len(f.sent) + 100), ClientMsgID: m.ClientMsgID, Text: "<p>" + m.Text + "</p>"}}, nil
}

func (f *fakeMoodle) ConversationBetweenUsers(ctx context.Context, token string, userID, other int64, o moodle.ConversationOptions) (*moodle.Conversation, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := &moodle.Conversation{}
	for _, t := range f.sent[other] {
		c.Messages = append(c.Messages, moodle.ConversationEntry{UserIDFrom: userID, Text: "<p>" + t + "</p>", TimeCreated: moodle.TimeOf(time.Now())})
	}
	return c, nil
}

func (f *fakeMoodle) delivered(id int64) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.sent[id])
}

var teacher = Sender{Owner: "site|3|fp", Token: "tok", UserID: 3}

func recips(ids ...int64) []Recipient {
	var rs []Recipient
	for _, id := range ids {
		rs = append(rs, Recipient{UserID: id, Name: "student", Text: "Hello"})
	}
	return rs
}

func TestSendOncePerKey(t *testing.T) {
	t.Parallel()
	f := newFake()
	o := New(f, Options{}, nil)
	res, err := o.Send(t.Context(), teacher, "k1", 2, recips(14, 30), false)
	if err != nil {
		t.Fatal(err)
	}
	if c := res.Counts(); c[Sent] != 2 {
		t.Fatalf("counts = %v; want 2 sent", c)
	}
	// A reload of the result page posts the same key again: nothing new is sent.
	again, _ := o.Send(t.Context(), teacher, "k1", 2, recips(14, 30), false)
	if !again.Repeat || f.delivered(14) != 1 || f.delivered(30) != 1 {
		t.Fatalf("repeat = %v, delivered 14:%d 30:%d; want the first outcome and one message each", again.Repeat, f.delivered(14), f.delivered(30))
	}
	// Another teacher's key with the same name is theirs.
	other := Sender{Owner: "site|4|fp2", Token: "tok2", UserID: 4}
	if _, ok := o.Lookup(other, "k1"); ok {
		t.Fatal("a key of one teacher was visible to another")
	}
}

func TestDoubleClickSendsOnce(t *testing.T) {
	t.Parallel()
	f := newFake()
	f.block = make(chan struct{})
	o := New(f, Options{}, nil)
	var wg sync.WaitGroup
	results := make([]Result, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], _ = o.Send(context.Background(), teacher, "dbl", 2, recips(14), false)
		}()
	}
	time.Sleep(20 * time.Millisecond)
	close(f.block)
	wg.Wait()
	if f.delivered(14) != 1 {
		t.Fatalf("delivered %d messages to 14 after a double click; want 1", f.delivered(14))
	}
	if results[0].Repeat == results[1].Repeat {
		t.Fatalf("repeat flags %v, %v; want exactly one repeat", results[0].Repeat, results[1].Repeat)
	}
}

func TestPartialFailureAndRetryOnlyFailed(t *testing.T) {
	t.Parallel()
	f := newFake()
	f.refuse[15] = "You can't message Priya Patel due to their message preferences. Try adding them as a contact."
	o := New(f, Options{}, nil)
	res, _ := o.Send(t.Context(), teacher, "k2", 2, recips(14, 15, 30), false)
	want := map[int64]Status{14: Sent, 15: Failed, 30: Sent}
	for _, oc := range res.Outcomes {
		if oc.Status != want[oc.UserID] {
			t.Errorf("recipient %d: %s; want %s", oc.UserID, oc.Status, want[oc.UserID])
		}
		if oc.UserID == 15 && !strings.Contains(oc.Reason, "message preferences") {
			t.Errorf("reason %q does not carry Moodle's sentence", oc.Reason)
		}
	}
	delete(f.refuse, 15)
	res, _ = o.Send(t.Context(), teacher, "k2", 2, recips(14, 15, 30), true)
	if c := res.Counts(); c[Sent] != 3 {
		t.Fatalf("after retry counts = %v; want 3 sent", c)
	}
	for id, n := range map[int64]int{14: 1, 15: 1, 30: 1} {
		if f.delivered(id) != n {
			t.Errorf("recipient %d got %d messages; want %d", id, f.delivered(id), n)
		}
	}
}

func TestUnknownIsCheckedBeforeResend(t *testing.T) {
	t.Parallel()
	f := newFake()
	f.noAnswer[30] = true // Moodle stores it but the answer never arrives
	o := New(f, Options{}, nil)
	res, _ := o.Send(t.Context(), teacher, "k3", 2, recips(30), false)
	if res.Outcomes[0].Status != Unknown {
		t.Fatalf("status %s after a timeout; want unknown", res.Outcomes[0].Status)
	}
	res, _ = o.Send(t.Context(), teacher, "k3", 2, recips(30), true)
	if res.Outcomes[0].Status != Sent || f.delivered(30) != 1 {
		t.Fatalf("after retry: %s with %d delivered; want sent with exactly 1", res.Outcomes[0].Status, f.delivered(30))
	}
}

func TestAccessExceptionIsAFailureWithASentence(t *testing.T) {
	t.Parallel()
	f := newFake()
	f.exception = &moodle.Error{Function: "core_message_send_instant_messages", Code: "accessexception", Message: "Access control exception"}
	o := New(f, Options{}, nil)
	res, _ := o.Send(t.Context(), teacher, "k4", 2, recips(14), false)
	if oc := res.Outcomes[0]; oc.Status != Failed || !strings.Contains(oc.Reason, "core_message_send_instant_messages") {
		t.Fatalf("outcome %+v; want failed naming the missing function", oc)
	}
}

func TestPersonalise(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text string
		v    Vars
		want string
	}{
		{"Hi {firstname}, {overdue} in {course}.", Vars{FirstName: "Oliver", FullName: "Oliver Smith", Course: "KTS101", Overdue: []string{"A1", "A3"}}, "Hi Oliver, A1, A3 in KTS101."},
		{"Hi {firstname}: {overdue}", Vars{FullName: "Léa Martin"}, "Hi Léa: none"},
		{"{fullname}", Vars{FullName: "<b>x</b>"}, "<b>x</b>"},
	}
	for _, tt := range tests {
		if got := Personalise(tt.text, tt.v); got != tt.want {
			t.Errorf("Personalise(%q) = %q; want %q", tt.text, got, tt.want)
		}
	}
}
