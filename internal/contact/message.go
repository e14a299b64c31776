package contact

import (
	"context"
	"strconv"
	"time"

	"github.com/knowthystudents/kts/internal/moodle"
	"github.com/knowthystudents/kts/internal/store"
	"golang.org/x/sync/errgroup"
)

// Recipient is one student and the text they get (placeholders already filled).
type Recipient struct {
	UserID int64
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
	// Released is true when Moodle stored none of it and nothing is in doubt: the key was
	// freed, and the same form may be sent again.
	Released bool
}

// Counts returns how many recipients are in each status.
func (r Result) Counts() map[Status]int {
	m := map[Status]int{}
	for _, o := range r.Outcomes {
		m[o.Status]++
	}
	return m
}

// Lookup returns the outcome of a message key, if it was used, waiting briefly while another
// request is still sending it.
func (s *Service) Lookup(ctx context.Context, t moodle.Credentials, key string) (Result, bool, error) {
	w, ok, err := s.settle(ctx, s.key(t, kindMessage, key))
	if err != nil || !ok {
		return Result{}, ok, err
	}
	return s.result(w), true, nil
}

// Message sends text to each recipient once. A key used before shows its first outcome and
// sends nothing, unless retry is set: then the recipients Moodle refused are tried again, and
// the unknown ones too, each only once Moodle was seen not to hold the message.
func (s *Service) Message(ctx context.Context, t moodle.Credentials, key string, courseID int64, rs []Recipient, retry bool) (Result, error) {
	s.purge(ctx)
	k := s.key(t, kindMessage, key)
	w := store.Write{WriteKey: k, CourseID: courseID, Created: s.opts.Now()}
	for _, r := range rs {
		w.Items = append(w.Items, store.Item{Recipient: r.UserID, Text: r.Text})
	}
	created, err := s.st.CreateWrite(ctx, w)
	if err != nil {
		return Result{}, err
	}
	if !created && !retry {
		w, _, err := s.settle(ctx, k)
		if err != nil {
			return Result{}, err
		}
		res := s.result(w)
		res.Repeat = true
		return res, nil
	}
	from := []store.State{store.Pending}
	if retry {
		from = append(from, store.Refused, store.Unknown)
	}
	if w, err = s.load(ctx, k, created); err != nil {
		return Result{}, err
	}
	wctx, cancel := s.writeCtx(ctx)
	defer cancel()
	var g errgroup.Group
	g.SetLimit(s.opts.Concurrency)
	for _, it := range w.Items {
		if !has(from, it.State) {
			continue
		}
		g.Go(func() error { return s.writeOne(wctx, t, w, it, s.messages()) })
	}
	if err := g.Wait(); err != nil {
		return Result{}, err
	}
	if w, _, err = s.st.LoadWrite(ctx, k); err != nil {
		return Result{}, err
	}
	res := s.result(w)
	if final(w) {
		if err := s.st.DeleteWrite(ctx, k); err != nil {
			return Result{}, err
		}
		res.Released = true
	}
	return res, nil
}

// messages is how a message is written and looked for, and what its outcomes say.
func (s *Service) messages() writeKind {
	return writeKind{what: "message", write: s.sendMessage,
		look: func(ctx context.Context, t moodle.Credentials, w store.Write, it store.Item) (int64, error) {
			return s.inConversation(ctx, t, it, w.Created)
		},
		cannotAsk:   "Moodle could not be asked whether it holds this message, so it was not sent again. Retry in a moment.",
		found:       "Found in your conversation with this student: it had been delivered.",
		unconfirmed: "Moodle's answer did not say whether the message was delivered",
		held:        ", but it had stored the message: it was delivered.",
		notHeld:     " and did not store the message: nothing was delivered.",
		unknown:     "Moodle did not answer in time, so it is not known whether this message was delivered. Retrying first looks in your conversation with this student and sends it only if it is not there.",
	}
}

// sendMessage sends one recipient's message: Moodle's id of it, or the reason Moodle gave
// for not delivering it, or neither when its reply holds no result for it.
func (s *Service) sendMessage(ctx context.Context, t moodle.Credentials, w store.Write, it store.Item) (int64, string, error) {
	id := "kts-" + w.Key + "-" + strconv.FormatInt(it.Recipient, 10)
	msg := moodle.OutgoingMessage{ToUserID: it.Recipient, Text: it.Text, TextFormat: 2, ClientMsgID: id}
	res, err := s.m.SendInstantMessages(ctx, t.Token, []moodle.OutgoingMessage{msg})
	if err != nil {
		return 0, "", err
	}
	for _, r := range res {
		if r.ClientMsgID != id || r.Unanswered {
			continue
		}
		if r.Sent() {
			return r.MsgID, "", nil
		}
		// Moodle's reason for this recipient (their message preferences, the site's
		// settings), a plain-text sentence it writes for the sender.
		if r.ErrorMessage == "" {
			return 0, "Moodle did not deliver the message and gave no reason.", nil
		}
		return 0, r.ErrorMessage, nil
	}
	return 0, "", nil
}

// inConversation looks for the message in the teacher's conversation with the student: a
// message from the teacher with the same text, dated since the write began. It returns
// Moodle's id of the message, or 0.
func (s *Service) inConversation(ctx context.Context, t moodle.Credentials, it store.Item, since time.Time) (int64, error) {
	conv, err := s.m.ConversationBetweenUsers(ctx, t.Token, t.UserID, it.Recipient, moodle.ConversationOptions{MessageLimit: 50})
	if err != nil {
		if isNoConversation(err) {
			return 0, nil
		}
		return 0, err
	}
	for _, m := range conv.Messages {
		if m.UserIDFrom == t.UserID && !m.TimeCreated.Time().Before(since.Add(-clockSkew)) && sameText(m.Text, it.Text) {
			return m.ID, nil
		}
	}
	return 0, nil
}

// result is the page's view of a stored message write.
func (s *Service) result(w store.Write) Result {
	res := Result{Key: w.Key, CourseID: w.CourseID, Created: w.Created}
	stale := s.stale(w, s.opts.Now())
	for _, it := range w.Items {
		o := Outcome{Recipient: Recipient{UserID: it.Recipient, Text: it.Text}, Status: status(it.State), Reason: it.Reason, MsgID: it.MoodleID}
		switch {
		case it.State == store.Pending && stale:
			o.Status, o.Reason = Failed, stoppedReason
		case o.Status == Sending:
			o.Reason = sendingReason
		}
		res.Outcomes = append(res.Outcomes, o)
	}
	return res
}

func has(states []store.State, st store.State) bool {
	for _, x := range states {
		if x == st {
			return true
		}
	}
	return false
}
