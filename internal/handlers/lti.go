package handlers

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"

	"github.com/knowthystudents/kts/internal/lti"
	"github.com/knowthystudents/kts/views"
)

// stateCookie binds a login initiation to the browser that started it: the launch must bring
// it back with the same state.
const stateCookie = "kts_lti_state"

// ltiOff is the 404 of the LTI routes on a server that is not an LTI tool (demo mode).
func (s *server) ltiOn() error {
	if s.LTI == nil {
		return notFoundf("This dashboard is not set up as an LTI tool.")
	}
	return nil
}

// ltiJWKS serves the tool's public keys (GET /lti/jwks), what Moodle's tool configuration
// points at.
func (s *server) ltiJWKS(w http.ResponseWriter, r *http.Request) error {
	if err := s.ltiOn(); err != nil {
		return err
	}
	b, err := s.LTI.JWKS(r.Context())
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write(b)
	return nil
}

// ltiRegister is the target of Moodle's dynamic registration (GET /lti/register, opened by
// Moodle in a frame with openid_configuration and registration_token): it registers the
// tool and answers the page that tells Moodle to close the frame.
func (s *server) ltiRegister(w http.ResponseWriter, r *http.Request) error {
	if err := s.ltiOn(); err != nil {
		return err
	}
	q := r.URL.Query()
	p, err := s.LTI.Register(r.Context(), q.Get("openid_configuration"), q.Get("registration_token"))
	var re *lti.RegisterError
	if errors.As(err, &re) {
		s.Log.Info("lti registration refused", "err", err)
		return &httpError{Status: http.StatusBadRequest, Heading: "Registration refused", Message: re.Msg, Cause: err}
	} else if err != nil {
		return err
	}
	s.Log.Info("lti: registered with Moodle", "issuer", p.Issuer, "client_id", p.ClientID, "deployments", p.DeploymentIDs)
	sum := sha256.Sum256([]byte(views.LTICloseScript))
	h := w.Header()
	h.Set("Content-Security-Policy", strings.Replace(h.Get("Content-Security-Policy"), "script-src 'self'",
		"script-src 'self' 'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'", 1))
	s.render(w, r, http.StatusOK, views.LTIRegisteredPage(s.page(r, "Registered"), s.LTI.Site()))
	return nil
}

// ltiLogin answers Moodle's third-party initiated login (GET or POST /lti/login): it keeps a
// state and nonce, sets the state cookie and sends the browser to Moodle's authorization
// endpoint, which posts the launch back to /lti/launch.
func (s *server) ltiLogin(w http.ResponseWriter, r *http.Request) error {
	if err := s.ltiOn(); err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return badRequest("The launch could not be read.")
	}
	f := r.Form
	redirect, l, err := s.LTI.Login(r.Context(), lti.LoginRequest{Issuer: f.Get("iss"), LoginHint: f.Get("login_hint"),
		TargetLinkURI: f.Get("target_link_uri"), MessageHint: f.Get("lti_message_hint"), ClientID: f.Get("client_id"),
		DeploymentID: f.Get("lti_deployment_id")})
	if err != nil {
		return launchRefused(err)
	}
	c := s.ltiCookie(l.State)
	c.MaxAge = int(lti.LoginTTL.Seconds())
	http.SetCookie(w, c)
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, redirect, http.StatusFound)
	return nil
}

// ltiCookie is the state cookie. Moodle posts the launch from its own site, so the browser
// sends the cookie with it only when it is SameSite=None, which needs Secure (HTTPS);
// Partitioned keeps it to a Moodle frame's partition where third-party cookies are otherwise
// blocked. Over plain HTTP it carries no SameSite attribute: browsers then send it with a
// same-site launch, and Chromium with a cross-site top-level one in the two minutes after it
// was set (its "Lax+POST" allowance), which a launch fits in.
func (s *server) ltiCookie(v string) *http.Cookie {
	c := &http.Cookie{Name: stateCookie, Value: v, Path: "/lti/", HttpOnly: true}
	if s.SecureCookies {
		c.Secure, c.SameSite, c.Partitioned = true, http.SameSiteNoneMode, true
	}
	return c
}

// launchRefused turns a refused login or launch into a page with its sentence; nothing is
// signed in.
func launchRefused(err error) error {
	var le *lti.LaunchError
	if errors.As(err, &le) {
		return &httpError{Status: http.StatusForbidden, Heading: "The launch from Moodle was refused", Message: le.Msg,
			Next: "Nothing was signed in.", Cause: err}
	}
	return err
}

// ltiLaunch verifies a launch (POST /lti/launch) and signs the teacher in: straight to the
// course's cohort with the token kept from an earlier launch, else through the page that
// asks once for the Moodle password. A learner is told the dashboard is for teachers.
func (s *server) ltiLaunch(w http.ResponseWriter, r *http.Request) error {
	if err := s.ltiOn(); err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return badRequest("The launch could not be read.")
	}
	var cookie string
	if c, err := r.Cookie(stateCookie); err == nil {
		cookie = c.Value
	}
	gone := s.ltiCookie("")
	gone.MaxAge = -1
	http.SetCookie(w, gone)
	if msg := r.PostForm.Get("error"); msg != "" {
		s.Log.Info("lti: Moodle refused the sign-in", "error", msg)
		return &httpError{Status: http.StatusForbidden, Heading: "The launch from Moodle was refused",
			Message: "Moodle did not sign you in to the dashboard (" + safeCode(msg) + "). Go back to Moodle and click the activity again.",
			Next:    "Nothing was signed in."}
	}
	l, err := s.LTI.VerifyLaunch(r.Context(), r.PostForm.Get("state"), cookie, r.PostForm.Get("id_token"))
	if err != nil {
		var le *lti.LaunchError
		if cookie == "" && errors.As(err, &le) && (r.Header.Get("Sec-Fetch-Dest") == "iframe" || le.Relaunch != "") {
			s.Log.Info("lti launch without its cookie: offering a new window", "err", err)
			s.render(w, r, http.StatusForbidden, views.LTINewWindowPage(s.page(r, "Open in a new window"), le.Relaunch))
			return nil
		}
		s.Log.Info("lti launch refused", "err", err)
		return launchRefused(err)
	}
	switch l.Role {
	case lti.RoleLearner:
		return &httpError{Status: http.StatusForbidden, Heading: "This dashboard is for teachers",
			Message: "It shows a course's teachers how each of their students is doing. As a student of this course you have nothing to see here.",
			Next:    "Your own progress is in Moodle: go back to the course."}
	case lti.RoleOther:
		return &httpError{Status: http.StatusForbidden, Heading: "Only for teachers of this course",
			Message: "Moodle launched the dashboard for you with no teaching role in this course, and the dashboard opens only for a course's teachers.",
			Next:    "If you should have one, ask your Moodle administrator."}
	}
	s.Log.Info("lti launch", "moodle_user", l.UserID, "course", l.CourseID, "framed", l.Framed())
	return s.ltiEnter(w, r, l)
}

// safeCode keeps an OAuth error code from Moodle to the characters such codes use.
func safeCode(c string) string {
	c = strings.Map(func(r rune) rune {
		if r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, c)
	if len(c) > 40 {
		c = c[:40]
	}
	return c
}
