// Package auth keeps who is signed in: signing in with Moodle (SignIn), the Moodle user and
// their token in the server-side session (never in a cookie, URL, page or log), sign-in
// throttling, and the rule that a "next" address after sign-in is a local path.
package auth

import (
	"context"
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/knowthystudents/kts/internal/moodle"
)

// User is the signed-in Moodle user. Its Credentials (the site, the Moodle user id and the
// web-service token) are what every Moodle call on their behalf is made with; the token lives
// only in the server-side session store.
type User struct {
	moodle.Credentials
	Username  string
	FullName  string
	SiteName  string   // the site's name, as Moodle gives it
	Functions []string // the wsfunctions the token's service allows (from site info)
	// Off lists the site features switched off (messaging, enablenotes), from site info.
	Off      []string
	SignedIn time.Time
}

// Allows reports whether the token's service lists fn. An empty list (an older Moodle that
// does not report functions) allows everything; Moodle then decides.
func (u User) Allows(fn string) bool {
	if len(u.Functions) == 0 {
		return true
	}
	for _, f := range u.Functions {
		if f == fn {
			return true
		}
	}
	return false
}

// FeatureOff reports whether the site switched the feature off.
func (u User) FeatureOff(name string) bool {
	for _, f := range u.Off {
		if f == name {
			return true
		}
	}
	return false
}

// Session keys; the values are plain types so any scs store can hold them.
const (
	keyUserID    = "uid"
	keyUsername  = "username"
	keyFullName  = "fullname"
	keyToken     = "mtoken"
	keySiteName  = "site"
	keyFunctions = "functions"
	keySignedIn  = "signedin"
	keyOff       = "off"
)

// Sessions stores the signed-in user in an scs session. Site is the Moodle site every
// session's user belongs to (the client's base URL).
type Sessions struct {
	SM   *scs.SessionManager
	Site string
}

// SignIn renews the session id (no fixation) and stores u.
func (s Sessions) SignIn(ctx context.Context, u User) error {
	if err := s.SM.RenewToken(ctx); err != nil {
		return err
	}
	s.SM.Put(ctx, keyUserID, u.UserID)
	s.SM.Put(ctx, keyUsername, u.Username)
	s.SM.Put(ctx, keyFullName, u.FullName)
	s.SM.Put(ctx, keyToken, u.Token)
	s.SM.Put(ctx, keySiteName, u.SiteName)
	s.SM.Put(ctx, keyFunctions, u.Functions)
	s.SM.Put(ctx, keyOff, u.Off)
	s.SM.Put(ctx, keySignedIn, u.SignedIn.Unix()) // plain types only: any store's codec holds them
	return nil
}

// Current returns the signed-in user, if any.
func (s Sessions) Current(ctx context.Context) (User, bool) {
	tok := s.SM.GetString(ctx, keyToken)
	id := s.SM.GetInt64(ctx, keyUserID)
	if tok == "" || id == 0 {
		return User{}, false
	}
	fns, _ := s.SM.Get(ctx, keyFunctions).([]string)
	off, _ := s.SM.Get(ctx, keyOff).([]string)
	return User{
		Credentials: moodle.Credentials{Site: s.Site, UserID: id, Token: tok},
		Functions:   fns, Off: off,
		Username: s.SM.GetString(ctx, keyUsername),
		FullName: s.SM.GetString(ctx, keyFullName),
		SiteName: s.SM.GetString(ctx, keySiteName),
		SignedIn: time.Unix(s.SM.GetInt64(ctx, keySignedIn), 0),
	}, true
}

// SignOut destroys the session and renews its id.
func (s Sessions) SignOut(ctx context.Context) error {
	if err := s.SM.Destroy(ctx); err != nil {
		return err
	}
	return nil
}

// SessionOptions configure the session cookie and its timeouts.
type SessionOptions struct {
	Idle     time.Duration // a session ends after this long without a request
	Lifetime time.Duration // and this long after sign-in, whatever happens
	Secure   bool          // the cookie is sent over HTTPS only
	Store    scs.Store     // nil: in-process memory
	// OnError reports store failures (e.g. Redis down) with the request and the error.
	OnError func(w http.ResponseWriter, r *http.Request, err error)
}

// NewSessionManager builds the session manager: the cookie holds only the session id
// (HttpOnly, SameSite=Lax, Secure when configured), the data stays server-side.
func NewSessionManager(o SessionOptions) *scs.SessionManager {
	sm := scs.New()
	sm.IdleTimeout = o.Idle
	sm.Lifetime = o.Lifetime
	sm.Cookie.Name = "kts_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = o.Secure
	sm.Cookie.Path = "/"
	if o.Store != nil {
		sm.Store = o.Store
	}
	if o.OnError != nil {
		sm.ErrorFunc = o.OnError
	}
	return sm
}
