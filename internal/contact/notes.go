package contact

import (
	"context"

	"github.com/knowthystudents/kts/internal/moodle"
	"github.com/knowthystudents/kts/internal/store"
	"golang.org/x/sync/errgroup"
)

// NoteOutcome is what happened to a note.
type NoteOutcome struct {
	Status Status
	Reason string // for Failed and Unknown, in a sentence
	// Repeat is true when this form's note had been saved before: nothing new was written.
	Repeat bool
}

// Note saves a note about a student once per form key (a double click, a reload and a second
// replica save one note). A note Moodle refused releases the key: the same form, sent again,
// really tries again. A note in doubt is looked for in Moodle before it is written again.
// An empty key is a form without one: the note is written, with nothing to deduplicate on.
func (s *Service) Note(ctx context.Context, t moodle.Credentials, key string, courseID, studentID int64, text, publishState string) (NoteOutcome, error) {
	s.purge(ctx)
	if key == "" {
		key = "nokey-" + randomHex(16)
	}
	k := s.key(t, kindNote, key)
	w := store.Write{WriteKey: k, CourseID: courseID, Meta: publishState, Created: s.opts.Now(),
		Items: []store.Item{{Recipient: studentID, Text: text}}}
	created, err := s.st.CreateWrite(ctx, w)
	if err != nil {
		return NoteOutcome{}, err
	}
	if w, err = s.load(ctx, k, created); err != nil {
		return NoteOutcome{}, err
	}
	if len(w.Items) != 1 {
		return NoteOutcome{}, ErrUnknownKey
	}
	it := w.Items[0]
	switch it.State {
	case store.Sent:
		return NoteOutcome{Status: Sent, Repeat: !created}, nil
	case store.Claimed:
		return NoteOutcome{Status: Sending, Reason: sendingReason}, nil
	case store.Pending:
		if !created && !s.stale(w, s.opts.Now()) {
			return NoteOutcome{Status: Sending, Reason: sendingReason}, nil
		}
	}
	wctx, cancel := s.writeCtx(ctx)
	defer cancel()
	if err := s.writeOne(wctx, t, w, it, s.notes()); err != nil {
		return NoteOutcome{}, err
	}
	w, _, err = s.st.LoadWrite(ctx, k)
	if err != nil || len(w.Items) != 1 {
		return NoteOutcome{}, err
	}
	it = w.Items[0]
	if final(w) {
		if err := s.st.DeleteWrite(ctx, k); err != nil {
			return NoteOutcome{}, err
		}
	}
	return NoteOutcome{Status: status(it.State), Reason: it.Reason}, nil
}

// ContactResult is the outcome of the contact notes kept after a message.
type ContactResult struct {
	Saved, Total int
	Unknown      int  // notes in doubt: pressing the button again looks in Moodle first
	Repeat       bool // every note had been saved before: nothing was written
	Reasons      []string
}

// ContactNotes keeps a personal note on each student the message with key reached, saying
// they were contacted (text gives each student's note). Pressing it twice saves each note
// once; the notes Moodle refused, or that are in doubt, are tried again (those in doubt only
// once Moodle was seen not to hold them).
func (s *Service) ContactNotes(ctx context.Context, t moodle.Credentials, key string, text func(Outcome) string) (ContactResult, error) {
	msg, ok, err := s.Lookup(ctx, t, key)
	if err != nil {
		return ContactResult{}, err
	}
	if !ok {
		return ContactResult{}, ErrUnknownKey
	}
	k := s.key(t, kindContact, key)
	w := store.Write{WriteKey: k, CourseID: msg.CourseID, Meta: "personal", Created: s.opts.Now()}
	for _, o := range msg.Outcomes {
		if o.Status == Sent {
			w.Items = append(w.Items, store.Item{Recipient: o.UserID, Text: text(o)})
		}
	}
	created, err := s.st.CreateWrite(ctx, w)
	if err != nil {
		return ContactResult{}, err
	}
	if w, err = s.load(ctx, k, created); err != nil {
		return ContactResult{}, err
	}
	from := []store.State{store.Pending, store.Refused, store.Unknown}
	todo := 0
	wctx, cancel := s.writeCtx(ctx)
	defer cancel()
	var g errgroup.Group
	g.SetLimit(s.opts.Concurrency)
	for _, it := range w.Items {
		if has(from, it.State) {
			todo++
			g.Go(func() error { return s.writeOne(wctx, t, w, it, s.notes()) })
		}
	}
	if err := g.Wait(); err != nil {
		return ContactResult{}, err
	}
	if w, _, err = s.st.LoadWrite(ctx, k); err != nil {
		return ContactResult{}, err
	}
	res := ContactResult{Total: len(w.Items), Repeat: !created && todo == 0}
	for _, it := range w.Items {
		switch it.State {
		case store.Sent:
			res.Saved++
		case store.Refused:
			res.Reasons = append(res.Reasons, it.Reason)
		default:
			res.Unknown++
		}
	}
	if final(w) {
		err = s.st.DeleteWrite(ctx, k)
	}
	return res, err
}

// notes is how a note is written and looked for, and what its outcomes say.
func (s *Service) notes() writeKind {
	return writeKind{what: "note", write: s.saveNote, look: s.inNotes,
		cannotAsk:   "Moodle could not be asked whether it holds this note, so it was not saved again. Try again in a moment.",
		found:       "Found in Moodle: it had been saved.",
		unconfirmed: "Moodle's answer did not say whether the note was saved",
		refusedTail: " Nothing was saved.",
		held:        ", but it had saved the note.",
		notHeld:     " and did not save the note: nothing was saved.",
		unknown:     "Moodle did not answer in time, so the note may have been saved. Look at the student's notes before writing it again; sending the same form again first looks in Moodle and saves it only if it is not there.",
	}
}

// saveNote writes one note: Moodle's id of it, or why it was not saved, or neither when
// Moodle's reply holds no result for it.
func (s *Service) saveNote(ctx context.Context, t moodle.Credentials, w store.Write, it store.Item) (int64, string, error) {
	id := "kts-" + w.Kind + "-" + w.Key
	if w.Kind == kindContact {
		id += "-" + itoa(int(it.Recipient))
	}
	n := moodle.NewNote{UserID: it.Recipient, CourseID: w.CourseID, PublishState: w.Meta, Text: it.Text, Format: 2, ClientNoteID: id}
	res, err := s.m.CreateNotes(ctx, t.Token, []moodle.NewNote{n})
	if err != nil {
		return 0, "", err
	}
	for _, r := range res {
		if r.ClientNoteID != id || r.Unanswered {
			continue
		}
		if r.NoteID > 0 {
			return r.NoteID, "", nil
		}
		// Moodle 4.5 refuses a note on its own for an unknown course or user only; its
		// errormessage (in the site's language) stays in the log.
		s.opts.Log.Info("contact: Moodle refused the note", "student", it.Recipient, "moodle_said", r.ErrorMessage)
		return 0, "Moodle did not save the note: it did not accept this student or this course for a note.", nil
	}
	return 0, "", nil
}

// inNotes looks in Moodle for the note: by this teacher, about this student in this course,
// with the same text, dated since the write began. It returns Moodle's id of the note, or 0.
func (s *Service) inNotes(ctx context.Context, t moodle.Credentials, w store.Write, it store.Item) (int64, error) {
	notes, err := s.m.CourseNotes(ctx, t.Token, w.CourseID, it.Recipient)
	if err != nil {
		return 0, err
	}
	since := w.Created.Add(-clockSkew)
	for _, list := range [][]moodle.Note{notes.PersonalNotes, notes.CourseNotes, notes.SiteNotes} {
		for _, n := range list {
			if n.UserID == it.Recipient && n.UserModified == t.UserID && !n.Created.Time().Before(since) && sameText(n.Content, it.Text) {
				return n.ID, nil
			}
		}
	}
	return 0, nil
}
