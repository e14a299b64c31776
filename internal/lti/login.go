package lti

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// LoginTTL is how long a login initiation waits for its launch.
const LoginTTL = 10 * time.Minute

// LoginRequest is the platform's third-party initiated login (OIDC), GET or POST /lti/login.
type LoginRequest struct {
	Issuer        string // iss
	LoginHint     string // login_hint
	TargetLinkURI string // target_link_uri
	MessageHint   string // lti_message_hint
	ClientID      string // client_id (optional in the specification; Moodle sends it)
	DeploymentID  string // lti_deployment_id
}

// LaunchError is a login or launch refused: the text is a sentence for the person who
// launched (no secret, no raw claim), the cause stays for the log.
type LaunchError struct {
	Msg   string
	Cause error
	// Relaunch, set when the browser sent no state cookie (a frame whose cookies the browser
	// blocks), is Moodle's address for launching the activity again, in a window of its own.
	Relaunch string
}

func (e *LaunchError) Error() string {
	if e.Cause != nil {
		return e.Msg + ": " + e.Cause.Error()
	}
	return e.Msg
}
func (e *LaunchError) Unwrap() error { return e.Cause }

func refuseLaunch(cause error, msg string) error { return &LaunchError{Msg: msg, Cause: cause} }

// Login answers a login initiation: it finds the platform, keeps a one-time state and nonce,
// and returns the platform's authorization URL to send the browser to, with the state for
// the browser's cookie.
func (t *Tool) Login(ctx context.Context, lr LoginRequest) (redirect string, l Login, err error) {
	if lr.Issuer == "" || lr.LoginHint == "" || lr.TargetLinkURI == "" {
		return "", Login{}, refuseLaunch(nil, "This is not an LTI launch: start it from the dashboard's activity in your Moodle course.")
	}
	p, err := t.platform(ctx, lr.Issuer, lr.ClientID)
	if err != nil {
		return "", Login{}, err
	}
	if lr.DeploymentID != "" && !p.HasDeployment(lr.DeploymentID) {
		return "", Login{}, refuseLaunch(nil, "This Moodle tool's deployment is not registered with the dashboard. Ask your Moodle administrator to register the dashboard again.")
	}
	if !t.OnSite(p.AuthURL) {
		return "", Login{}, refuseLaunch(nil, "The platform's sign-in address is not on the configured Moodle site.")
	}
	l = Login{State: random(), Nonce: random(), Issuer: p.Issuer, ClientID: p.ClientID,
		CMID: hintCMID(lr.MessageHint), Expires: t.now().Add(LoginTTL)}
	if err := t.store.PutLogin(ctx, l, t.now()); err != nil {
		return "", Login{}, fmt.Errorf("lti: keeping the login: %w", err)
	}
	q := url.Values{
		"scope": {"openid"}, "response_type": {"id_token"}, "response_mode": {"form_post"}, "prompt": {"none"},
		"client_id": {p.ClientID}, "redirect_uri": {t.ToolURL("/lti/launch")}, "login_hint": {lr.LoginHint},
		"state": {l.State}, "nonce": {l.Nonce},
	}
	if lr.MessageHint != "" {
		q.Set("lti_message_hint", lr.MessageHint)
	}
	u, _ := url.Parse(p.AuthURL)
	extra := u.Query()
	for k, v := range q {
		extra[k] = v
	}
	u.RawQuery = extra.Encode()
	return u.String(), l, nil
}

// platform finds the registered platform for an issuer and (when given) a client id.
func (t *Tool) platform(ctx context.Context, issuer, clientID string) (Platform, error) {
	if issuer != t.Issuer() {
		return Platform{}, refuseLaunch(nil, "This launch comes from a site that is not the Moodle this dashboard serves.")
	}
	ps, err := t.store.Platforms(ctx, issuer)
	if err != nil {
		return Platform{}, fmt.Errorf("lti: reading platforms: %w", err)
	}
	var match []Platform
	for _, p := range ps {
		if clientID == "" || p.ClientID == clientID {
			match = append(match, p)
		}
	}
	switch {
	case len(match) == 1:
		return match[0], nil
	case len(match) > 1:
		return Platform{}, refuseLaunch(nil, "Moodle did not say which of its registrations of the dashboard this launch is for.")
	}
	return Platform{}, refuseLaunch(nil, "The dashboard is not registered in this Moodle as this tool. Ask your Moodle administrator to register it (see the dashboard's deployment guide).")
}

// hintCMID reads the course module id Moodle puts in lti_message_hint ({"cmid":…,"launchid":…}).
func hintCMID(hint string) int64 {
	var h struct {
		CMID json.RawMessage `json:"cmid"`
	}
	if json.Unmarshal([]byte(hint), &h) != nil || len(h.CMID) == 0 {
		return 0
	}
	var s string
	if json.Unmarshal(h.CMID, &s) != nil {
		s = string(h.CMID)
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

// random is 32 random bytes, URL-safe: a state, a nonce.
func random() string {
	b := make([]byte, 24)
	rand.Read(b)
	return fmt.Sprintf("%x", b)
}
