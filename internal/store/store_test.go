package store_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/knowthystudents/kts/internal/store"
	"github.com/knowthystudents/kts/internal/store/storetest"
)

var t0 = time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)

func key(user int64, k string) store.WriteKey {
	return store.WriteKey{Site: "https://moodle.example", UserID: user, Kind: "message", Key: k}
}

func newWrite(k store.WriteKey, recipients ...int64) store.Write {
	w := store.Write{WriteKey: k, CourseID: 2, Meta: "personal", Created: t0}
	for _, r := range recipients {
		w.Items = append(w.Items, store.Item{Recipient: r, Text: `Quote "x" & <y> don't 🎉`})
	}
	return w
}

func TestWriteLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		k := key(3, "k1")
		if _, ok, err := s.LoadWrite(ctx, k); err != nil || ok {
			t.Fatalf("LoadWrite before create = %v, %v; want not found", ok, err)
		}
		if created, err := s.CreateWrite(ctx, newWrite(k, 7, 5)); err != nil || !created {
			t.Fatalf("CreateWrite = %v, %v; want created", created, err)
		}
		if created, err := s.CreateWrite(ctx, newWrite(k, 9)); err != nil || created {
			t.Fatalf("second CreateWrite = %v, %v; want not created", created, err)
		}
		got, claimedOK := claim(t, s, k, 7, "a", store.Pending)
		if !claimedOK || !got {
			t.Fatal("claim of a pending item failed")
		}
		if ok, _ := claim(t, s, k, 7, "b", store.Pending); ok {
			t.Fatal("a second claim of a claimed item succeeded")
		}
		if ok, err := s.FinishItem(ctx, k, 7, "b", store.Item{State: store.Sent}, t0); err != nil || ok {
			t.Fatalf("FinishItem by a non-holder = %v, %v; want false", ok, err)
		}
		if ok, err := s.FinishItem(ctx, k, 7, "a", store.Item{State: store.Sent, MoodleID: 42}, t0.Add(time.Second)); err != nil || !ok {
			t.Fatalf("FinishItem = %v, %v", ok, err)
		}
		w, ok, err := s.LoadWrite(ctx, k)
		if err != nil || !ok {
			t.Fatalf("LoadWrite = %v, %v", ok, err)
		}
		want := []store.Item{
			{Recipient: 7, Text: `Quote "x" & <y> don't 🎉`, State: store.Sent, MoodleID: 42, ClaimedAt: t0, Updated: t0.Add(time.Second)},
			{Recipient: 5, Text: `Quote "x" & <y> don't 🎉`, State: store.Pending, Updated: t0},
		}
		if diff := cmp.Diff(want, w.Items); diff != "" {
			t.Errorf("items (-want +got):\n%s", diff)
		}
		if w.CourseID != 2 || w.Meta != "personal" || !w.Created.Equal(t0) {
			t.Errorf("write = %+v", w)
		}
		if err := s.DeleteWrite(ctx, k); err != nil {
			t.Fatal(err)
		}
		if created, err := s.CreateWrite(ctx, newWrite(k, 9)); err != nil || !created {
			t.Fatalf("CreateWrite after delete = %v, %v; want created (key released)", created, err)
		}
	})
}

func claim(t *testing.T, s *store.Store, k store.WriteKey, r int64, token string, from ...store.State) (bool, bool) {
	t.Helper()
	ok, err := s.ClaimItem(t.Context(), k, r, token, from, t0)
	if err != nil {
		t.Fatal(err)
	}
	return ok, true
}

// Of many servers racing to create and claim one key, exactly one wins each.
func TestCreateAndClaimRace(t *testing.T) {
	storetest.EachURL(t, func(t *testing.T, url, dir string) {
		a := storetest.Open(t, url, dir)
		b := storetest.Open(t, url, dir)
		k := key(3, "race")
		var created, claimed int
		var mu sync.Mutex
		var wg sync.WaitGroup
		for i := range 16 {
			s := a
			if i%2 == 1 {
				s = b
			}
			wg.Go(func() {
				c, err := s.CreateWrite(context.Background(), newWrite(k, 7))
				if err != nil {
					t.Error(err)
					return
				}
				got, err := s.ClaimItem(context.Background(), k, 7, string(rune('a'+i)), []store.State{store.Pending}, t0)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				defer mu.Unlock()
				if c {
					created++
				}
				if got {
					claimed++
				}
			})
		}
		wg.Wait()
		if created != 1 || claimed != 1 {
			t.Errorf("created %d times, claimed %d times; want 1 and 1", created, claimed)
		}
	})
}

func TestExpireClaims(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		k := key(3, "crash")
		s.CreateWrite(ctx, newWrite(k, 7, 8))
		claim(t, s, k, 7, "gone", store.Pending)
		if n, err := s.ExpireClaims(ctx, k, t0, "r", t0); err != nil || n != 0 {
			t.Fatalf("ExpireClaims of a fresh claim = %d, %v; want 0", n, err)
		}
		if n, err := s.ExpireClaims(ctx, k, t0.Add(time.Minute), "may have been sent", t0.Add(time.Minute)); err != nil || n != 1 {
			t.Fatalf("ExpireClaims = %d, %v; want 1", n, err)
		}
		w, _, _ := s.LoadWrite(ctx, k)
		if w.Items[0].State != store.Unknown || w.Items[0].Reason != "may have been sent" || w.Items[1].State != store.Pending {
			t.Errorf("items after expiry = %+v", w.Items)
		}
		if ok, _ := claim(t, s, k, 7, "retry", store.Unknown); !ok {
			t.Error("an unknown item could not be claimed by a retry")
		}
		if ok, _ := s.FinishItem(ctx, k, 7, "gone", store.Item{State: store.Sent}, t0); ok {
			t.Error("the crashed holder finished a claim it had lost")
		}
	})
}

func TestForgetDeletesOneTeacher(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		mine, other := key(3, "a"), key(4, "a")
		otherSite := key(3, "a")
		otherSite.Site = "https://other.example"
		for _, k := range []store.WriteKey{mine, other, otherSite} {
			if _, err := s.CreateWrite(ctx, newWrite(k, 7, 8)); err != nil {
				t.Fatal(err)
			}
		}
		n, err := s.Forget(ctx, mine.Site, mine.UserID)
		if err != nil || n != 3 {
			t.Fatalf("Forget = %d, %v; want 3 rows", n, err)
		}
		for k, want := range map[store.WriteKey]bool{mine: false, other: true, otherSite: true} {
			if _, ok, _ := s.LoadWrite(ctx, k); ok != want {
				t.Errorf("after Forget, %+v known = %v, want %v", k, ok, want)
			}
		}
	})
}

// siteWide are the tables that hold no teacher's data: LTI's registrations of the site, its
// one-time logins and nonces (kept before any user is known, gone within minutes) and the
// tool's own key.
var siteWide = map[string]bool{"lti_platforms": true, "lti_deployments": true, "lti_logins": true, "lti_nonces": true, "lti_keys": true}

// Every table with a teacher's rows is one Forget deletes from: a new table keyed by site and
// user_id that is not listed in userTables fails here.
func TestForgetCoversEveryTable(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		tables := map[string][]string{}
		q := `SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table'`
		if s.Dialect() == store.Postgres {
			q = `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()`
		}
		rows, err := s.DB().QueryContext(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var tbl, col string
			rows.Scan(&tbl, &col)
			tables[tbl] = append(tables[tbl], col)
		}
		for tbl, cols := range tables {
			if tbl == "goose_db_version" || strings.HasPrefix(tbl, "sqlite_") || siteWide[tbl] {
				continue
			}
			if !slices.Contains(cols, "site") || !slices.Contains(cols, "user_id") {
				t.Errorf("table %s has no site and user_id columns: key it by teacher, or document why not and exempt it here", tbl)
				continue
			}
			if !slices.Contains(store.UserTables(), tbl) {
				t.Errorf("table %s is not in userTables: Forget would leave its rows", tbl)
			}
		}
		if len(tables) < 2 {
			t.Errorf("found tables %v; the catalog query is wrong", tables)
		}
	})
}

func TestPurgeWrites(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		old, fresh := key(3, "old"), key(3, "fresh")
		s.CreateWrite(ctx, newWrite(old, 7))
		w := newWrite(fresh, 7)
		w.Created = t0.Add(48 * time.Hour)
		s.CreateWrite(ctx, w)
		if n, err := s.PurgeWrites(ctx, t0.Add(time.Hour)); err != nil || n != 1 {
			t.Fatalf("PurgeWrites = %d, %v; want 1", n, err)
		}
		if _, ok, _ := s.LoadWrite(ctx, old); ok {
			t.Error("the old write survived its retention")
		}
		if _, ok, _ := s.LoadWrite(ctx, fresh); !ok {
			t.Error("the fresh write was purged")
		}
		var items int
		if err := s.DB().QueryRowContext(ctx, `SELECT count(*) FROM write_items`).Scan(&items); err != nil || items != 1 {
			t.Errorf("write_items after the purge: %d, %v; want 1 (the old write's items go with it)", items, err)
		}
	})
}

// What a store keeps survives closing and opening it again, and migrating twice is harmless.
func TestReopen(t *testing.T) {
	storetest.EachURL(t, func(t *testing.T, url, dir string) {
		s, err := store.Open(t.Context(), url, dir, nil)
		if err != nil {
			t.Fatal(err)
		}
		s.CreateWrite(t.Context(), newWrite(key(3, "kept"), 7))
		s.Close()
		s2 := storetest.Open(t, url, dir)
		if _, ok, err := s2.LoadWrite(t.Context(), key(3, "kept")); err != nil || !ok {
			t.Fatalf("after reopening, LoadWrite = %v, %v", ok, err)
		}
	})
}

func TestSQLiteDataDir(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "kts-data")
	storetest.Open(t, "", dir)
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o700 {
		t.Errorf("data directory mode = %v, want 0700", fi.Mode().Perm())
	}
	if _, err := os.Stat(filepath.Join(dir, store.FileName)); err != nil {
		t.Errorf("no database file: %v", err)
	}
}

func TestOpenRejects(t *testing.T) {
	t.Parallel()
	for _, u := range []string{"mysql://x", "kts.db"} {
		if _, err := store.Open(t.Context(), u, t.TempDir(), nil); err == nil {
			t.Errorf("Open(%q) succeeded", u)
		}
	}
	_, err := store.Open(t.Context(), "postgres://kts:s3cret@127.0.0.1:1/x?connect_timeout=1", "", nil)
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("Open of an unreachable PostgreSQL = %v; want an error without the password", err)
	}
}
