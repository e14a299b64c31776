package auth

import (
	"testing"
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
