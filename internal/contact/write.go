package contact

import (
	"context"

	"github.com/knowthystudents/kts/internal/moodle"
	"github.com/knowthystudents/kts/internal/store"
)

// writeKind is what differs between a message and a note: the call that writes one, the
// look in Moodle for one, and the words of its outcomes. Everything else about a write (the
// claim, the look before writing again, what a failure means) is the same, in writeOne.
type writeKind struct {
	what string // "message", "note", as a failure's sentence names it
	// write makes the call: Moodle's id when it stored it, or why it did not, or neither
	// when its reply says nothing about this write; err when the call failed.
	write func(context.Context, moodle.Credentials, store.Write, store.Item) (id int64, refused string, err error)
	// look finds the write in Moodle: its id, or 0.
	look func(context.Context, moodle.Credentials, store.Write, store.Item) (int64, error)

	cannotAsk   string // a write in doubt, and Moodle could not be asked: it is not written again
	found       string // a write in doubt, found in Moodle
	unconfirmed string // Moodle's reply said nothing about it (a clause)
	refusedTail string // after the sentence of a failure known not to have written
	held        string // after a failure Moodle answered, the write found in Moodle
	notHeld     string // after a failure Moodle answered, the write not in Moodle
	unknown     string // no answer: it is not known whether Moodle holds it
}

// writeOne claims one recipient of w and makes their write, then records what came of it. A
// write that may have reached Moodle drops the student's cached page. Unless it is claimed
// by this call, another request got it first: its outcome is the one shown.
func (s *Service) writeOne(ctx context.Context, t moodle.Credentials, w store.Write, it store.Item, k writeKind) error {
	claim := claimToken()
	ok, err := s.st.ClaimItem(ctx, w.WriteKey, it.Recipient, claim, []store.State{it.State}, s.opts.Now())
	if err != nil || !ok {
		return err
	}
	out := s.attempt(ctx, t, w, it, k)
	if out.State != store.Refused {
		s.touched(t, w.CourseID, it.Recipient)
	}
	_, err = s.st.FinishItem(context.WithoutCancel(ctx), w.WriteKey, it.Recipient, claim, out, s.opts.Now())
	return err
}

// attempt is one recipient's write and what came of it. A write in doubt is looked for in
// Moodle first; a failed call means what the table of failures says (judge), and when
// Moodle answered, looking in Moodle tells whether it wrote.
func (s *Service) attempt(ctx context.Context, t moodle.Credentials, w store.Write, it store.Item, k writeKind) store.Item {
	if it.State == store.Unknown {
		found, err := k.look(ctx, t, w, it)
		switch {
		case err != nil:
			return store.Item{State: store.Unknown, Reason: k.cannotAsk}
		case found > 0:
			return store.Item{State: store.Sent, MoodleID: found, Reason: k.found}
		}
	}
	id, refused, err := k.write(ctx, t, w, it)
	switch {
	case err == nil && id > 0:
		return store.Item{State: store.Sent, MoodleID: id}
	case err == nil && refused != "":
		return store.Item{State: store.Refused, Reason: refused}
	}
	v, why := answered, k.unconfirmed
	if err != nil {
		v, why = judge(err, k.what)
	}
	s.opts.Log.Info("contact: "+k.what+" not confirmed", "recipient", it.Recipient, "err", err)
	switch v {
	case notWritten:
		return store.Item{State: store.Refused, Reason: why + k.refusedTail}
	case answered:
		// Moodle has finished with the request: whether it wrote is known now.
		found, cerr := k.look(ctx, t, w, it)
		switch {
		case cerr == nil && found > 0:
			return store.Item{State: store.Sent, MoodleID: found, Reason: why + k.held}
		case cerr == nil:
			return store.Item{State: store.Refused, Reason: why + k.notHeld}
		}
	}
	return store.Item{State: store.Unknown, Reason: k.unknown}
}
