package store

import (
	"context"
	"database/sql"
	"fmt"
)

// userTables are every table that holds a teacher's data, children before parents. A feature
// that adds a table keyed by (site, user_id) lists it here, so Forget deletes it too: a test
// fails while a table with those columns is missing from the list.
var userTables = []string{
	"attention_marks",
	"attention_visits",
	"attention_flags",
	"attention_rules",
	"attention_contacts",
	"graded_columns",
	"lti_tokens",
	"write_items",
	"writes",
}

// Forget deletes everything the dashboard keeps about one teacher of one Moodle site (an
// admin's answer to "delete my data"; the command is `server -forget-user`). It reports how
// many rows went.
func (s *Store) Forget(ctx context.Context, site string, userID int64) (int64, error) {
	var n int64
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		for _, t := range userTables {
			res, err := tx.ExecContext(ctx, "DELETE FROM "+t+" WHERE site = $1 AND user_id = $2", site, userID)
			if err != nil {
				return fmt.Errorf("store: forgetting %s: %w", t, err)
			}
			k, _ := res.RowsAffected()
			n += k
		}
		return nil
	})
	return n, err
}

// UserTables lists the tables Forget deletes from (for tests and the documentation).
func UserTables() []string { return append([]string(nil), userTables...) }
