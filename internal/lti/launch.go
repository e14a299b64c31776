package lti

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jws"
	"github.com/lestrrat-go/jwx/v3/jwt"
)

// Launch is a verified LtiResourceLinkRequest: who launched, from which course, as what.
type Launch struct {
	UserID   int64 // sub: the Moodle user id
	CourseID int64 // the context claim's id: the Moodle course id
	Roles    []string
	Role     Role
	Username string // Moodle's ext user_username, when Moodle sends names
	Name     string
	// Target is the launch presentation's document target: "iframe" when Moodle embeds the
	// tool, "window" or "frame" otherwise (may be empty).
	Target    string
	ReturnURL string
	CMID      int64 // from the login's message hint
}

// Framed reports whether Moodle shows the dashboard inside its own page.
func (l Launch) Framed() bool { return l.Target == "iframe" }

// claims is the part of the id_token the tool reads, decoded after jwx verified it.
type claims struct {
	Sub          string   `json:"sub"`
	Nonce        string   `json:"nonce"`
	Azp          string   `json:"azp"`
	Name         string   `json:"name"`
	MessageType  string   `json:"https://purl.imsglobal.org/spec/lti/claim/message_type"`
	Version      string   `json:"https://purl.imsglobal.org/spec/lti/claim/version"`
	DeploymentID string   `json:"https://purl.imsglobal.org/spec/lti/claim/deployment_id"`
	Roles        []string `json:"https://purl.imsglobal.org/spec/lti/claim/roles"`
	Context      struct {
		ID json.RawMessage `json:"id"`
	} `json:"https://purl.imsglobal.org/spec/lti/claim/context"`
	Presentation struct {
		Target    string `json:"document_target"`
		ReturnURL string `json:"return_url"`
	} `json:"https://purl.imsglobal.org/spec/lti/claim/launch_presentation"`
	Ext struct {
		Username string `json:"user_username"`
	} `json:"https://purl.imsglobal.org/spec/lti/claim/ext"`
}

// Skew is the clock difference between Moodle and the dashboard a launch tolerates.
const Skew = time.Minute

// Refusal sentences the handlers and tests share.
const (
	MsgBadState = "This launch did not start in this browser, or it was already used. Go back to Moodle and click the activity again."
	MsgExpired  = "This launch has expired. Go back to Moodle and click the activity again."
)

// VerifyLaunch checks a launch (POST /lti/launch): the state the browser's cookie holds
// equals the form's and was issued by Login (used once), then the id_token through jwx:
// signature with the platform's keys, iss, aud, azp, exp and iat; then the nonce (once),
// the deployment, the message type and version, and reads the claims the dashboard uses.
func (t *Tool) VerifyLaunch(ctx context.Context, formState, cookieState, idToken string) (Launch, error) {
	if formState == "" || idToken == "" {
		return Launch{}, refuseLaunch(nil, "This is not an LTI launch: start it from the dashboard's activity in your Moodle course.")
	}
	if cookieState == "" {
		// The browser kept no cookie: the login is of no use any more, but it says which
		// activity to launch again in a window of its own.
		e := &LaunchError{Msg: MsgBadState}
		if l, err := t.store.TakeLogin(ctx, formState); err == nil && l.CMID > 0 {
			e.Relaunch = t.Site() + "/mod/lti/launch.php?id=" + strconv.FormatInt(l.CMID, 10)
		}
		return Launch{}, e
	}
	if cookieState != formState {
		return Launch{}, refuseLaunch(nil, MsgBadState)
	}
	l, err := t.store.TakeLogin(ctx, formState)
	if errors.Is(err, ErrNotFound) {
		return Launch{}, refuseLaunch(nil, MsgBadState)
	} else if err != nil {
		return Launch{}, fmt.Errorf("lti: reading the login: %w", err)
	}
	now := t.now()
	if now.After(l.Expires) {
		return Launch{}, refuseLaunch(nil, MsgExpired)
	}
	p, err := t.platform(ctx, l.Issuer, l.ClientID)
	if err != nil {
		return Launch{}, err
	}
	c, exp, err := t.verifyToken(ctx, p, []byte(idToken), now)
	if err != nil {
		return Launch{}, err
	}
	if c.Nonce == "" || c.Nonce != l.Nonce {
		return Launch{}, refuseLaunch(nil, "This launch does not belong to the sign-in the dashboard started. Go back to Moodle and click the activity again.")
	}
	if err := t.store.UseNonce(ctx, p.Issuer, c.Nonce, exp.Add(Skew), now); errors.Is(err, ErrReplayed) {
		return Launch{}, refuseLaunch(err, "This launch was already used. Go back to Moodle and click the activity again.")
	} else if err != nil {
		return Launch{}, fmt.Errorf("lti: recording the nonce: %w", err)
	}
	if !p.HasDeployment(c.DeploymentID) {
		return Launch{}, refuseLaunch(nil, "This Moodle tool's deployment is not registered with the dashboard. Ask your Moodle administrator to register the dashboard again.")
	}
	if c.MessageType != "LtiResourceLinkRequest" {
		return Launch{}, refuseLaunch(nil, "The dashboard opens from a link to it in a course; Moodle sent another kind of LTI message.")
	}
	if c.Version != "1.3.0" {
		return Launch{}, refuseLaunch(nil, "Moodle sent a launch of an LTI version other than 1.3.")
	}
	uid, err := strconv.ParseInt(c.Sub, 10, 64)
	if err != nil || uid <= 0 {
		return Launch{}, refuseLaunch(err, "Moodle's launch does not say which Moodle user you are.")
	}
	course := strings.Trim(string(c.Context.ID), `"`)
	cid, err := strconv.ParseInt(course, 10, 64)
	if err != nil || cid <= 0 {
		return Launch{}, refuseLaunch(err, "Moodle's launch does not say which course it comes from. Add the dashboard to a course and launch it from there.")
	}
	return Launch{UserID: uid, CourseID: cid, Roles: c.Roles, Role: RoleOf(c.Roles), Username: c.Ext.Username,
		Name: c.Name, Target: c.Presentation.Target, ReturnURL: c.Presentation.ReturnURL, CMID: l.CMID}, nil
}

// verifyToken verifies the id_token's signature with the platform's keys (refreshing them
// once when the token's key is unknown, as after Moodle rotates its key) and its standard
// claims, and decodes the LTI claims.
func (t *Tool) verifyToken(ctx context.Context, p Platform, raw []byte, now time.Time) (claims, time.Time, error) {
	var tok jwt.Token
	for attempt := 0; ; attempt++ {
		set, err := t.platformKeys(ctx, p.JWKSURL, attempt > 0)
		if err != nil {
			return claims{}, time.Time{}, refuseLaunch(err, "The dashboard could not read Moodle's keys to check this launch. Try again in a minute.")
		}
		tok, err = jwt.Parse(raw,
			jwt.WithKeySet(set, jws.WithInferAlgorithmFromKey(true)),
			jwt.WithValidate(true), jwt.WithClock(jwt.ClockFunc(func() time.Time { return now })),
			jwt.WithAcceptableSkew(Skew), jwt.WithIssuer(p.Issuer), jwt.WithAudience(p.ClientID),
			jwt.WithRequiredClaim(jwt.ExpirationKey), jwt.WithRequiredClaim(jwt.IssuedAtKey), jwt.WithRequiredClaim(jwt.SubjectKey))
		if err == nil {
			break
		}
		if attempt == 0 && isKeyError(err) {
			continue
		}
		switch {
		case errors.Is(err, jwt.TokenExpiredError()):
			return claims{}, time.Time{}, refuseLaunch(err, MsgExpired)
		case errors.Is(err, jwt.InvalidIssuedAtError()), errors.Is(err, jwt.TokenNotYetValidError()):
			return claims{}, time.Time{}, refuseLaunch(err, "This launch is dated in the future: the clocks of Moodle and the dashboard disagree. Tell your Moodle administrator.")
		case errors.Is(err, jwt.InvalidAudienceError()):
			return claims{}, time.Time{}, refuseLaunch(err, "This launch is meant for another tool, not this dashboard.")
		case errors.Is(err, jwt.InvalidIssuerError()):
			return claims{}, time.Time{}, refuseLaunch(err, "This launch comes from a site that is not the Moodle this dashboard serves.")
		}
		return claims{}, time.Time{}, refuseLaunch(err, "Moodle's signature on this launch does not check out, so the dashboard does not trust it.")
	}
	// The payload of the token jwx has just verified.
	parts := strings.Split(string(raw), ".")
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	var c claims
	if err == nil {
		err = json.Unmarshal(payload, &c)
	}
	if err != nil {
		return claims{}, time.Time{}, refuseLaunch(err, "Moodle's launch could not be read.")
	}
	aud, _ := tok.Audience()
	if (len(aud) > 1 || c.Azp != "") && c.Azp != p.ClientID {
		return claims{}, time.Time{}, refuseLaunch(nil, "This launch is meant for another tool, not this dashboard.")
	}
	exp, _ := tok.Expiration()
	return c, exp, nil
}

func isKeyError(err error) bool {
	return strings.Contains(err.Error(), "key") // jwx: no key matched the token's kid
}

// platformKeys returns the platform's key set, cached for five minutes; refresh fetches it
// again (at most every ten seconds).
func (t *Tool) platformKeys(ctx context.Context, u string, refresh bool) (jwk.Set, error) {
	t.jwksMu.Lock()
	defer t.jwksMu.Unlock()
	now := t.now()
	c, ok := t.jwks[u]
	if ok && now.Sub(c.fetched) < 5*time.Minute && (!refresh || now.Sub(c.fetched) < 10*time.Second) {
		return c.set, nil
	}
	if !t.OnSite(u) {
		return nil, fmt.Errorf("lti: key set %s is not on the Moodle site", u)
	}
	set, err := jwk.Fetch(ctx, u, jwk.WithHTTPClient(t.http))
	if err != nil {
		if ok {
			return c.set, nil
		}
		return nil, err
	}
	// LTI 1.3 signs with RS256; a key without alg is taken as RS256.
	for i := range set.Len() {
		k, _ := set.Key(i)
		if _, has := k.Algorithm(); !has {
			k.Set(jwk.AlgorithmKey, jwa.RS256())
		}
	}
	t.jwks[u] = cachedSet{set: set, fetched: now}
	return set, nil
}
