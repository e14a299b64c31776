// Package store is the dashboard's own durable state: what it must remember across a restart
// and share between replicas (the outcome of each write to Moodle, and what later features
// add), never a copy of Moodle's records beyond what a feature needs.
//
// One Store speaks either SQLite (an embedded file, the default: a single server needs nothing
// else) or PostgreSQL (several replicas share it). Every row is keyed by the Moodle site (its
// base URL) and the Moodle user id of the teacher it belongs to, so Forget can delete one
// teacher's data. The schema is a set of numbered, embedded migrations run at Open.
//
// Queries are written once for both engines: placeholders $1, $2, …; times as Unix
// milliseconds in BIGINT columns; INSERT … ON CONFLICT and RETURNING, which both engines know.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver (pure Go)
)

// Dialect is the database engine behind a Store.
type Dialect string

// The engines a Store runs on.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// FileName is the SQLite database's name inside the data directory.
const FileName = "kts.db"

// Store is the dashboard's database. It is safe for concurrent use.
type Store struct {
	db      *sql.DB
	dialect Dialect
	log     *slog.Logger
}

// Open opens the database and brings its schema up to date. An empty databaseURL means an
// SQLite file kts.db in dataDir (created, mode 0700, if missing); a postgres:// or
// postgresql:// URL means PostgreSQL.
func Open(ctx context.Context, databaseURL, dataDir string, log *slog.Logger) (*Store, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	var (
		s   *Store
		err error
	)
	switch {
	case databaseURL == "":
		s, err = openSQLite(dataDir, log)
	case strings.HasPrefix(databaseURL, "postgres://"), strings.HasPrefix(databaseURL, "postgresql://"):
		s, err = openPostgres(databaseURL, log)
	default:
		return nil, errors.New("store: the database URL must be empty (an SQLite file in the data directory) or a postgres:// URL")
	}
	if err != nil {
		return nil, err
	}
	pctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := s.db.PingContext(pctx); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("store: cannot reach the %s database: %w", s.dialect, redact(err))
	}
	if err := s.migrate(ctx); err != nil {
		s.db.Close()
		return nil, err
	}
	return s, nil
}

func openSQLite(dataDir string, log *slog.Logger) (*Store, error) {
	if dataDir == "" {
		return nil, errors.New("store: no data directory for the SQLite database")
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("store: data directory: %w", err)
	}
	path, err := filepath.Abs(filepath.Join(dataDir, FileName))
	if err != nil {
		return nil, fmt.Errorf("store: data directory: %w", err)
	}
	// WAL lets pages read while a write is in flight; busy_timeout makes a writer wait for
	// another instead of failing; immediate transactions take the write lock at BEGIN, so two
	// transactions never deadlock upgrading a read lock.
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)" +
		"&_pragma=synchronous(NORMAL)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	db.SetMaxOpenConns(8)
	db.SetConnMaxIdleTime(5 * time.Minute)
	log.Info("store: SQLite", "path", path)
	return &Store{db: db, dialect: SQLite, log: log}, nil
}

func openPostgres(url string, log *slog.Logger) (*Store, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("store: %w", redact(err))
	}
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(4)
	db.SetConnMaxIdleTime(5 * time.Minute)
	log.Info("store: PostgreSQL")
	return &Store{db: db, dialect: Postgres, log: log}, nil
}

// redact keeps a connection error from carrying the URL's password into a log line.
func redact(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if i := strings.Index(msg, "://"); i >= 0 {
		if j := strings.Index(msg[i:], "@"); j >= 0 {
			msg = msg[:i+3] + "…" + msg[i+j:]
		}
	}
	return errors.New(msg)
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// DB is the database handle, for the packages that keep their own tables here. Write queries
// for both engines (see the package comment) and key every row by site and user id.
func (s *Store) DB() *sql.DB { return s.db }

// Dialect says which engine this Store runs on, for the rare query that must differ.
func (s *Store) Dialect() Dialect { return s.dialect }

// Tx runs fn in a transaction, committed when fn returns nil and rolled back otherwise.
func (s *Store) Tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Millis is how the store keeps a time: Unix milliseconds, 0 for the zero time.
func Millis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// FromMillis reads a time kept by Millis.
func FromMillis(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms)
}
