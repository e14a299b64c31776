package auth_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/auth"
	"github.com/knowthystudents/kts/internal/moodle"
)

// fakeMoodle answers sign-in's two calls and records them.
type fakeMoodle struct {
	loginErr error
	calls    []string
}

func (f *fakeMoodle) Login(_ context.Context, username, password, service string) (string, error) {
	f.calls = append(f.calls, "login "+username+" "+service)
	if f.loginErr != nil {
		return "", f.loginErr
	}
	return "token-from-login", nil
}

func (f *fakeMoodle) SiteInfo(_ context.Context, token string) (*moodle.SiteInfo, error) {
	f.calls = append(f.calls, "siteinfo "+token)
	return &moodle.SiteInfo{UserID: 3, Username: "kts.teacher", FullName: "Kim Teacher", SiteName: "School",
		Functions:        []moodle.Function{{Name: moodle.FuncSiteInfo}, {Name: moodle.FuncCreateNotes}},
		AdvancedFeatures: []moodle.Feature{{Name: "messaging", Value: moodle.Number{Value: 0, Valid: true}}, {Name: "enablenotes", Value: moodle.Number{Value: 1, Valid: true}}}}, nil
}

func (f *fakeMoodle) BaseURL() string { return "https://moodle.example" }

func TestSignIn(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	t.Run("password", func(t *testing.T) {
		t.Parallel()
		m := &fakeMoodle{}
		u, err := auth.SignIn(t.Context(), m, auth.Login{Username: "kts.teacher", Password: "pw", Service: "kts"}, now)
		if err != nil {
			t.Fatal(err)
		}
		want := moodle.Credentials{Site: "https://moodle.example", UserID: 3, Token: "token-from-login"}
		if u.Credentials != want || u.Username != "kts.teacher" || u.FullName != "Kim Teacher" || u.SiteName != "School" || !u.SignedIn.Equal(now) {
			t.Errorf("user %+v %v", u, u.Credentials == want)
		}
		if !u.Allows(moodle.FuncCreateNotes) || u.Allows(moodle.FuncSendMessages) || !slices.Equal(u.Off, []string{"messaging"}) {
			t.Errorf("functions %v, off %v", u.Functions, u.Off)
		}
		if !slices.Equal(m.calls, []string{"login kts.teacher kts", "siteinfo token-from-login"}) {
			t.Errorf("calls %v", m.calls)
		}
	})
	t.Run("token", func(t *testing.T) {
		t.Parallel()
		m := &fakeMoodle{}
		u, err := auth.SignIn(t.Context(), m, auth.Login{Token: "pasted"}, now)
		if err != nil || u.Token != "pasted" || !slices.Equal(m.calls, []string{"siteinfo pasted"}) {
			t.Errorf("token sign-in: %v %v, calls %v", u.Credentials, err, m.calls)
		}
	})
	t.Run("refused", func(t *testing.T) {
		t.Parallel()
		m := &fakeMoodle{loginErr: &moodle.Error{Function: "login", Code: "invalidlogin"}}
		u, err := auth.SignIn(t.Context(), m, auth.Login{Username: "kts.teacher", Password: "wrong"}, now)
		if !errors.Is(err, moodle.ErrInvalidLogin) || u.Token != "" || len(m.calls) != 1 {
			t.Errorf("refused: %v %v, calls %v", u.Credentials, err, m.calls)
		}
	})
}
