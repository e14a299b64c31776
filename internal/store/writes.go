package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// WriteKey names one write: a form key of one teacher on one site, for one kind of write.
type WriteKey struct {
	Site   string // the Moodle site's base URL
	UserID int64  // the teacher's Moodle user id
	Kind   string // "message", "note", "contact"
	Key    string // the form's key
}

// State is where one recipient's write to Moodle stands.
type State string

// The lifecycle of a recipient's write: Pending → Claimed → Sent | Refused | Unknown. A claim
// is taken with a compare-and-set on the row, so of two servers only one writes; Refused and
// Unknown may be claimed again by a retry (Unknown only once Moodle was checked).
const (
	Pending State = "pending"
	Claimed State = "claimed"
	Sent    State = "sent"
	Refused State = "refused"
	Unknown State = "unknown"
)

// Item is one recipient of a write.
type Item struct {
	Recipient int64 // the student's Moodle user id
	Text      string
	State     State
	Reason    string
	MoodleID  int64
	ClaimedAt time.Time
	Updated   time.Time
}

// Write is a write with its recipients, in the order they were given.
type Write struct {
	WriteKey
	CourseID int64
	Meta     string
	Created  time.Time
	Items    []Item
}

// CreateWrite records a new write with every item pending and reports whether it was new: of
// two servers creating the same key at once, exactly one gets true.
func (s *Store) CreateWrite(ctx context.Context, w Write) (bool, error) {
	created := false
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO writes (site, user_id, kind, form_key, course_id, meta, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
			w.Site, w.UserID, w.Kind, w.Key, w.CourseID, w.Meta, Millis(w.Created))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		for i, it := range w.Items {
			if _, err := tx.ExecContext(ctx, `INSERT INTO write_items (site, user_id, kind, form_key, recipient_id, position, body, state, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
				w.Site, w.UserID, w.Kind, w.Key, it.Recipient, i, it.Text, Pending, Millis(w.Created)); err != nil {
				return err
			}
		}
		created = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("store: recording a write: %w", err)
	}
	return created, nil
}

// LoadWrite reads a write and its items; ok is false when the key is not known.
func (s *Store) LoadWrite(ctx context.Context, k WriteKey) (w Write, ok bool, err error) {
	w.WriteKey = k
	var created int64
	err = s.db.QueryRowContext(ctx, `SELECT course_id, meta, created_at FROM writes
		WHERE site = $1 AND user_id = $2 AND kind = $3 AND form_key = $4`, k.Site, k.UserID, k.Kind, k.Key).
		Scan(&w.CourseID, &w.Meta, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return Write{}, false, nil
	}
	if err != nil {
		return Write{}, false, fmt.Errorf("store: reading a write: %w", err)
	}
	w.Created = FromMillis(created)
	rows, err := s.db.QueryContext(ctx, `SELECT recipient_id, body, state, reason, moodle_id, claimed_at, updated_at FROM write_items
		WHERE site = $1 AND user_id = $2 AND kind = $3 AND form_key = $4 ORDER BY position`, k.Site, k.UserID, k.Kind, k.Key)
	if err != nil {
		return Write{}, false, fmt.Errorf("store: reading a write: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var it Item
		var claimed, updated int64
		if err := rows.Scan(&it.Recipient, &it.Text, &it.State, &it.Reason, &it.MoodleID, &claimed, &updated); err != nil {
			return Write{}, false, fmt.Errorf("store: reading a write: %w", err)
		}
		it.ClaimedAt, it.Updated = FromMillis(claimed), FromMillis(updated)
		w.Items = append(w.Items, it)
	}
	if err := rows.Err(); err != nil {
		return Write{}, false, fmt.Errorf("store: reading a write: %w", err)
	}
	return w, true, nil
}

// ClaimItem moves one recipient from one of the states in from to Claimed, under the claim
// token, and reports whether this caller got it. Only the holder of a claim may finish it.
func (s *Store) ClaimItem(ctx context.Context, k WriteKey, recipient int64, claim string, from []State, now time.Time) (bool, error) {
	if len(from) == 0 {
		return false, nil
	}
	args := []any{claim, Millis(now), k.Site, k.UserID, k.Kind, k.Key, recipient}
	ph := make([]string, len(from))
	for i, st := range from {
		args = append(args, string(st))
		ph[i] = fmt.Sprintf("$%d", len(args))
	}
	res, err := s.db.ExecContext(ctx, `UPDATE write_items SET state = 'claimed', claim = $1, claimed_at = $2, updated_at = $2
		WHERE site = $3 AND user_id = $4 AND kind = $5 AND form_key = $6 AND recipient_id = $7
		AND state IN (`+strings.Join(ph, ", ")+`)`, args...)
	if err != nil {
		return false, fmt.Errorf("store: claiming a write: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// FinishItem records the outcome of a claimed recipient; it does nothing (and reports false)
// when the claim is no longer this caller's.
func (s *Store) FinishItem(ctx context.Context, k WriteKey, recipient int64, claim string, it Item, now time.Time) (bool, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE write_items SET state = $1, reason = $2, moodle_id = $3, claim = '', updated_at = $4
		WHERE site = $5 AND user_id = $6 AND kind = $7 AND form_key = $8 AND recipient_id = $9 AND state = 'claimed' AND claim = $10`,
		string(it.State), it.Reason, it.MoodleID, Millis(now), k.Site, k.UserID, k.Kind, k.Key, recipient, claim)
	if err != nil {
		return false, fmt.Errorf("store: recording a write's outcome: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// ExpireClaims turns the claims of k taken before the given time into Unknown with reason: the
// server holding them stopped (a crash, a kill) at a point where Moodle may or may not have
// stored the write. It reports how many claims it expired.
func (s *Store) ExpireClaims(ctx context.Context, k WriteKey, before time.Time, reason string, now time.Time) (int64, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE write_items SET state = 'unknown', reason = $1, claim = '', updated_at = $2
		WHERE site = $3 AND user_id = $4 AND kind = $5 AND form_key = $6 AND state = 'claimed' AND claimed_at < $7`,
		reason, Millis(now), k.Site, k.UserID, k.Kind, k.Key, Millis(before))
	if err != nil {
		return 0, fmt.Errorf("store: expiring claims: %w", err)
	}
	return res.RowsAffected()
}

// DeleteWrite forgets a write, freeing its key: used when Moodle refused all of it, so the same
// form may be sent again.
func (s *Store) DeleteWrite(ctx context.Context, k WriteKey) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM writes WHERE site = $1 AND user_id = $2 AND kind = $3 AND form_key = $4`,
		k.Site, k.UserID, k.Kind, k.Key)
	if err != nil {
		return fmt.Errorf("store: releasing a write: %w", err)
	}
	return nil
}

// PurgeWrites deletes the writes created before the given time (their retention is over) and
// reports how many.
func (s *Store) PurgeWrites(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM writes WHERE created_at < $1`, Millis(before))
	if err != nil {
		return 0, fmt.Errorf("store: purging writes: %w", err)
	}
	return res.RowsAffected()
}
