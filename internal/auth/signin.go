package auth

import (
	"context"
	"time"

	"github.com/knowthystudents/kts/internal/moodle"
)

// Moodle is what signing in asks of the Moodle client.
type Moodle interface {
	Login(ctx context.Context, username, password, service string) (string, error)
	SiteInfo(ctx context.Context, token string) (*moodle.SiteInfo, error)
	BaseURL() string
}

// Login is what a teacher signs in with: a username and password, exchanged for a token of
// Service, or (Username and Password empty) a token they pasted.
type Login struct {
	Username string
	Password string
	Service  string
	Token    string
}

// features are the site switches a user's pages depend on, kept as User.Off when off.
var features = []string{"messaging", "enablenotes"}

// SignIn asks Moodle who l is: it exchanges a password for a token (the password is used for
// that one request and dropped), then reads the site info the token vouches for. The user it
// returns is what the session keeps, signed in at now. Moodle's errors are returned as they
// are (moodle.ErrInvalidLogin, moodle.ErrInvalidToken, ...): the caller says what they mean.
func SignIn(ctx context.Context, m Moodle, l Login, now time.Time) (User, error) {
	token := l.Token
	if l.Username != "" || l.Password != "" {
		t, err := m.Login(ctx, l.Username, l.Password, l.Service)
		if err != nil {
			return User{}, err
		}
		token = t
	}
	info, err := m.SiteInfo(ctx, token)
	if err != nil {
		return User{}, err
	}
	u := User{Credentials: moodle.Credentials{Site: m.BaseURL(), UserID: info.UserID, Token: token},
		Username: info.Username, FullName: info.FullName, SiteName: info.SiteName, SignedIn: now}
	for _, f := range info.Functions {
		u.Functions = append(u.Functions, f.Name)
	}
	for _, f := range features {
		if info.FeatureOff(f) {
			u.Off = append(u.Off, f)
		}
	}
	return u, nil
}
