package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/knowthystudents/kts/internal/attention"
	"github.com/knowthystudents/kts/internal/cohort"
)

// ContactRetention is how long a message sent from the dashboard is kept for the follow-up.
const ContactRetention = 180 * 24 * time.Hour

// Memory is the teachers' working memory (attention.Memory) kept in the store: durable and
// shared by replicas. Each method touches one teacher's rows of one course only.
// Snapshots of flags, which never change once written, are kept in memory too: use one Memory
// per process.
type Memory struct {
	s     *Store
	mu    sync.Mutex
	snaps map[snapKey]attention.Snapshot
}

// Memory returns a new attention.Memory over the store.
func (s *Store) Memory() *Memory { return &Memory{s: s} }

var _ attention.Memory = (*Memory)(nil)

func joinCodes(cs []cohort.FlagCode) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = string(c)
	}
	return strings.Join(parts, ";")
}

func splitCodes(s string) []cohort.FlagCode {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ";")
	out := make([]cohort.FlagCode, len(parts))
	for i, p := range parts {
		out[i] = cohort.FlagCode(p)
	}
	return out
}

// Marks returns the teacher's marks for the course by student id.
func (m *Memory) Marks(ctx context.Context, k attention.Key) (map[int64]attention.Mark, error) {
	rows, err := m.s.db.QueryContext(ctx, `SELECT student_id, state, until_at, reasons, updated_at FROM attention_marks
		WHERE site = $1 AND user_id = $2 AND course_id = $3`, k.Site, k.UserID, k.CourseID)
	if err != nil {
		return nil, fmt.Errorf("store: reading states: %w", err)
	}
	defer rows.Close()
	out := map[int64]attention.Mark{}
	for rows.Next() {
		var (
			mk             attention.Mark
			state, reasons string
			until, updated int64
		)
		if err := rows.Scan(&mk.UserID, &state, &until, &reasons, &updated); err != nil {
			return nil, fmt.Errorf("store: reading states: %w", err)
		}
		mk.State, mk.Until, mk.Reasons, mk.Updated = attention.State(state), FromMillis(until), splitCodes(reasons), FromMillis(updated)
		out[mk.UserID] = mk
	}
	return out, rows.Err()
}

// SetMarks sets or replaces marks; a mark of state new deletes the row.
func (m *Memory) SetMarks(ctx context.Context, k attention.Key, marks []attention.Mark) error {
	err := m.s.Tx(ctx, func(tx *sql.Tx) error {
		for _, mk := range marks {
			if mk.State == attention.New || mk.State == "" {
				if _, err := tx.ExecContext(ctx, `DELETE FROM attention_marks WHERE site = $1 AND user_id = $2 AND course_id = $3 AND student_id = $4`,
					k.Site, k.UserID, k.CourseID, mk.UserID); err != nil {
					return err
				}
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO attention_marks (site, user_id, course_id, student_id, state, until_at, reasons, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
				ON CONFLICT (site, user_id, course_id, student_id) DO UPDATE SET
					state = excluded.state, until_at = excluded.until_at, reasons = excluded.reasons, updated_at = excluded.updated_at`,
				k.Site, k.UserID, k.CourseID, mk.UserID, string(mk.State), Millis(mk.Until), joinCodes(mk.Reasons), Millis(mk.Updated)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: saving states: %w", err)
	}
	return nil
}

// Visit records a request to the course at now (attention.NextVisit). A new visit moves the
// current one, snapshot included, to previous and keeps flags as its own; a request within a
// visit writes nothing unless its last request is a minute old (then one row).
func (m *Memory) Visit(ctx context.Context, k attention.Key, now time.Time, flags attention.Snapshot) (attention.Visit, error) {
	now = now.Truncate(time.Millisecond) // what the store keeps
	var v attention.Visit
	err := m.s.Tx(ctx, func(tx *sql.Tx) error {
		old, err := readVisit(ctx, tx, k)
		if err != nil {
			return err
		}
		v = attention.NextVisit(old, now, flags)
		switch {
		case attention.StartsVisit(old, now):
			for _, q := range []string{
				`DELETE FROM attention_flags WHERE site = $1 AND user_id = $2 AND course_id = $3 AND visit = 0`,
				`UPDATE attention_flags SET visit = 0 WHERE site = $1 AND user_id = $2 AND course_id = $3 AND visit = 1`,
			} {
				if _, err := tx.ExecContext(ctx, q, k.Site, k.UserID, k.CourseID); err != nil {
					return err
				}
			}
			if err := insertFlags(ctx, tx, k, flags); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO attention_visits (site, user_id, course_id, previous_at, previous_start, current_at, current_start)
				VALUES ($1, $2, $3, $4, $5, $6, $7)
				ON CONFLICT (site, user_id, course_id) DO UPDATE SET previous_at = excluded.previous_at, previous_start = excluded.previous_start,
					current_at = excluded.current_at, current_start = excluded.current_start`,
				k.Site, k.UserID, k.CourseID, Millis(v.Previous), Millis(v.PreviousStart), Millis(v.Current), Millis(v.CurrentStart)); err != nil {
				return err
			}
		case now.Sub(old.Current) >= time.Minute:
			if _, err := tx.ExecContext(ctx, `UPDATE attention_visits SET current_at = $4 WHERE site = $1 AND user_id = $2 AND course_id = $3`,
				k.Site, k.UserID, k.CourseID, Millis(now)); err != nil {
				return err
			}
		default:
			v.Current = old.Current // not written: say what the store holds
		}
		return m.fillFlags(ctx, tx, k, &v)
	})
	if err != nil {
		return attention.Visit{}, fmt.Errorf("store: recording a visit: %w", err)
	}
	if !v.CurrentStart.IsZero() {
		m.remember(k, v.CurrentStart, v.CurrentFlags)
	}
	return v, nil
}

// LastVisit returns the visits without recording one.
func (m *Memory) LastVisit(ctx context.Context, k attention.Key) (attention.Visit, error) {
	var v attention.Visit
	err := m.s.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if v, err = readVisit(ctx, tx, k); err != nil {
			return err
		}
		return m.fillFlags(ctx, tx, k, &v)
	})
	if err != nil {
		return attention.Visit{}, fmt.Errorf("store: reading visits: %w", err)
	}
	return v, nil
}

func readVisit(ctx context.Context, tx *sql.Tx, k attention.Key) (attention.Visit, error) {
	var prev, prevStart, cur, curStart int64
	err := tx.QueryRowContext(ctx, `SELECT previous_at, previous_start, current_at, current_start FROM attention_visits
		WHERE site = $1 AND user_id = $2 AND course_id = $3`, k.Site, k.UserID, k.CourseID).Scan(&prev, &prevStart, &cur, &curStart)
	if errors.Is(err, sql.ErrNoRows) {
		return attention.Visit{}, nil
	}
	return attention.Visit{Previous: FromMillis(prev), PreviousStart: FromMillis(prevStart), Current: FromMillis(cur), CurrentStart: FromMillis(curStart)}, err
}

// fillFlags gives v the snapshots of its visits. A snapshot never changes once its visit has
// begun, so it is read once per process (and visit) and then comes from memory: a 5,000-student
// course has 4,000 rows of it.
func (m *Memory) fillFlags(ctx context.Context, tx *sql.Tx, k attention.Key, v *attention.Visit) error {
	get := func(visit int, start time.Time) (attention.Snapshot, error) {
		if start.IsZero() {
			return nil, nil
		}
		if snap, ok := m.recall(k, start); ok {
			return snap, nil
		}
		snap, err := readFlags(ctx, tx, k, visit)
		if err == nil {
			m.remember(k, start, snap)
		}
		return snap, err
	}
	var err error
	if v.CurrentFlags == nil {
		if v.CurrentFlags, err = get(1, v.CurrentStart); err != nil {
			return err
		}
	}
	if v.PreviousFlags == nil {
		v.PreviousFlags, err = get(0, v.PreviousStart)
	}
	return err
}

// flagRowsPerInsert bounds one INSERT of snapshot rows: a 5,000-student course is 25
// statements, not 5,000 round trips to PostgreSQL.
const flagRowsPerInsert = 200

// insertFlags writes flags as the current visit's snapshot, in student order.
func insertFlags(ctx context.Context, tx *sql.Tx, k attention.Key, flags attention.Snapshot) error {
	ids := make([]int64, 0, len(flags))
	for id := range flags {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for start := 0; start < len(ids); start += flagRowsPerInsert {
		chunk := ids[start:min(start+flagRowsPerInsert, len(ids))]
		var q strings.Builder
		q.WriteString(`INSERT INTO attention_flags (site, user_id, course_id, visit, student_id, codes) VALUES `)
		args := []any{k.Site, k.UserID, k.CourseID}
		for i, id := range chunk {
			if i > 0 {
				q.WriteString(", ")
			}
			n := len(args)
			fmt.Fprintf(&q, "($1, $2, $3, 1, $%d, $%d)", n+1, n+2)
			args = append(args, id, joinCodes(flags[id]))
		}
		if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
			return err
		}
	}
	return nil
}

// readFlags reads the snapshot of visit 1 (current) or 0 (previous).
func readFlags(ctx context.Context, tx *sql.Tx, k attention.Key, visit int) (attention.Snapshot, error) {
	rows, err := tx.QueryContext(ctx, `SELECT student_id, codes FROM attention_flags WHERE site = $1 AND user_id = $2 AND course_id = $3 AND visit = $4`,
		k.Site, k.UserID, k.CourseID, visit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	snap := attention.Snapshot{}
	for rows.Next() {
		var (
			id    int64
			codes string
		)
		if err := rows.Scan(&id, &codes); err != nil {
			return nil, err
		}
		snap[id] = splitCodes(codes)
	}
	return snap, rows.Err()
}

// snapKey names one visit's snapshot: the teacher, course and the visit's start.
type snapKey struct {
	k     attention.Key
	start int64
}

// maxSnapshots bounds the snapshots kept in memory (each up to a few hundred kB).
const maxSnapshots = 256

func (m *Memory) recall(k attention.Key, start time.Time) (attention.Snapshot, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	snap, ok := m.snaps[snapKey{k, Millis(start)}]
	return snap, ok
}

func (m *Memory) remember(k attention.Key, start time.Time, snap attention.Snapshot) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.snaps == nil {
		m.snaps = map[snapKey]attention.Snapshot{}
	}
	if len(m.snaps) >= maxSnapshots {
		for key := range m.snaps { // any one: the next request reads it again
			delete(m.snaps, key)
			break
		}
	}
	m.snaps[snapKey{k, Millis(start)}] = snap
}

// Rules returns the teacher's rules for the course, the zero Rules when none are saved.
func (m *Memory) Rules(ctx context.Context, k attention.Key) (attention.Rules, error) {
	var raw string
	err := m.s.db.QueryRowContext(ctx, `SELECT rules FROM attention_rules WHERE site = $1 AND user_id = $2 AND course_id = $3`,
		k.Site, k.UserID, k.CourseID).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return attention.Rules{}, nil
	}
	if err != nil {
		return attention.Rules{}, fmt.Errorf("store: reading flag rules: %w", err)
	}
	var r attention.Rules
	if err := json.Unmarshal([]byte(raw), &r); err != nil {
		return attention.Rules{}, fmt.Errorf("store: flag rules of course %d: %w", k.CourseID, err)
	}
	return r, nil
}

// SetRules saves the teacher's rules for the course.
func (m *Memory) SetRules(ctx context.Context, k attention.Key, r attention.Rules, now time.Time) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	_, err = m.s.db.ExecContext(ctx, `INSERT INTO attention_rules (site, user_id, course_id, rules, updated_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (site, user_id, course_id) DO UPDATE SET rules = excluded.rules, updated_at = excluded.updated_at`,
		k.Site, k.UserID, k.CourseID, string(b), Millis(now))
	if err != nil {
		return fmt.Errorf("store: saving flag rules: %w", err)
	}
	return nil
}

// Contacts returns the messages the teacher sent in the course, oldest first.
func (m *Memory) Contacts(ctx context.Context, k attention.Key) ([]attention.Contact, error) {
	rows, err := m.s.db.QueryContext(ctx, `SELECT student_id, sent_at, codes FROM attention_contacts
		WHERE site = $1 AND user_id = $2 AND course_id = $3 ORDER BY sent_at, student_id`, k.Site, k.UserID, k.CourseID)
	if err != nil {
		return nil, fmt.Errorf("store: reading contacts: %w", err)
	}
	defer rows.Close()
	var out []attention.Contact
	for rows.Next() {
		var (
			c     attention.Contact
			at    int64
			codes string
		)
		if err := rows.Scan(&c.UserID, &at, &codes); err != nil {
			return nil, fmt.Errorf("store: reading contacts: %w", err)
		}
		c.At, c.Codes = FromMillis(at), splitCodes(codes)
		out = append(out, c)
	}
	return out, rows.Err()
}

// AddContacts records messages sent, and drops this teacher's contacts in the course older
// than ContactRetention.
func (m *Memory) AddContacts(ctx context.Context, k attention.Key, cs []attention.Contact) error {
	err := m.s.Tx(ctx, func(tx *sql.Tx) error {
		var newest time.Time
		for _, c := range cs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO attention_contacts (site, user_id, course_id, student_id, sent_at, codes) VALUES ($1, $2, $3, $4, $5, $6)
				ON CONFLICT DO NOTHING`, k.Site, k.UserID, k.CourseID, c.UserID, Millis(c.At), joinCodes(c.Codes)); err != nil {
				return err
			}
			if c.At.After(newest) {
				newest = c.At
			}
		}
		if newest.IsZero() {
			return nil
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM attention_contacts WHERE site = $1 AND user_id = $2 AND course_id = $3 AND sent_at < $4`,
			k.Site, k.UserID, k.CourseID, Millis(newest.Add(-ContactRetention)))
		return err
	})
	if err != nil {
		return fmt.Errorf("store: recording contacts: %w", err)
	}
	return nil
}
