package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/knowthystudents/kts/internal/attention"
	"github.com/knowthystudents/kts/internal/cohort"
)

// ContactRetention is how long a message sent from the dashboard is kept for the follow-up.
const ContactRetention = 180 * 24 * time.Hour

// Memory is the teachers' working memory (attention.Memory) kept in the store: durable and
// shared by replicas. Each method touches one teacher's rows of one course only.
type Memory struct{ s *Store }

// Memory returns the store's attention.Memory.
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

// Visit records a request to the course at now (attention.NextVisit): a new visit moves the
// current one, flags included, to previous, and keeps flags as the new visit's.
func (m *Memory) Visit(ctx context.Context, k attention.Key, now time.Time, flags attention.Snapshot) (attention.Visit, error) {
	var v attention.Visit
	err := m.s.Tx(ctx, func(tx *sql.Tx) error {
		var prev, cur int64
		err := tx.QueryRowContext(ctx, `SELECT previous_at, current_at FROM attention_visits WHERE site = $1 AND user_id = $2 AND course_id = $3`,
			k.Site, k.UserID, k.CourseID).Scan(&prev, &cur)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		old := attention.Visit{Previous: FromMillis(prev), Current: FromMillis(cur)}
		// A visit that goes on rewrites no snapshot: a reload costs one row.
		v = attention.NextVisit(old, now, flags)
		if attention.StartsVisit(old, now) {
			if _, err := tx.ExecContext(ctx, `DELETE FROM attention_flags WHERE site = $1 AND user_id = $2 AND course_id = $3 AND visit = 0`,
				k.Site, k.UserID, k.CourseID); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE attention_flags SET visit = 0 WHERE site = $1 AND user_id = $2 AND course_id = $3 AND visit = 1`,
				k.Site, k.UserID, k.CourseID); err != nil {
				return err
			}
			if err := insertFlags(ctx, tx, k, flags); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO attention_visits (site, user_id, course_id, previous_at, current_at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (site, user_id, course_id) DO UPDATE SET previous_at = excluded.previous_at, current_at = excluded.current_at`,
			k.Site, k.UserID, k.CourseID, Millis(v.Previous), Millis(v.Current)); err != nil {
			return err
		}
		var err2 error
		v.PreviousFlags, v.CurrentFlags, err2 = readFlags(ctx, tx, k, !v.Previous.IsZero())
		return err2
	})
	if err != nil {
		return attention.Visit{}, fmt.Errorf("store: recording a visit: %w", err)
	}
	return v, nil
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

// LastVisit returns the visits without recording one.
func (m *Memory) LastVisit(ctx context.Context, k attention.Key) (attention.Visit, error) {
	var v attention.Visit
	err := m.s.Tx(ctx, func(tx *sql.Tx) error {
		var prev, cur int64
		err := tx.QueryRowContext(ctx, `SELECT previous_at, current_at FROM attention_visits WHERE site = $1 AND user_id = $2 AND course_id = $3`,
			k.Site, k.UserID, k.CourseID).Scan(&prev, &cur)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		v.Previous, v.Current = FromMillis(prev), FromMillis(cur)
		v.PreviousFlags, v.CurrentFlags, err = readFlags(ctx, tx, k, prev != 0)
		return err
	})
	if err != nil {
		return attention.Visit{}, fmt.Errorf("store: reading visits: %w", err)
	}
	return v, nil
}

// readFlags reads both snapshots; the previous one is nil unless hasPrevious.
func readFlags(ctx context.Context, tx *sql.Tx, k attention.Key, hasPrevious bool) (prev, cur attention.Snapshot, err error) {
	rows, err := tx.QueryContext(ctx, `SELECT visit, student_id, codes FROM attention_flags WHERE site = $1 AND user_id = $2 AND course_id = $3`,
		k.Site, k.UserID, k.CourseID)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	cur = attention.Snapshot{}
	if hasPrevious {
		prev = attention.Snapshot{}
	}
	for rows.Next() {
		var (
			visit int
			id    int64
			codes string
		)
		if err := rows.Scan(&visit, &id, &codes); err != nil {
			return nil, nil, err
		}
		if visit == 1 {
			cur[id] = splitCodes(codes)
		} else if prev != nil {
			prev[id] = splitCodes(codes)
		}
	}
	return prev, cur, rows.Err()
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
