package cache

import (
	"strings"
	"testing"
	"time"
)

func TestKeysNeverCrossOwners(t *testing.T) {
	t.Parallel()
	c := New(Options{TTL: time.Minute, MaxEntries: 100})
	teacher := Owner{Site: "moodle.example", UserID: 3, TokenFP: Fingerprint("t1")}
	tutor := Owner{Site: "moodle.example", UserID: 4, TokenFP: Fingerprint("t2")}
	c.Set(CourseKey(teacher, "cohort", 2), "teacher data")
	if v, ok := c.Get(CourseKey(tutor, "cohort", 2)); ok {
		t.Fatalf("tutor read the teacher's entry: %v", v)
	}
	// Same user, new token: fresh data, not the old token's.
	renewed := teacher
	renewed.TokenFP = Fingerprint("t3")
	if _, ok := c.Get(CourseKey(renewed, "cohort", 2)); ok {
		t.Fatal("a new token read data cached under the old token")
	}
	if v, ok := c.Get(CourseKey(teacher, "cohort", 2)); !ok || v != "teacher data" {
		t.Fatalf("Get = %v, %v; want teacher data", v, ok)
	}
	for _, k := range c.Keys() {
		if strings.Contains(k, "t1") {
			t.Fatalf("key %q holds the token", k)
		}
	}
}

func TestDropOwner(t *testing.T) {
	t.Parallel()
	c := New(Options{TTL: time.Minute})
	a := Owner{Site: "s", UserID: 1, TokenFP: "a"}
	b := Owner{Site: "s", UserID: 2, TokenFP: "b"}
	c.Set(CourseKey(a, "cohort", 1), 1)
	c.Set(CourseKey(a, "cohort", 2), 2)
	c.Set(CourseKey(b, "cohort", 1), 3)
	c.DropOwner(a)
	if c.Len() != 1 {
		t.Fatalf("Len = %d after dropping a; want 1", c.Len())
	}
	if _, ok := c.Get(CourseKey(b, "cohort", 1)); !ok {
		t.Fatal("dropping a removed b's entry")
	}
}

func TestBoundedEvictsOldest(t *testing.T) {
	t.Parallel()
	c := New(Options{TTL: time.Minute, MaxEntries: 3})
	o := Owner{Site: "s", UserID: 1, TokenFP: "a"}
	for i := int64(1); i <= 5; i++ {
		c.Set(CourseKey(o, "cohort", i), i)
		time.Sleep(time.Millisecond)
	}
	if c.Len() != 3 {
		t.Fatalf("Len = %d; want 3", c.Len())
	}
	for i, want := range map[int64]bool{1: false, 2: false, 3: true, 4: true, 5: true} {
		if _, ok := c.Get(CourseKey(o, "cohort", i)); ok != want {
			t.Errorf("entry %d present = %v; want %v", i, ok, want)
		}
	}
}

func TestDisabled(t *testing.T) {
	t.Parallel()
	c := New(Options{TTL: 0})
	o := Owner{Site: "s", UserID: 1, TokenFP: "a"}
	c.Set(CourseKey(o, "x", 1), 1)
	if _, ok := c.Get(CourseKey(o, "x", 1)); ok {
		t.Fatal("a disabled cache returned a value")
	}
}
