package ltitest

import (
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/lti"
)

// TestStore checks that s behaves as lti.Store promises; every implementation runs it.
func TestStore(t *testing.T, s lti.Store) {
	t.Helper()
	ctx := t.Context()
	now := time.Unix(1795376688, 0)

	// Platforms: saved, updated, deployments added to.
	p := lti.Platform{Issuer: "https://m.example", ClientID: "c1", DeploymentIDs: []string{"1"},
		AuthURL: "https://m.example/mod/lti/auth.php", TokenURL: "https://m.example/mod/lti/token.php", JWKSURL: "https://m.example/mod/lti/certs.php"}
	if err := s.SavePlatform(ctx, p); err != nil {
		t.Fatal(err)
	}
	p.DeploymentIDs = []string{"2", "1"}
	p.JWKSURL = "https://m.example/mod/lti/certs.php?v=2"
	if err := s.SavePlatform(ctx, p); err != nil {
		t.Fatal(err)
	}
	s.SavePlatform(ctx, lti.Platform{Issuer: "https://other.example", ClientID: "c1", DeploymentIDs: []string{"9"}})
	got, err := s.Platforms(ctx, "https://m.example")
	if err != nil || len(got) != 1 {
		t.Fatalf("Platforms = %+v, %v", got, err)
	}
	ids := slices.Clone(got[0].DeploymentIDs)
	slices.Sort(ids)
	if got[0].JWKSURL != p.JWKSURL || !slices.Equal(ids, []string{"1", "2"}) || got[0].AuthURL != p.AuthURL {
		t.Errorf("platform = %+v", got[0])
	}
	if none, _ := s.Platforms(ctx, "https://nobody.example"); len(none) != 0 {
		t.Errorf("unknown issuer: %+v", none)
	}

	// Logins: taken once; expired ones are dropped by a later put.
	l := lti.Login{State: "st1", Nonce: "n1", Issuer: p.Issuer, ClientID: "c1", CMID: 12, Expires: now.Add(time.Minute)}
	if err := s.PutLogin(ctx, l, now); err != nil {
		t.Fatal(err)
	}
	back, err := s.TakeLogin(ctx, "st1")
	if err != nil || back.Nonce != "n1" || back.CMID != 12 || !back.Expires.Equal(l.Expires) || back.ClientID != "c1" {
		t.Fatalf("TakeLogin = %+v, %v", back, err)
	}
	if _, err := s.TakeLogin(ctx, "st1"); !errors.Is(err, lti.ErrNotFound) {
		t.Errorf("second take: %v", err)
	}
	s.PutLogin(ctx, lti.Login{State: "old", Nonce: "n", Issuer: p.Issuer, ClientID: "c1", Expires: now.Add(-time.Minute)}, now)
	s.PutLogin(ctx, lti.Login{State: "new", Nonce: "n", Issuer: p.Issuer, ClientID: "c1", Expires: now.Add(time.Hour)}, now)
	if _, err := s.TakeLogin(ctx, "old"); !errors.Is(err, lti.ErrNotFound) {
		t.Errorf("an expired login survived a put: %v", err)
	}

	// Of two launches taking one state at once, exactly one gets it.
	s.PutLogin(ctx, lti.Login{State: "race", Nonce: "n", Issuer: p.Issuer, ClientID: "c1", Expires: now.Add(time.Hour)}, now)
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.TakeLogin(ctx, "race"); err == nil {
				mu.Lock()
				wins++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if wins != 1 {
		t.Errorf("%d launches took one state", wins)
	}

	// Nonces: once per issuer, until they expire.
	if err := s.UseNonce(ctx, p.Issuer, "n1", now.Add(time.Minute), now); err != nil {
		t.Fatal(err)
	}
	if err := s.UseNonce(ctx, p.Issuer, "n1", now.Add(time.Minute), now); !errors.Is(err, lti.ErrReplayed) {
		t.Errorf("replayed nonce: %v", err)
	}
	if err := s.UseNonce(ctx, "https://other.example", "n1", now.Add(time.Minute), now); err != nil {
		t.Errorf("another issuer's nonce: %v", err)
	}

	// The tool key: made once, then always the same.
	calls := 0
	mk := func() ([]byte, error) {
		calls++
		return []byte(`{"kty":"RSA","k":"` + string(rune('0'+calls)) + `"}`), nil
	}
	k1, err := s.ToolKey(ctx, mk)
	if err != nil {
		t.Fatal(err)
	}
	k2, _ := s.ToolKey(ctx, mk)
	if string(k1) != string(k2) || calls != 1 {
		t.Errorf("keys %s, %s after %d creations", k1, k2, calls)
	}

	// Tokens: replaced, per site and user, forgotten.
	if _, err := s.Token(ctx, p.Issuer, 3); !errors.Is(err, lti.ErrNotFound) {
		t.Errorf("no token: %v", err)
	}
	s.SaveToken(ctx, p.Issuer, 3, []byte{1, 0, 255})
	s.SaveToken(ctx, p.Issuer, 3, []byte{2, 0, 255})
	s.SaveToken(ctx, p.Issuer, 4, []byte{4})
	if tok, err := s.Token(ctx, p.Issuer, 3); err != nil || !slices.Equal(tok, []byte{2, 0, 255}) {
		t.Errorf("token = %v, %v", tok, err)
	}
	if err := s.ForgetToken(ctx, p.Issuer, 3); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Token(ctx, p.Issuer, 3); !errors.Is(err, lti.ErrNotFound) {
		t.Errorf("forgotten token: %v", err)
	}
	if tok, _ := s.Token(ctx, p.Issuer, 4); !slices.Equal(tok, []byte{4}) {
		t.Errorf("another teacher's token went: %v", tok)
	}
	if err := s.ForgetToken(ctx, p.Issuer, 99); err != nil {
		t.Errorf("forgetting nothing: %v", err)
	}
}
