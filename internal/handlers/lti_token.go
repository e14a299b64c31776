package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/knowthystudents/kts/internal/auth"
	"github.com/knowthystudents/kts/internal/lti"
	"github.com/knowthystudents/kts/internal/moodle"
	"github.com/knowthystudents/kts/views"
)

// Session keys of a launch waiting for the teacher's token (plain types, as in auth).
const (
	keyLTIUser     = "lti_uid"
	keyLTICourse   = "lti_course"
	keyLTIUsername = "lti_username"
	keyLTIName     = "lti_name"
)

// ltiEnter signs a verified teacher's launch in: with the token kept from an earlier launch
// when Moodle still accepts it for this very user, else through the page that asks for it.
func (s *server) ltiEnter(w http.ResponseWriter, r *http.Request, l lti.Launch) error {
	ctx := r.Context()
	if u, ok := s.sess.Current(ctx); ok {
		if u.UserID == l.UserID {
			http.Redirect(w, r, views.CoursePath(l.CourseID), http.StatusSeeOther)
			return nil
		}
		s.endSession(r, "another Moodle user launched the dashboard in this browser")
	}
	token, kept, err := s.LTITokens.Get(ctx, l.UserID)
	if err != nil {
		return err
	}
	if kept {
		u, err := auth.SignIn(ctx, s.Moodle, auth.Login{Token: token}, s.Now())
		switch {
		case errors.Is(err, moodle.ErrInvalidToken):
			s.Log.Info("lti: the kept token is no longer accepted; asking again", "moodle_user", l.UserID)
			if err := s.LTITokens.Forget(ctx, l.UserID); err != nil {
				return err
			}
		case err != nil:
			return err
		case u.UserID != l.UserID:
			s.Log.Warn("lti: the kept token belongs to another Moodle user; forgotten", "moodle_user", l.UserID, "token_user", u.UserID)
			if err := s.LTITokens.Forget(ctx, l.UserID); err != nil {
				return err
			}
			return &httpError{Status: http.StatusForbidden, Heading: "The launch from Moodle was refused",
				Message: "The Moodle key the dashboard kept for your account belongs to another Moodle user, so the dashboard has forgotten it. Launch the dashboard from Moodle again and enter your own password.",
				Next:    "Nothing was signed in."}
		default:
			if err := s.sess.SignIn(ctx, u); err != nil {
				return err
			}
			s.Log.Info("signed in", "method", "lti", "moodle_user", u.UserID)
			http.Redirect(w, r, views.CoursePath(l.CourseID), http.StatusSeeOther)
			return nil
		}
	}
	if err := s.Sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.Sessions.Put(ctx, keyLTIUser, l.UserID)
	s.Sessions.Put(ctx, keyLTICourse, l.CourseID)
	s.Sessions.Put(ctx, keyLTIUsername, l.Username)
	s.Sessions.Put(ctx, keyLTIName, l.Name)
	http.Redirect(w, r, "/lti/token", http.StatusSeeOther)
	return nil
}

// ltiPending is the launch waiting for a token in this session (userID 0: none).
func (s *server) ltiPending(r *http.Request) (userID, courseID int64, m views.LTIToken) {
	ctx := r.Context()
	m = views.LTIToken{Username: s.Sessions.GetString(ctx, keyLTIUsername), FullName: s.Sessions.GetString(ctx, keyLTIName),
		SiteName: s.siteLabel(), Kept: s.LTITokens.Keeps()}
	return s.Sessions.GetInt64(ctx, keyLTIUser), s.Sessions.GetInt64(ctx, keyLTICourse), m
}

var errNoPendingLaunch = &httpError{Status: http.StatusBadRequest, Heading: "Start from Moodle",
	Message: "This page follows a launch of the dashboard from your Moodle course, and there is none in this browser session.",
	Next:    "Go back to Moodle and click the dashboard's activity in your course."}

// ltiTokenForm asks a launched teacher once for their Moodle password or a token (GET /lti/token).
func (s *server) ltiTokenForm(w http.ResponseWriter, r *http.Request) error {
	if err := s.ltiOn(); err != nil {
		return err
	}
	uid, _, m := s.ltiPending(r)
	if uid == 0 {
		return errNoPendingLaunch
	}
	s.render(w, r, http.StatusOK, views.LTITokenPage(s.page(r, "One more step"), m))
	return nil
}

// ltiToken takes the password (exchanged for a token, as on the sign-in page) or a token
// (POST /lti/token), checks with Moodle's site info that it is the launching user's, keeps
// it sealed when a secret key is configured, and signs the teacher in to the course.
func (s *server) ltiToken(w http.ResponseWriter, r *http.Request) error {
	if err := s.ltiOn(); err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	uid, course, m := s.ltiPending(r)
	if uid == 0 {
		return errNoPendingLaunch
	}
	ctx := r.Context()
	username := strings.TrimSpace(r.PostForm.Get("username"))
	password := r.PostForm.Get("password")
	token := strings.TrimSpace(r.PostForm.Get("token"))
	now := s.Now()
	fail := func(status int, msg string) error {
		m.Error = msg
		if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
			w.Header().Set("Retry-After", "30")
		}
		s.render(w, r, status, views.LTITokenPage(s.page(r, "One more step"), m))
		return nil
	}
	m.Method = "password"
	if token != "" && username == "" && password == "" {
		m.Method = "token"
	} else if username == "" || password == "" {
		return fail(http.StatusBadRequest, "Enter both your Moodle username and your password, or paste a token.")
	}
	if utf8.RuneCountInString(username) > auth.MaxUsername || len(password) > maxPassword || len(token) > 128 {
		return fail(http.StatusBadRequest, fmt.Sprintf("That is longer than Moodle allows: a username has at most %d characters, a token %d.", auth.MaxUsername, 128))
	}
	m.Username = username
	if m.Method == "token" && !plausibleToken(token) {
		return fail(http.StatusUnauthorized, "That does not look like a Moodle token: a token is a string of letters and digits, usually 32 long.")
	}
	// As on the sign-in page: the attempt is counted before Moodle is asked, given back if
	// Moodle accepts it or could not judge it (see signIn and auth.Throttle).
	attempt := auth.Attempt{Client: s.clientIP(r), Device: deviceOf(r)}
	if m.Method == "password" {
		attempt.Username = username
	}
	res, wait, ok := s.Throttle.Reserve(attempt, now)
	if !ok {
		return fail(http.StatusTooManyRequests, fmt.Sprintf("Too many failed sign-ins. Wait %d seconds, then try again.", int(wait.Seconds())+1))
	}
	login := auth.Login{Token: token}
	if m.Method == "password" {
		login = auth.Login{Username: username, Password: password, Service: s.Service}
	}
	u, err := auth.SignIn(ctx, s.Moodle, login, now)
	if err != nil {
		status, msg := s.loginError(err)
		if status != http.StatusUnauthorized {
			res.Refund()
		}
		s.Log.Info("lti token: sign-in failed", "status", status, "err", err)
		return fail(status, msg)
	}
	if u.UserID != uid { // counted: the reservation is kept
		s.Log.Warn("lti token: another Moodle user's credentials", "moodle_user", uid, "token_user", u.UserID)
		return fail(http.StatusForbidden, "These are not the credentials of the Moodle account that opened the dashboard. Use the same account as in Moodle.")
	}
	res.Refund()
	if err := s.LTITokens.Keep(ctx, uid, u.Token); err != nil {
		s.Log.Error("lti token: keeping it failed; it lasts this session only", "err", err)
	}
	if err := s.sess.SignIn(ctx, u); err != nil {
		return err
	}
	for _, k := range []string{keyLTIUser, keyLTICourse, keyLTIUsername, keyLTIName} {
		s.Sessions.Remove(ctx, k)
	}
	s.Log.Info("signed in", "method", "lti", "moodle_user", uid, "kept", s.LTITokens.Keeps())
	http.Redirect(w, r, views.CoursePath(course), http.StatusSeeOther)
	return nil
}

// forgetLTIToken wraps sign-out: signing out also forgets the token kept for launches.
func (s *server) forgetLTIToken(next func(http.ResponseWriter, *http.Request) error) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		if u, ok := s.sess.Current(r.Context()); ok {
			if err := s.LTITokens.Forget(r.Context(), u.UserID); err != nil {
				s.Log.Error("lti: forgetting the kept token failed", "moodle_user", u.UserID, "err", err)
			}
		}
		return next(w, r)
	}
}
