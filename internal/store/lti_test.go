package store_test

import (
	"testing"

	"github.com/knowthystudents/kts/internal/lti/ltitest"
	"github.com/knowthystudents/kts/internal/store"
	"github.com/knowthystudents/kts/internal/store/storetest"
)

func TestLTIStore(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ltitest.TestStore(t, s.LTI())
	})
}

func TestForgetDeletesTheLTIToken(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		l := s.LTI()
		l.SaveToken(t.Context(), "https://m.example", 3, []byte{1})
		l.SaveToken(t.Context(), "https://m.example", 4, []byte{2})
		n, err := s.Forget(t.Context(), "https://m.example", 3)
		if err != nil || n != 1 {
			t.Fatalf("Forget = %d, %v", n, err)
		}
		if _, err := l.Token(t.Context(), "https://m.example", 3); err == nil {
			t.Error("the token survived Forget")
		}
		if _, err := l.Token(t.Context(), "https://m.example", 4); err != nil {
			t.Errorf("another teacher's token went: %v", err)
		}
	})
}
