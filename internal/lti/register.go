package lti

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// RegisterError is a dynamic registration refused: its text is a sentence for the admin
// (no secret in it), the cause stays for the log.
type RegisterError struct {
	Msg   string
	Cause error
}

func (e *RegisterError) Error() string { return e.Msg }
func (e *RegisterError) Unwrap() error { return e.Cause }

func refuse(cause error, format string, args ...any) error {
	return &RegisterError{Msg: fmt.Sprintf(format, args...), Cause: cause}
}

// openIDConfig is the part of the platform's OpenID configuration the tool reads.
type openIDConfig struct {
	Issuer                string `json:"issuer"`
	AuthorizationEndpoint string `json:"authorization_endpoint"`
	TokenEndpoint         string `json:"token_endpoint"`
	JWKSURI               string `json:"jwks_uri"`
	RegistrationEndpoint  string `json:"registration_endpoint"`
	Platform              struct {
		ProductFamily string `json:"product_family_code"`
		Version       string `json:"version"`
	} `json:"https://purl.imsglobal.org/spec/lti-platform-configuration"`
}

// registration is what the tool posts to the platform's registration endpoint, and the
// platform's answer (with client_id and the deployment id).
type registration struct {
	ApplicationType         string            `json:"application_type"`
	ResponseTypes           []string          `json:"response_types"`
	GrantTypes              []string          `json:"grant_types"`
	InitiateLoginURI        string            `json:"initiate_login_uri"`
	RedirectURIs            []string          `json:"redirect_uris"`
	ClientName              string            `json:"client_name"`
	JWKSURI                 string            `json:"jwks_uri"`
	TokenEndpointAuthMethod string            `json:"token_endpoint_auth_method"`
	Scope                   string            `json:"scope"`
	ClientID                string            `json:"client_id,omitempty"`
	Tool                    toolConfiguration `json:"https://purl.imsglobal.org/spec/lti-tool-configuration"`
}

type toolConfiguration struct {
	Domain        string        `json:"domain"`
	Description   string        `json:"description,omitempty"`
	TargetLinkURI string        `json:"target_link_uri"`
	Claims        []string      `json:"claims"`
	Messages      []toolMessage `json:"messages"`
	DeploymentID  string        `json:"deployment_id,omitempty"`
}

type toolMessage struct {
	Type          string `json:"type"`
	TargetLinkURI string `json:"target_link_uri,omitempty"`
	Label         string `json:"label,omitempty"`
}

// Register runs LTI Advantage dynamic registration as Moodle starts it (it opens
// /lti/register?openid_configuration=…&registration_token=… in the admin's browser): it reads
// the platform's OpenID configuration, accepts it only when the issuer and every endpoint
// are on the configured Moodle site, posts the tool's registration with the registration
// token, and keeps the platform with the client id and deployment id Moodle answers.
func (t *Tool) Register(ctx context.Context, configURL, regToken string) (Platform, error) {
	if configURL == "" {
		return Platform{}, refuse(nil, "Start the registration from Moodle: Site administration › Plugins › Activity modules › External tool › Manage tools, then paste this page's address into “Tool URL” and click “Add LTI Advantage”.")
	}
	if !t.OnSite(configURL) {
		return Platform{}, refuse(nil, "This registration comes from a site that is not the Moodle this dashboard is configured for (%s). Only that site may register the dashboard.", t.Site())
	}
	var cfg openIDConfig
	if err := t.getJSON(ctx, configURL, &cfg); err != nil {
		return Platform{}, refuse(err, "The dashboard could not read Moodle's LTI configuration. Check that Moodle is reachable from the dashboard's server, then start the registration again.")
	}
	if strings.TrimRight(cfg.Issuer, "/") != t.Issuer() {
		return Platform{}, refuse(nil, "Moodle's LTI configuration names the issuer %q, not this dashboard's Moodle site %s. Check -moodle-url: it must be Moodle's own address ($CFG->wwwroot).", cfg.Issuer, t.Site())
	}
	for _, e := range []struct{ name, u string }{
		{"authorization endpoint", cfg.AuthorizationEndpoint}, {"token endpoint", cfg.TokenEndpoint},
		{"key set (jwks_uri)", cfg.JWKSURI}, {"registration endpoint", cfg.RegistrationEndpoint},
	} {
		if e.u == "" || !t.OnSite(e.u) {
			return Platform{}, refuse(nil, "Moodle's LTI configuration puts its %s outside the Moodle site %s, so the dashboard does not accept it.", e.name, t.Site())
		}
	}
	reg := t.registration()
	body, _ := json.Marshal(reg)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, cfg.RegistrationEndpoint, bytes.NewReader(body))
	if err != nil {
		return Platform{}, refuse(err, "Moodle's registration endpoint is not a valid address.")
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if regToken != "" {
		req.Header.Set("Authorization", "Bearer "+regToken)
	}
	var got registration
	if err := t.do(req, &got); err != nil {
		var se *statusError
		if errors.As(err, &se) {
			return Platform{}, refuse(err, "Moodle refused the registration (%s). Registration links work once and for an hour: start again from Moodle's “Manage tools”.", se.text())
		}
		return Platform{}, refuse(err, "The dashboard could not send its registration to Moodle. Start again from Moodle's “Manage tools”.")
	}
	if got.ClientID == "" || got.Tool.DeploymentID == "" {
		return Platform{}, refuse(nil, "Moodle's answer to the registration has no client id or deployment id, so the dashboard cannot accept launches from it.")
	}
	p := Platform{Issuer: t.Issuer(), ClientID: got.ClientID, DeploymentIDs: []string{got.Tool.DeploymentID},
		AuthURL: cfg.AuthorizationEndpoint, TokenURL: cfg.TokenEndpoint, JWKSURL: cfg.JWKSURI}
	if err := t.store.SavePlatform(ctx, p); err != nil {
		return Platform{}, fmt.Errorf("lti: keeping the registration: %w", err)
	}
	return p, nil
}

// registration is the tool's side of dynamic registration: what Moodle turns into the tool's
// configuration (mod/lti registration_helper::registration_to_config).
func (t *Tool) registration() registration {
	return registration{
		ApplicationType: "web", ResponseTypes: []string{"id_token"}, GrantTypes: []string{"implicit", "client_credentials"},
		InitiateLoginURI: t.ToolURL("/lti/login"), RedirectURIs: []string{t.ToolURL("/lti/launch")},
		ClientName: t.name, JWKSURI: t.ToolURL("/lti/jwks"), TokenEndpointAuthMethod: "private_key_jwt",
		Scope: "",
		Tool: toolConfiguration{
			Domain:        t.toolURL.Host,
			Description:   "How every student in the course is doing, for the course's teachers.",
			TargetLinkURI: t.ToolURL("/lti/launch"),
			// name asks Moodle to send the names and the username (ext user_username), which
			// fills in the username when the dashboard first asks for the password.
			Claims:   []string{"iss", "sub", "name", "given_name", "family_name"},
			Messages: []toolMessage{{Type: "LtiResourceLinkRequest", TargetLinkURI: t.ToolURL("/lti/launch"), Label: t.name}},
		},
	}
}

type statusError struct {
	code int
	body string
}

func (e *statusError) Error() string { return "HTTP " + http.StatusText(e.code) + ": " + e.body }

func (e *statusError) text() string {
	b := strings.TrimSpace(e.body)
	if len(b) > 120 || strings.ContainsAny(b, "<>") {
		b = ""
	}
	if b == "" {
		return fmt.Sprintf("HTTP %d", e.code)
	}
	return fmt.Sprintf("HTTP %d: %s", e.code, b)
}

func (t *Tool) getJSON(ctx context.Context, u string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	return t.do(req, out)
}

// do sends a request to the site and decodes a JSON answer of at most 1 MiB.
func (t *Tool) do(req *http.Request, out any) error {
	resp, err := t.http.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			return ue.Err // the URL may carry nothing secret, but the error stays short
		}
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return &statusError{code: resp.StatusCode, body: string(body)}
	}
	return json.Unmarshal(body, out)
}
