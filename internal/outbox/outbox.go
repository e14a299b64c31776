// Package outbox sends a teacher's message to a selection of students through Moodle, so that
// each student gets it exactly once and the teacher always knows who did.
//
// Three facts of Moodle shape it. A call with several messages loses every per-message result
// when one of them fails, although the others were delivered: so each recipient gets a call of
// their own. Moodle does not deduplicate clientmsgid: so a send is keyed (the compose form's
// key) and a key that was used shows its first outcome instead of sending again. A call that
// timed out may or may not have been delivered: so such a recipient is "unknown", and a retry
// first looks in the conversation for the message before sending it again.
package outbox

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/knowthystudents/kts/internal/moodle"
	"golang.org/x/sync/errgroup"
)

// Status is where one recipient's message stands.
type Status string

// Statuses of a recipient.
const (
	Pending Status = "pending" // not tried yet
	Sent    Status = "sent"    // Moodle stored it
	Failed  Status = "failed"  // Moodle refused it, with a reason
	Unknown Status = "unknown" // no answer: it may or may not have been delivered
)

// Recipient is one student and the text they get (placeholders already filled).
type Recipient struct {
	UserID int64
	Name   string
	Text   string
}

// Outcome is what happened to one recipient's message.
type Outcome struct {
	Recipient
	Status Status
	Reason string // Moodle's reason, or ours, in a sentence
	MsgID  int64
}

// Result is a send's outcome per recipient, in the order of the recipients.
type Result struct {
	Key      string
	CourseID int64
	Created  time.Time
	Outcomes []Outcome
	// Repeat is true when the key had been used before: nothing new was sent.
	Repeat bool
}

// Counts returns how many recipients are in each status.
func (r Result) Counts() map[Status]int {
	m := map[Status]int{}
	for _, o := range r.Outcomes {
		m[o.Status]++
	}
	return m
}

// Moodle is what the outbox needs of the Moodle client.
type Moodle interface {
	SendInstantMessages(ctx context.Context, token string, msgs []moodle.OutgoingMessage) ([]moodle.MessageResult, error)
	ConversationBetweenUsers(ctx context.Context, token string, userID, otherUserID int64, o moodle.ConversationOptions) (*moodle.Conversation, error)
}

// Options tune the outbox.
type Options struct {
	TTL         time.Duration // how long a key's outcome is kept (reloads, retries)
	Concurrency int           // messages in flight at once
	Timeout     time.Duration // how long one send may take once started
}

// Outbox remembers sends by key. It is in memory: a key reused on another replica is not
// known there (see docs/DEPLOY.md); a double click reaches the same process in practice.
type Outbox struct {
	m    Moodle
	opts Options
	now  func() time.Time

	mu    sync.Mutex
	sends map[string]*entry
}

type entry struct {
	mu      sync.Mutex // held while sending: a second click waits for the first
	res     Result
	noted   bool      // contact notes were saved for this send
	touched time.Time // guarded by Outbox.mu
}

// New makes an outbox.
func New(m Moodle, o Options, now func() time.Time) *Outbox {
	if o.TTL <= 0 {
		o.TTL = 24 * time.Hour
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 4
	}
	if o.Timeout <= 0 {
		o.Timeout = 60 * time.Second
	}
	if now == nil {
		now = time.Now
	}
	return &Outbox{m: m, opts: o, now: now, sends: map[string]*entry{}}
}

// Sender identifies who sends: the owner string scopes keys to one user, so a key can never
// show one teacher's outcome to another.
type Sender struct {
	Owner  string
	Token  string
	UserID int64
}

// Lookup returns the outcome of a key, if it was used.
func (o *Outbox) Lookup(s Sender, key string) (Result, bool) {
	o.mu.Lock()
	e, ok := o.sends[s.Owner+"\x00"+key]
	o.mu.Unlock()
	if !ok {
		return Result{}, false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return clone(e.res), true
}

// Send sends the message to each recipient once. A key used before returns its first outcome
// and sends nothing, unless retry is set: then only the failed and unknown recipients are
// tried again (an unknown one only if the conversation does not already hold the message).
func (o *Outbox) Send(ctx context.Context, s Sender, key string, courseID int64, rs []Recipient, retry bool) (Result, error) {
	e, first := o.entry(s, key, courseID, rs)
	e.mu.Lock()
	defer e.mu.Unlock()
	if !first && !retry {
		r := clone(e.res)
		r.Repeat = true
		return r, nil
	}
	// Writes are not cut short by a browser that goes away: once started, a message either
	// goes or gets an outcome the teacher can read on reload.
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), o.opts.Timeout)
	defer cancel()
	g, gctx := errgroup.WithContext(sctx)
	g.SetLimit(o.opts.Concurrency)
	for i := range e.res.Outcomes {
		oc := &e.res.Outcomes[i]
		switch {
		case oc.Status == Pending:
		case retry && oc.Status == Failed:
		case retry && oc.Status == Unknown:
			if o.delivered(gctx, s, oc, e.res.Created) {
				oc.Status, oc.Reason = Sent, "Found in the conversation: it had been delivered."
				continue
			}
		default:
			continue
		}
		attempt := i
		g.Go(func() error {
			o.sendOne(gctx, s, key, attempt, oc)
			return nil
		})
	}
	g.Wait()
	o.mu.Lock()
	e.touched = o.now()
	o.mu.Unlock()
	return clone(e.res), nil
}

// entry returns the key's entry, creating it with every recipient pending.
func (o *Outbox) entry(s Sender, key string, courseID int64, rs []Recipient) (*entry, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	now := o.now()
	for k, e := range o.sends {
		if now.Sub(e.touched) > o.opts.TTL {
			delete(o.sends, k)
		}
	}
	id := s.Owner + "\x00" + key
	if e, ok := o.sends[id]; ok {
		return e, false
	}
	e := &entry{touched: now, res: Result{Key: key, CourseID: courseID, Created: now}}
	for _, r := range rs {
		e.res.Outcomes = append(e.res.Outcomes, Outcome{Recipient: r, Status: Pending})
	}
	o.sends[id] = e
	return e, true
}

// sendOne sends one recipient's message in a call of its own and records the outcome.
func (o *Outbox) sendOne(ctx context.Context, s Sender, key string, i int, oc *Outcome) {
	msg := moodle.OutgoingMessage{ToUserID: oc.UserID, Text: oc.Text, TextFormat: 2,
		ClientMsgID: "kts-" + key + "-" + strconv.FormatInt(oc.UserID, 10)}
	res, err := o.m.SendInstantMessages(ctx, s.Token, []moodle.OutgoingMessage{msg})
	switch {
	case err != nil:
		oc.Status, oc.Reason = classify(err)
	case len(res) != 1 || res[0].Unanswered:
		oc.Status, oc.Reason = Unknown, "Moodle's answer did not say whether the message was delivered."
	case res[0].Sent():
		oc.Status, oc.Reason, oc.MsgID = Sent, "", res[0].MsgID
	default:
		oc.Status, oc.Reason = Failed, res[0].ErrorMessage
		if oc.Reason == "" {
			oc.Reason = "Moodle did not deliver the message and gave no reason."
		}
	}
}

// classify turns a failed call into an outcome: Moodle's refusals are failures with a reason,
// no answer at all is unknown.
func classify(err error) (Status, string) {
	var me *moodle.Error
	switch {
	case errors.Is(err, moodle.ErrAccessException):
		return Failed, "Your Moodle site's web service does not include core_message_send_instant_messages; ask your Moodle administrator to add it."
	case errors.As(err, &me) && (me.Code == "disabled" || me.Code == "messagingdisabled"):
		return Failed, "Messaging is switched off on this Moodle site."
	case errors.Is(err, moodle.ErrNoPermission):
		return Failed, "Moodle does not let your account send messages."
	case errors.Is(err, moodle.ErrInvalidToken):
		return Failed, "Moodle no longer accepts your sign-in; sign in again and retry."
	case errors.As(err, &me):
		return Failed, "Moodle refused the message: " + me.Message
	}
	return Unknown, "Moodle did not answer in time, so it is not known whether this message was delivered. Retrying first checks your conversation with this student."
}

// delivered looks for the message in the conversation: a message from the teacher with the
// same text, created since the send began.
func (o *Outbox) delivered(ctx context.Context, s Sender, oc *Outcome, since time.Time) bool {
	conv, err := o.m.ConversationBetweenUsers(ctx, s.Token, s.UserID, oc.UserID, moodle.ConversationOptions{MessageLimit: 50})
	if err != nil {
		return false
	}
	want := normalise(oc.Text)
	for _, m := range conv.Messages {
		if m.UserIDFrom == s.UserID && !m.TimeCreated.Time().Before(since.Add(-time.Minute)) && normalise(stripTags(m.Text)) == want {
			return true
		}
	}
	return false
}

func clone(r Result) Result {
	r.Outcomes = append([]Outcome(nil), r.Outcomes...)
	return r
}

func normalise(s string) string { return strings.Join(strings.Fields(s), " ") }

// stripTags removes the <p>…</p> and <br> Moodle wraps plain text in.
func stripTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
			b.WriteByte(' ')
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&#39;", "'", "&nbsp;", " ").Replace(b.String())
}

// Claim reserves key for one write of s (a note form's key) and reports whether it was free:
// the same form posted twice (a double click, a reload) writes once. Claims last the TTL.
func (o *Outbox) Claim(s Sender, key string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	id := s.Owner + "\x00claim\x00" + key
	if _, taken := o.sends[id]; taken {
		return false
	}
	o.sends[id] = &entry{touched: o.now()}
	return true
}

// MarkNoted records that the contact notes of a send were saved and reports whether this is
// the first time, so that a double click on "keep a note" saves them once.
func (o *Outbox) MarkNoted(s Sender, key string) (first bool) {
	o.mu.Lock()
	e, ok := o.sends[s.Owner+"\x00"+key]
	o.mu.Unlock()
	if !ok {
		return false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	first, e.noted = !e.noted, true
	return first
}

// Forget drops a key whose every message Moodle refused: nothing was delivered, so the teacher
// may fix the cause and send the same form again.
func (o *Outbox) Forget(s Sender, key string) {
	o.mu.Lock()
	delete(o.sends, s.Owner+"\x00"+key)
	o.mu.Unlock()
}
