package handlers

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/knowthystudents/kts/internal/auth"
	"github.com/knowthystudents/kts/internal/failure"
	"github.com/knowthystudents/kts/views"
)

// signInReasons are the sentences behind /signin?reason=...: a fixed list, so that no query
// parameter can put text of its own on the page.
var signInReasons = map[string]string{
	"expired": "Your session ended or Moodle no longer accepts your sign-in. Please sign in again.",
}

func (s *server) signInModel(r *http.Request) views.SignIn {
	return views.SignIn{SiteName: s.siteLabel(), Demo: s.DemoAccounts}
}

func (s *server) siteLabel() string {
	if s.Demo {
		return "the demo Moodle"
	}
	return s.Moodle.BaseURL()
}

// signInForm shows the sign-in page.
func (s *server) signInForm(w http.ResponseWriter, r *http.Request) error {
	m := s.signInModel(r)
	m.Next = auth.SafeNext(r.URL.Query().Get("next"))
	m.Reason = signInReasons[r.URL.Query().Get("reason")]
	s.render(w, r, http.StatusOK, views.SignInPage(s.page(r, "Sign in"), m))
	return nil
}

// signInFailure re-renders the form with a sentence and a status.
func (s *server) signInFailure(w http.ResponseWriter, r *http.Request, status int, m views.SignIn, msg string) error {
	m.Error = msg
	if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "30")
	}
	s.render(w, r, status, views.SignInPage(s.page(r, "Sign in"), m))
	return nil
}

// Limits of the sign-in form, checked before anything else: Moodle's user.username is
// varchar(100) and a Moodle token is at most 128 characters (plausibleToken); a password
// longer than maxPassword is refused rather than sent. The whole form is bounded by
// maxSignInBody, so that an unauthenticated request costs a few kilobytes at most.
const (
	maxPassword   = 1024
	maxSignInBody = 16 << 10
)

// deviceCookie names the browser that signed in before: sign-in throttling counts such a
// browser on its own (see auth.Throttle), so that other people's failures cannot keep a
// teacher out of their usual browser. It carries a random id and nothing else.
const deviceCookie = "kts_device"

// signIn checks the form, signs in with Moodle (auth.SignIn: a username and password, or a
// pasted token) within the sign-in throttle, and starts a session.
func (s *server) signIn(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxSignInBody)
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	m := s.signInModel(r)
	m.Next = auth.SafeNext(r.PostForm.Get("next"))
	username := strings.TrimSpace(r.PostForm.Get("username"))
	password := r.PostForm.Get("password")
	token := strings.TrimSpace(r.PostForm.Get("token"))
	if utf8.RuneCountInString(username) > auth.MaxUsername || len(password) > maxPassword || len(token) > 128 {
		return s.signInFailure(w, r, http.StatusBadRequest, m,
			fmt.Sprintf("That is longer than Moodle allows: a username has at most %d characters, a token %d.", auth.MaxUsername, 128))
	}
	now := s.Now()

	m.Method = "password"
	if token != "" && username == "" && password == "" {
		m.Method = "token"
	}
	m.Username = username
	if m.Method == "password" && (username == "" || password == "") {
		return s.signInFailure(w, r, http.StatusBadRequest, m, "Enter both your Moodle username and your password, or paste a token.")
	}
	if m.Method == "token" && !plausibleToken(token) {
		return s.signInFailure(w, r, http.StatusUnauthorized, m, "That does not look like a Moodle token: a token is a string of letters and digits, usually 32 long.")
	}
	attempt := auth.Attempt{Client: s.clientIP(r), Device: deviceOf(r)}
	if m.Method == "password" {
		attempt.Username = username
	}
	// The attempt is counted before Moodle is asked and given back if it succeeds: counting
	// after the answer let twenty parallel guesses through before the first failure counted.
	res, wait, ok := s.Throttle.Reserve(attempt, now)
	if !ok {
		return s.signInFailure(w, r, http.StatusTooManyRequests, m,
			fmt.Sprintf("Too many failed sign-ins. Wait %d seconds, then try again.", int(wait.Seconds())+1))
	}
	login := auth.Login{Token: token}
	if m.Method == "password" {
		login = auth.Login{Username: username, Password: password, Service: s.Service}
	}
	u, err := auth.SignIn(r.Context(), s.Moodle, login, now)
	if err != nil {
		status, msg := s.loginError(err)
		if status != http.StatusUnauthorized {
			res.Refund() // Moodle did not judge the password or the token: not a guess
		}
		s.Log.Info("sign-in failed", "method", m.Method, "status", status, "err", err)
		return s.signInFailure(w, r, status, m, msg)
	}
	res.Refund()
	if err := s.sess.SignIn(r.Context(), u); err != nil {
		return err
	}
	if m.Method == "password" {
		s.trustDevice(w, r, username, now)
	}
	s.zone(r) // the teacher's time zone, asked once, now rather than on their first page
	s.Log.Info("signed in", "method", m.Method, "moodle_user", u.UserID)
	http.Redirect(w, r, m.Next, http.StatusSeeOther)
	return nil
}

// deviceOf is the browser's device id, if it sent a well-formed one.
func deviceOf(r *http.Request) string {
	c, err := r.Cookie(deviceCookie)
	if err != nil || len(c.Value) != 32 {
		return ""
	}
	return c.Value
}

// trustDevice marks this browser as one that signed in to username, for sign-in throttling.
func (s *server) trustDevice(w http.ResponseWriter, r *http.Request, username string, now time.Time) {
	id := deviceOf(r)
	if id == "" {
		var b [16]byte
		rand.Read(b[:])
		id = hex.EncodeToString(b[:])
	}
	s.Throttle.Trust(id, username, now)
	http.SetCookie(w, &http.Cookie{Name: deviceCookie, Value: id, Path: "/signin", MaxAge: 90 * 24 * 3600,
		HttpOnly: true, Secure: s.Sessions.Cookie.Secure, SameSite: http.SameSiteLaxMode})
}

// loginError gives each Moodle sign-in failure its own sentence and status, from the table.
func (s *server) loginError(err error) (int, string) {
	return failure.Explain(err).SignIn(s.Service)
}

// plausibleToken rejects pasted text that cannot be a token before it is sent anywhere.
func plausibleToken(t string) bool {
	if len(t) < 16 || len(t) > 128 {
		return false
	}
	for _, r := range t {
		if r > unicode.MaxASCII || !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// signOut ends the session, drops the user's cached data and goes home.
func (s *server) signOut(w http.ResponseWriter, r *http.Request) error {
	s.endSession(r, "signed out")
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

// clientIP is the address sign-in throttling counts against: the peer's address, or, when
// the peer is a configured trusted proxy, the nearest address in X-Forwarded-For that is not
// one. Forwarded headers from anyone else are ignored: a client cannot pick its own bucket.
func (s *server) clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if !s.trusted(host) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		h := strings.TrimSpace(hops[i])
		if h == "" {
			continue
		}
		if !s.trusted(h) {
			return h
		}
		host = h
	}
	return host
}

func (s *server) trusted(addr string) bool {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	for _, p := range s.TrustedProxies {
		if p.Contains(ip.Unmap()) {
			return true
		}
	}
	return false
}
