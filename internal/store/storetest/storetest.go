// Package storetest runs a test on every database engine the store supports: on SQLite always,
// and on PostgreSQL when KTS_TEST_DATABASE_URL names one (each test gets a schema of its own,
// so tests stay isolated and run in parallel). Without that variable the PostgreSQL half is
// skipped, saying so, except under CI=true, where it fails: CI must test both.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/knowthystudents/kts/internal/store"
)

// EnvURL is the variable naming the PostgreSQL database tests may create schemas in, e.g.
// postgres://kts:kts@127.0.0.1:5432/kts_test (scripts/postgres.sh kts_test kts kts makes it).
const EnvURL = "KTS_TEST_DATABASE_URL"

// Each runs fn as two parallel subtests, "sqlite" and "postgres", each with a fresh store.
func Each(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		fn(t, Open(t, "", t.TempDir()))
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		fn(t, Open(t, PostgresURL(t), ""))
	})
}

// EachURL is Each for tests that open stores themselves (two servers sharing one database, a
// restart): fn gets a database URL and a data directory that Open accepts, on each engine.
func EachURL(t *testing.T, fn func(t *testing.T, databaseURL, dataDir string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		fn(t, "", t.TempDir())
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		fn(t, PostgresURL(t), "")
	})
}

// Open opens a store and closes it when the test ends.
func Open(t testing.TB, databaseURL, dataDir string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), databaseURL, dataDir, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// PostgresURL creates an empty schema for this test in the database of KTS_TEST_DATABASE_URL
// and returns a URL whose connections use it; the schema is dropped when the test ends.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvURL)
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal(EnvURL + " is not set: under CI the store's tests must run on PostgreSQL too")
		}
		t.Skip("PostgreSQL half not run: set " + EnvURL + " (scripts/postgres.sh kts_test kts kts; postgres://kts:kts@127.0.0.1:5432/kts_test)")
	}
	var b [8]byte
	rand.Read(b[:])
	schema := "kts_test_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		admin.Close()
		t.Fatalf("creating a test schema in %s: %v", EnvURL, err)
	}
	t.Cleanup(func() {
		admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
