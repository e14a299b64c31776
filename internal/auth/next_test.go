package auth

import (
	"testing"
	"time"
)

func TestSafeNext(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"/course/2", "/course/2"},
		{"/course/2?group=1&sort=name", "/course/2?group=1&sort=name"},
		{"", "/"},
		{"//evil.example", "/"},
		{"https://evil.example/", "/"},
		{"http:/evil.example", "/"},
		{"/\\evil.example", "/"},
		{"\\\\evil.example", "/"},
		{"/%2F%2Fevil.example", "/"},
		{"%2F%2Fevil.example", "/"},
		{"/%5Cevil.example", "/"},
		{"/%255Cevil.example", "/"},
		{"/%252F%252Fevil.example", "/"},
		{"javascript:alert(1)", "/"},
		{"/course/2\r\nSet-Cookie: x=1", "/"},
		{"/%0d%0aSet-Cookie:x", "/"},
		{"course/2", "/"},
		{"/\tevil", "/"},
	}
	for _, tt := range tests {
		if got := SafeNext(tt.in); got != tt.want {
			t.Errorf("SafeNext(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestThrottle(t *testing.T) {
	t.Parallel()
	th := NewThrottle(3, time.Minute)
	now := time.Unix(1000, 0)
	for i := range 3 {
		if blocked, _ := th.Blocked("1.2.3.4", "kts.teacher", now); blocked {
			t.Fatalf("blocked after %d failures; want 3 allowed", i)
		}
		th.Failed("1.2.3.4", "kts.teacher", now)
	}
	if blocked, wait := th.Blocked("1.2.3.4", "kts.teacher", now); !blocked || wait <= 0 {
		t.Fatalf("Blocked = %v, %v after 3 failures; want blocked with a wait", blocked, wait)
	}
	// The same username from another address is still throttled (per username).
	if blocked, _ := th.Blocked("5.6.7.8", "KTS.Teacher ", now); !blocked {
		t.Fatal("another address guessing the same username was not throttled")
	}
	// Another user from another address is not.
	if blocked, _ := th.Blocked("5.6.7.8", "someone", now); blocked {
		t.Fatal("an unrelated sign-in was throttled")
	}
	// After the refill period one more attempt is allowed.
	if blocked, _ := th.Blocked("1.2.3.4", "kts.teacher", now.Add(61*time.Second)); blocked {
		t.Fatal("still blocked after the bucket refilled")
	}
}
