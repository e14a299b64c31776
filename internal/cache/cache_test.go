package cache

import (
	"strings"
	"testing"
	"time"
)

func TestKeysNeverCrossOwners(t *testing.T) {
	t.Parallel()
	c := New(Options{TTL: time.Minute, MaxBytes: 1 << 20})
	teacher := Owner{Site: "moodle.example", UserID: 3, TokenFP: Fingerprint("t1")}
	tutor := Owner{Site: "moodle.example", UserID: 4, TokenFP: Fingerprint("t2")}
	c.Set(CourseKey(teacher, "cohort", 2), "teacher data")
	if v, ok := c.get(CourseKey(tutor, "cohort", 2)); ok {
		t.Fatalf("tutor read the teacher's entry: %v", v)
	}
	// Same user, new token: fresh data, not the old token's.
	renewed := teacher
	renewed.TokenFP = Fingerprint("t3")
	if _, ok := c.get(CourseKey(renewed, "cohort", 2)); ok {
		t.Fatal("a new token read data cached under the old token")
	}
	if v, ok := c.get(CourseKey(teacher, "cohort", 2)); !ok || v != "teacher data" {
		t.Fatalf("Get = %v, %v; want teacher data", v, ok)
	}
	// The key holds the token's fingerprint, never the token: a Moodle token is 32 hex
	// digits, which a careless fingerprint (a prefix, the token itself) would show.
	token := "0123456789abcdef0123456789abcdef"
	owner := Owner{Site: "moodle.example", UserID: 5, TokenFP: Fingerprint(token)}
	c.Set(CourseKey(owner, "cohort", 2), "x")
	if fp := Fingerprint(token); fp == Fingerprint(token[:31]+"0") || len(fp) != 16 {
		t.Fatalf("Fingerprint = %q: want 16 hex digits that tell tokens apart", fp)
	}
	found := false
	for _, k := range c.Keys() {
		for i := 0; i+8 <= len(token); i++ {
			if strings.Contains(k, token[i:i+8]) {
				t.Fatalf("key %q holds part of the token", k)
			}
		}
		found = found || strings.Contains(k, owner.TokenFP)
	}
	if !found {
		t.Fatalf("no key holds the owner's fingerprint %q: %q", owner.TokenFP, c.Keys())
	}
}

func TestDropOwner(t *testing.T) {
	t.Parallel()
	c := New(Options{TTL: time.Minute, MaxBytes: 1 << 20})
	a := Owner{Site: "s", UserID: 1, TokenFP: "a"}
	b := Owner{Site: "s", UserID: 2, TokenFP: "b"}
	c.Set(CourseKey(a, "cohort", 1), 1)
	c.Set(CourseKey(a, "cohort", 2), 2)
	c.Set(CourseKey(b, "cohort", 1), 3)
	c.DropOwner(a)
	if c.Len() != 1 {
		t.Fatalf("Len = %d after dropping a; want 1", c.Len())
	}
	if _, ok := c.get(CourseKey(b, "cohort", 1)); !ok {
		t.Fatal("dropping a removed b's entry")
	}
}

func TestBoundedEvictsOldest(t *testing.T) {
	t.Parallel()
	c := New(Options{TTL: time.Minute, MaxBytes: 3 * DefaultSize})
	o := Owner{Site: "s", UserID: 1, TokenFP: "a"}
	for i := int64(1); i <= 5; i++ {
		c.Set(CourseKey(o, "cohort", i), i) // DefaultSize each; recency is a counter, not the clock: no sleep needed
	}
	if c.Len() != 3 {
		t.Fatalf("Len = %d; want 3", c.Len())
	}
	for i, want := range map[int64]bool{1: false, 2: false, 3: true, 4: true, 5: true} {
		if _, ok := c.get(CourseKey(o, "cohort", i)); ok != want {
			t.Errorf("entry %d present = %v; want %v", i, ok, want)
		}
	}
}

// A bound of 0 bytes keeps nothing: that is how caching is switched off. The TTL is not a
// switch: 0 is the default lifetime.
func TestDisabled(t *testing.T) {
	t.Parallel()
	o := Owner{Site: "s", UserID: 1, TokenFP: "a"}
	for _, tt := range []struct {
		opts Options
		keep bool
	}{
		{Options{TTL: time.Minute}, false},
		{Options{TTL: time.Minute, MaxBytes: -1}, false},
		{Options{MaxBytes: 1 << 20}, true},
		{Options{TTL: time.Minute, MaxBytes: 1 << 20}, true},
	} {
		c := New(tt.opts)
		c.Set(CourseKey(o, "x", 1), 1)
		if _, ok := c.get(CourseKey(o, "x", 1)); ok != tt.keep || c.Enabled() != tt.keep {
			t.Errorf("%+v: value kept %v, Enabled %v; want %v", tt.opts, ok, c.Enabled(), tt.keep)
		}
	}
}

// sized is a value with a declared size.
type sized int64

func (s sized) CacheSize() int64 { return int64(s) }

func TestBoundsEvictLeastRecentlyUsed(t *testing.T) {
	t.Parallel()
	o := Owner{Site: "s", UserID: 1, TokenFP: "a"}
	key := func(i int64) Key { return CourseKey(o, "cohort", i) }
	tests := []struct {
		name      string
		opts      Options
		steps     func(c *Cache)
		want      map[int64]bool // entry present
		wantBytes int64
		wantLen   int
	}{
		{
			name: "bytes: the oldest go first",
			opts: Options{TTL: time.Minute, MaxBytes: 100},
			steps: func(c *Cache) {
				c.Set(key(1), sized(40))
				c.Set(key(2), sized(40))
				c.Set(key(3), sized(40)) // 120 > 100: 1 goes
			},
			want:      map[int64]bool{1: false, 2: true, 3: true},
			wantBytes: 80,
			wantLen:   2,
		},
		{
			name: "bytes: a read keeps an entry",
			opts: Options{TTL: time.Minute, MaxBytes: 100},
			steps: func(c *Cache) {
				c.Set(key(1), sized(40))
				c.Set(key(2), sized(40))
				c.get(key(1))
				c.Set(key(3), sized(40)) // 2 is now the least recently used
			},
			want:      map[int64]bool{1: true, 2: false, 3: true},
			wantBytes: 80,
			wantLen:   2,
		},
		{
			name: "bytes: replacing a value counts it once",
			opts: Options{TTL: time.Minute, MaxBytes: 100},
			steps: func(c *Cache) {
				c.Set(key(1), sized(40))
				c.Set(key(1), sized(60))
				c.Set(key(2), sized(40))
			},
			want:      map[int64]bool{1: true, 2: true},
			wantBytes: 100,
			wantLen:   2,
		},
		{
			name: "bytes: one value larger than the bound stays alone",
			opts: Options{TTL: time.Minute, MaxBytes: 100},
			steps: func(c *Cache) {
				c.Set(key(1), sized(10))
				c.Set(key(2), sized(500))
			},
			want:      map[int64]bool{1: false, 2: true},
			wantBytes: 500,
			wantLen:   1,
		},
		{
			name: "many small values: only their bytes count",
			opts: Options{TTL: time.Minute, MaxBytes: 2},
			steps: func(c *Cache) {
				c.Set(key(1), sized(1))
				c.Set(key(2), sized(1))
				c.Set(key(3), sized(1))
			},
			want:      map[int64]bool{1: false, 2: true, 3: true},
			wantBytes: 2,
			wantLen:   2,
		},
		{
			name: "a value that is not a Sizer counts DefaultSize",
			opts: Options{TTL: time.Minute, MaxBytes: 2 * DefaultSize},
			steps: func(c *Cache) {
				c.Set(key(1), "a")
				c.Set(key(2), "b")
				c.Set(key(3), "c")
			},
			want:      map[int64]bool{1: false, 2: true, 3: true},
			wantBytes: 2 * DefaultSize,
			wantLen:   2,
		},
		{
			name: "deleting frees the bytes",
			opts: Options{TTL: time.Minute, MaxBytes: 100},
			steps: func(c *Cache) {
				c.Set(key(1), sized(40))
				c.Delete(key(1))
			},
			want:      map[int64]bool{1: false},
			wantBytes: 0,
			wantLen:   0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := New(tt.opts)
			tt.steps(c)
			for i, want := range tt.want {
				if _, ok := c.get(key(i)); ok != want {
					t.Errorf("entry %d present = %v; want %v", i, ok, want)
				}
			}
			if got := c.Len(); got != tt.wantLen {
				t.Errorf("Len() = %d; want %d", got, tt.wantLen)
			}
			if got := c.Bytes(); got != tt.wantBytes {
				t.Errorf("Bytes() = %d; want %d", got, tt.wantBytes)
			}
		})
	}
}

func TestExpiryFreesBytes(t *testing.T) {
	t.Parallel()
	c := New(Options{TTL: time.Minute, MaxBytes: 1000})
	o := Owner{Site: "s", UserID: 1, TokenFP: "a"}
	c.SetFor(CourseKey(o, "x", 1), sized(300), time.Millisecond)
	// Poll the observable event (the entry has expired), with a deadline.
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		if _, ok := c.get(CourseKey(o, "x", 1)); !ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the entry never expired")
		}
	}
	c.c.DeleteExpired() // what the janitor does every TTL
	if got := c.Bytes(); got != 0 {
		t.Fatalf("Bytes() = %d after expiry; want 0", got)
	}
}
