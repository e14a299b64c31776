package store

import (
	"context"
	"embed"
	"fmt"
	"hash/fnv"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// migrations are the schema's numbered steps (NNNNN_what.sql, goose's format), in SQL that
// both engines run: a later feature adds the next number, never edits a released one.
//
//go:embed migrations/*.sql
var migrations embed.FS

// migrate runs the migrations not yet applied. On PostgreSQL an advisory lock, one per
// database and schema, keeps two replicas starting at once from running them twice.
func (s *Store) migrate(ctx context.Context) error {
	fsys, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	dialect := goose.DialectSQLite3
	var opts []goose.ProviderOption
	if s.dialect == Postgres {
		dialect = goose.DialectPostgres
		var where string
		if err := s.db.QueryRowContext(ctx, "SELECT current_database() || '.' || current_schema()").Scan(&where); err != nil {
			return fmt.Errorf("store: %w", err)
		}
		h := fnv.New64a()
		h.Write([]byte("kts-migrations:" + where))
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(int64(h.Sum64()>>1)), lock.WithLockTimeout(1, 300))
		if err != nil {
			return err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(dialect, s.db, fsys, opts...)
	if err != nil {
		return fmt.Errorf("store: migrations: %w", err)
	}
	res, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("store: migrating the schema: %w", err)
	}
	for _, r := range res {
		s.log.Info("store: migrated", "version", r.Source.Version, "file", r.Source.Path)
	}
	return nil
}
