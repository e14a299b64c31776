package auth

import (
	"fmt"
	"testing"
	"time"
)

func reserve(t *testing.T, th *Throttle, a Attempt, now time.Time) bool {
	t.Helper()
	_, _, ok := th.Reserve(a, now)
	return ok
}

func TestThrottleCountsOneAccountHoweverSpelled(t *testing.T) {
	t.Parallel()
	th := NewThrottle(3, time.Minute)
	now := time.Unix(1000, 0)
	for i, name := range []string{"kts.teacher", "KTS.Teacher ", "kts.teacher!"} {
		if !reserve(t, th, Attempt{Client: "1.2.3.4", Username: name}, now) {
			t.Fatalf("attempt %d (%q) refused; want 3 allowed", i+1, name)
		}
	}
	_, wait, ok := th.Reserve(Attempt{Client: "1.2.3.4", Username: "kts.tea cher"}, now)
	if ok || wait <= 0 {
		t.Fatalf("4th attempt: ok %v wait %v; want refused with a wait", ok, wait)
	}
	// Another user from the same address is not refused (the address's own bucket is larger).
	if !reserve(t, th, Attempt{Client: "1.2.3.4", Username: "someone"}, now) {
		t.Fatal("an unrelated account from the same address was refused")
	}
	// After the refill period one more attempt is allowed.
	if !reserve(t, th, Attempt{Client: "1.2.3.4", Username: "kts.teacher"}, now.Add(61*time.Second)) {
		t.Fatal("still refused after the bucket refilled")
	}
}

func TestThrottleRefundGivesTheAttemptBack(t *testing.T) {
	t.Parallel()
	th := NewThrottle(1, time.Minute)
	now := time.Unix(1000, 0)
	for i := range 5 {
		r, _, ok := th.Reserve(Attempt{Client: "1.2.3.4", Username: "kts.teacher"}, now)
		if !ok {
			t.Fatalf("successful sign-in %d refused: successes must not count", i+1)
		}
		r.Refund()
	}
	if !reserve(t, th, Attempt{Client: "1.2.3.4", Username: "kts.teacher"}, now) {
		t.Fatal("the one failure allowed was refused")
	}
	if reserve(t, th, Attempt{Client: "1.2.3.4", Username: "kts.teacher"}, now) {
		t.Fatal("a second failure was allowed with a burst of 1")
	}
}

func TestThrottleCountsAnIPv6Slash64AsOneClient(t *testing.T) {
	t.Parallel()
	th := NewThrottle(2, time.Minute)
	now := time.Unix(1000, 0)
	for _, ip := range []string{"2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:ffff"} {
		if !reserve(t, th, Attempt{Client: ip, Username: "kts.teacher"}, now) {
			t.Fatalf("%s refused early", ip)
		}
	}
	if reserve(t, th, Attempt{Client: "2001:db8:1:2::abcd", Username: "kts.teacher"}, now) {
		t.Fatal("a third address of the same /64 was let through")
	}
	if !reserve(t, th, Attempt{Client: "2001:db8:1:3::1", Username: "kts.teacher"}, now) {
		t.Fatal("another /64 was refused by the first one's pair bucket")
	}
	for in, want := range map[string]string{
		"2001:db8:1:2:3:4:5:6": "2001:db8:1:2::/64", "fe80::1%eth0": "fe80::/64", "::ffff:10.0.0.1": "10.0.0.1",
		"10.0.0.1": "10.0.0.1", "not an address": "?", "10.0.0.1:4711": "10.0.0.1", "[2001:db8:1:2::9]:443": "2001:db8:1:2::/64",
	} {
		if got := ClientNetwork(in); got != want {
			t.Errorf("ClientNetwork(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestThrottleRefusalsCreateNothingAndEntriesAreBounded(t *testing.T) {
	t.Parallel()
	th := NewThrottleWith(ThrottleOptions{Pair: Limit{1, time.Minute}, Client: Limit{1, time.Minute},
		Account: Limit{1, time.Minute}, Device: Limit{1, time.Minute}, MaxEntries: 30})
	now := time.Unix(1000, 0)
	if !reserve(t, th, Attempt{Client: "1.2.3.4", Username: "a"}, now) {
		t.Fatal("first attempt refused")
	}
	n := th.Entries()
	for i := range 100 {
		// Refused by the spent client bucket: no bucket for the new names.
		if reserve(t, th, Attempt{Client: "1.2.3.4", Username: fmt.Sprintf("user%d", i)}, now) {
			t.Fatal("attempt from a spent client let through")
		}
	}
	if th.Entries() != n {
		t.Errorf("refused attempts grew the throttle from %d to %d entries", n, th.Entries())
	}
	for i := range 100 {
		th.Reserve(Attempt{Client: fmt.Sprintf("10.0.%d.%d", i/250, i%250), Username: fmt.Sprintf("user%d", i)}, now)
	}
	if th.Entries() > 30 {
		t.Errorf("%d entries; want at most 30", th.Entries())
	}
	// Once the buckets refilled, they are forgotten and new attempts get room again.
	if !reserve(t, th, Attempt{Client: "192.0.2.1", Username: "late"}, now.Add(2*time.Minute)) {
		t.Fatal("a new attempt was refused after every bucket refilled")
	}
}

func TestThrottleTrustedDeviceIsCountedOnItsOwn(t *testing.T) {
	t.Parallel()
	th := NewThrottle(2, time.Minute)
	now := time.Unix(1000, 0)
	const dev = "0123456789abcdef0123456789abcdef"
	th.Trust(dev, "kts.teacher", now)
	// Someone else spends the account's and the school network's buckets.
	for i := range 40 {
		th.Reserve(Attempt{Client: fmt.Sprintf("192.0.2.%d", i%3), Username: "kts.teacher"}, now)
	}
	if reserve(t, th, Attempt{Client: "192.0.2.1", Username: "kts.teacher"}, now) {
		t.Fatal("the attacker's buckets were not spent")
	}
	// The teacher's own browser, on the same network, still gets its attempts.
	if !reserve(t, th, Attempt{Client: "192.0.2.1", Username: "KTS.teacher", Device: dev}, now) {
		t.Fatal("the trusted browser was locked out by someone else's failures")
	}
	// The device is trusted for its account only: for another one, the usual buckets count.
	for i := range 40 {
		th.Reserve(Attempt{Client: fmt.Sprintf("198.51.100.%d", i), Username: "kts.other"}, now)
	}
	if reserve(t, th, Attempt{Client: "192.0.2.1", Username: "kts.other", Device: dev}, now) {
		t.Fatal("the device cookie opened another account's spent bucket")
	}
	// And it has its own small bucket.
	reserve(t, th, Attempt{Client: "192.0.2.1", Username: "kts.teacher", Device: dev}, now)
	if reserve(t, th, Attempt{Client: "192.0.2.1", Username: "kts.teacher", Device: dev}, now) {
		t.Fatal("a trusted device guessed without limit")
	}
}

func TestThrottleNamesWithNothingMoodleKeepsGetTheirOwnBucket(t *testing.T) {
	t.Parallel()
	th := NewThrottle(1, time.Minute)
	now := time.Unix(1000, 0)
	// Spending the bucket of one all-Cyrillic name does not spend another's (on a site with
	// extendedusernamechars they are two accounts)...
	if !reserve(t, th, Attempt{Client: "10.0.0.1", Username: "Дмитрий"}, now) || reserve(t, th, Attempt{Client: "10.0.0.1", Username: "дмитрий "}, now) {
		t.Fatal("one all-Cyrillic name, however cased, is not one bucket")
	}
	if !reserve(t, th, Attempt{Client: "10.0.0.1", Username: "мария"}, now) {
		t.Fatal("another all-Cyrillic name shares the first one's bucket")
	}
	// ...and a name that keeps something of Moodle's alphabet is still folded as Moodle does.
	if !reserve(t, th, Attempt{Client: "10.0.0.2", Username: "kts.tutor"}, now) || reserve(t, th, Attempt{Client: "10.0.0.2", Username: "kts.tutorж"}, now) {
		t.Fatal("kts.tutorж is not counted as kts.tutor")
	}
}
