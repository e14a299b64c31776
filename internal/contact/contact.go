// Package contact is every write the dashboard makes to Moodle on a teacher's behalf: messages
// to students, notes about them, and the contact notes kept after a message. Each write is
// keyed by its form's key and its whole lifecycle is in the store (claimed, sent, refused,
// unknown), so it reaches Moodle once or not at all, across double clicks, reloads, restarts
// and replicas, and the teacher is told which.
//
// Facts of Moodle that shape it:
//   - A call with several messages loses every per-message result when one of them fails,
//     although the others were stored: so each recipient gets a call of their own, and its
//     result is matched to the recipient by clientmsgid.
//   - Moodle does not deduplicate clientmsgid or clientnoteid: so the dashboard claims each
//     recipient's write in the store (a compare-and-set on its row) before calling Moodle.
//   - A call that got no answer (a timeout, a cut connection) may have been stored: that
//     recipient is unknown, and a retry first looks in Moodle for the text as Moodle stores it.
//   - A call Moodle did answer with an error (an exception, an HTTP 5xx) has finished on
//     Moodle's side: the dashboard looks at once whether the write is there, so the teacher
//     is told "saved" or "not saved", never left guessing.
package contact

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/knowthystudents/kts/internal/moodle"
	"github.com/knowthystudents/kts/internal/store"
)

// Status is where one recipient's write stands, as the pages show it.
type Status string

// Statuses of a recipient.
const (
	Sent    Status = "sent"    // Moodle stored it
	Failed  Status = "failed"  // Moodle did not store it, with a reason
	Unknown Status = "unknown" // no answer: Moodle may or may not have stored it
	Sending Status = "sending" // another request is writing it right now
)

// Kinds of write, as the store keys them.
const (
	kindMessage = "message"
	kindNote    = "note"
	kindContact = "contact"
)

// Moodle is what the service needs of the Moodle client.
type Moodle interface {
	SendInstantMessages(ctx context.Context, token string, msgs []moodle.OutgoingMessage) ([]moodle.MessageResult, error)
	ConversationBetweenUsers(ctx context.Context, token string, userID, otherUserID int64, o moodle.ConversationOptions) (*moodle.Conversation, error)
	CreateNotes(ctx context.Context, token string, notes []moodle.NewNote) ([]moodle.NoteResult, error)
	CourseNotes(ctx context.Context, token string, courseID, userID int64) (*moodle.CourseNotes, error)
}

// Cache is what holds a teacher's view of Moodle, which a write may make stale: the loader
// (load.Loader.ForgetStudent). The service drops a student's cached page once a write about
// them may have reached Moodle, so the handler that asked for the write has nothing to do.
type Cache interface {
	ForgetStudent(c moodle.Credentials, courseID, studentID int64)
}

// Options tune the service; zero values get the defaults.
type Options struct {
	Timeout     time.Duration // how long one write and its checks may take once started (60 s)
	Concurrency int           // writes in flight at once for one send (4)
	// Lease is how old a claim may be before it is taken for a crashed server's (Timeout + 1 min):
	// its recipient becomes unknown, and a retry checks Moodle first.
	Lease time.Duration
	// Wait is how long a repeated post waits for the first one still writing (Timeout + 5 s).
	Wait time.Duration
	// Retention is how long a write's outcome is kept (7 days).
	Retention time.Duration
	Now       func() time.Time
	Log       *slog.Logger
	// Cache, if set, drops the cached page of every student whose data in Moodle a write may
	// have changed.
	Cache Cache
}

// Service writes to Moodle through the store. It is safe for concurrent use, and several
// servers may share one store.
type Service struct {
	m    Moodle
	st   *store.Store
	opts Options

	mu       sync.Mutex
	purgedAt time.Time
}

// New makes the service.
func New(m Moodle, st *store.Store, o Options) *Service {
	if o.Timeout <= 0 {
		o.Timeout = 60 * time.Second
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 4
	}
	if o.Lease <= 0 {
		o.Lease = o.Timeout + time.Minute
	}
	if o.Wait <= 0 {
		o.Wait = o.Timeout + 5*time.Second
	}
	if o.Retention <= 0 {
		o.Retention = 7 * 24 * time.Hour
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return &Service{m: m, st: st, opts: o}
}

// ErrUnknownKey: the key names no write of this teacher (never used, released, or past its
// retention).
var ErrUnknownKey = errors.New("contact: unknown key")

// key is where a teacher's write is kept: by site and Moodle user (the token is not stored).
func (s *Service) key(t moodle.Credentials, kind, key string) store.WriteKey {
	return store.WriteKey{Site: t.Site, UserID: t.UserID, Kind: kind, Key: key}
}

// writeCtx is the context a write runs in: not cut short by a browser that goes away (once
// started, a write either happens or gets an outcome the teacher can read on reload), but
// bounded.
func (s *Service) writeCtx(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), s.opts.Timeout)
}

// purge drops the writes past their retention, at most once an hour per process.
func (s *Service) purge(ctx context.Context) {
	now := s.opts.Now()
	s.mu.Lock()
	due := now.Sub(s.purgedAt) > time.Hour
	if due {
		s.purgedAt = now
	}
	s.mu.Unlock()
	if !due {
		return
	}
	if n, err := s.st.PurgeWrites(ctx, now.Add(-s.opts.Retention)); err != nil {
		s.opts.Log.Warn("contact: purging old writes", "err", err)
	} else if n > 0 {
		s.opts.Log.Info("contact: purged writes past their retention", "writes", n)
	}
}

// touched is called once a write about a student may have reached Moodle.
func (s *Service) touched(t moodle.Credentials, courseID, studentID int64) {
	if s.opts.Cache != nil {
		s.opts.Cache.ForgetStudent(t, courseID, studentID)
	}
}

// crashedReason is what a recipient whose claim outlived its lease shows.
const crashedReason = "The dashboard stopped while writing this to Moodle, so it is not known whether Moodle got it. Retrying first looks in Moodle and writes it only if it is not there."

// settle reads a write, first turning claims past their lease into unknown, and waits (up to
// Wait) while another request is still writing one of its recipients.
func (s *Service) settle(ctx context.Context, k store.WriteKey) (store.Write, bool, error) {
	deadline := time.Now().Add(s.opts.Wait) // real time: waiting is not the clock the store keeps
	wait := 20 * time.Millisecond
	for {
		now := s.opts.Now()
		if _, err := s.st.ExpireClaims(ctx, k, now.Add(-s.opts.Lease), crashedReason, now); err != nil {
			return store.Write{}, false, err
		}
		w, ok, err := s.st.LoadWrite(ctx, k)
		if err != nil || !ok || !s.busy(w, now) || time.Now().After(deadline) {
			return w, ok, err
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return w, ok, nil
		case <-t.C:
		}
		wait = min(wait*2, 500*time.Millisecond)
	}
}

// busy reports whether a request is writing w right now: a recipient claimed, or not yet
// claimed by the request that created the write moments ago.
func (s *Service) busy(w store.Write, now time.Time) bool {
	for _, it := range w.Items {
		if it.State == store.Claimed || it.State == store.Pending && !s.stale(w, now) {
			return true
		}
	}
	return false
}

// stale reports whether the request that created w is gone (its lease is over).
func (s *Service) stale(w store.Write, now time.Time) bool {
	return w.Created.Before(now.Add(-s.opts.Lease))
}

// final reports whether nothing of w reached Moodle and nothing is left in doubt: then the key
// is released, and the same form may be sent again.
func final(w store.Write) bool {
	for _, it := range w.Items {
		if it.State != store.Refused {
			return false
		}
	}
	return len(w.Items) > 0
}

// claimToken names one attempt of this process at one recipient.
func claimToken() string { return strconv.FormatInt(time.Now().UnixNano(), 36) + "-" + randomHex(6) }

// stoppedReason is what a recipient shows whose write was recorded but never claimed: the
// server stopped before it called Moodle.
const stoppedReason = "The dashboard stopped before writing this to Moodle: nothing was delivered. Retry sends it."

// status turns a stored state into what the pages show.
func status(st store.State) Status {
	switch st {
	case store.Sent:
		return Sent
	case store.Refused:
		return Failed
	case store.Claimed, store.Pending:
		return Sending
	}
	return Unknown
}

// sendingReason is what a recipient another request is still writing shows.
const sendingReason = "Being written to Moodle right now by another request: reload this page in a moment to see the outcome."

// load reads a write: as it is, by the request that just created it; else once settled.
func (s *Service) load(ctx context.Context, k store.WriteKey, created bool) (store.Write, error) {
	var w store.Write
	var err error
	if created {
		w, _, err = s.st.LoadWrite(ctx, k)
	} else {
		w, _, err = s.settle(ctx, k)
	}
	return w, err
}
