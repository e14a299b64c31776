package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/knowthystudents/kts/internal/attention"
)

// GradedColumns returns the graded activities (cmids, in the teacher's order) the teacher
// chose as columns of the course's cohort page; none when nothing is saved.
func (s *Store) GradedColumns(ctx context.Context, k attention.Key) ([]int64, error) {
	var raw string
	err := s.db.QueryRowContext(ctx, `SELECT cmids FROM graded_columns WHERE site = $1 AND user_id = $2 AND course_id = $3`,
		k.Site, k.UserID, k.CourseID).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: reading grade columns: %w", err)
	}
	var out []int64
	for _, f := range strings.Split(raw, ",") {
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("store: grade columns of course %d: %q is not a cmid", k.CourseID, f)
		}
		out = append(out, id)
	}
	return out, nil
}

// SetGradedColumns saves the teacher's graded columns for the course; none deletes the row
// (the reset: no extra columns, as for a teacher who never chose).
func (s *Store) SetGradedColumns(ctx context.Context, k attention.Key, cmids []int64, now time.Time) error {
	if len(cmids) == 0 {
		if _, err := s.db.ExecContext(ctx, `DELETE FROM graded_columns WHERE site = $1 AND user_id = $2 AND course_id = $3`,
			k.Site, k.UserID, k.CourseID); err != nil {
			return fmt.Errorf("store: resetting grade columns: %w", err)
		}
		return nil
	}
	parts := make([]string, len(cmids))
	for i, id := range cmids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO graded_columns (site, user_id, course_id, cmids, updated_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (site, user_id, course_id) DO UPDATE SET cmids = excluded.cmids, updated_at = excluded.updated_at`,
		k.Site, k.UserID, k.CourseID, strings.Join(parts, ","), Millis(now))
	if err != nil {
		return fmt.Errorf("store: saving grade columns: %w", err)
	}
	return nil
}
