// Package ltitest is a fake LTI 1.3 platform shaped like Moodle 4.5's mod/lti: its OpenID
// configuration, registration endpoint and key set, and id_tokens signed with its own RSA
// key, for tests of registration and launches.
package ltitest

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jwt"
)

// Paths of Moodle's LTI endpoints.
const (
	ConfigPath   = "/mod/lti/openid-configuration.php"
	RegisterPath = "/mod/lti/openid-registration.php"
	CertsPath    = "/mod/lti/certs.php"
	AuthPath     = "/mod/lti/auth.php"
	TokenPath    = "/mod/lti/token.php"
)

// Platform is the fake. Set Base to the URL it is served at before using it.
type Platform struct {
	Base         string
	ClientID     string // what registration answers
	DeploymentID string
	RegToken     string // the registration token it expects as Bearer

	key   jwk.Key
	other jwk.Key // a key it does not publish: what a forger signs with

	mu sync.Mutex
	// Registrations are the bodies the tool posted.
	Registrations []map[string]any
	// ConfigOverride changes fields of the OpenID configuration served.
	ConfigOverride map[string]any
}

var (
	keysOnce        sync.Once
	platKey, forger jwk.Key
)

// New returns a fake platform. Its keys are made once per test binary: RSA keys are slow to
// make, and each fake publishes only its own public key.
func New() *Platform {
	keysOnce.Do(func() { platKey, forger = newKey("platform-key"), newKey("forger-key") })
	return &Platform{ClientID: "kts-client-1", DeploymentID: "7", RegToken: "reg-token-xyz", key: platKey, other: forger}
}

func newKey(kid string) jwk.Key {
	pk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	k, err := jwk.Import(pk)
	if err != nil {
		panic(err)
	}
	k.Set(jwk.KeyIDKey, kid)
	k.Set(jwk.AlgorithmKey, jwa.RS256())
	return k
}

// Handler serves the platform's endpoints under /mod/lti/.
func (p *Platform) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+ConfigPath, func(w http.ResponseWriter, r *http.Request) {
		conf := map[string]any{
			"issuer": p.Base, "authorization_endpoint": p.Base + AuthPath, "token_endpoint": p.Base + TokenPath,
			"jwks_uri": p.Base + CertsPath, "registration_endpoint": p.Base + RegisterPath,
			"token_endpoint_auth_methods_supported":                      []string{"private_key_jwt"},
			"id_token_signing_alg_values_supported":                      []string{"RS256"},
			"scopes_supported":                                           []string{"openid"},
			"response_types_supported":                                   []string{"id_token"},
			"https://purl.imsglobal.org/spec/lti-platform-configuration": map[string]any{"product_family_code": "moodle", "version": "4.5"},
		}
		p.mu.Lock()
		maps.Copy(conf, p.ConfigOverride)
		p.mu.Unlock()
		writeJSON(w, http.StatusOK, conf)
	})
	mux.HandleFunc("POST "+RegisterPath, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+p.RegToken {
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, "token_already_used")
			return
		}
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			http.Error(w, "bad json", http.StatusBadRequest)
			return
		}
		p.mu.Lock()
		p.Registrations = append(p.Registrations, body)
		p.mu.Unlock()
		tc, _ := body["https://purl.imsglobal.org/spec/lti-tool-configuration"].(map[string]any)
		tc["deployment_id"] = p.DeploymentID
		body["client_id"] = p.ClientID
		writeJSON(w, http.StatusOK, body)
	})
	mux.HandleFunc("GET "+CertsPath, func(w http.ResponseWriter, r *http.Request) {
		pub, _ := p.key.PublicKey()
		set := jwk.NewSet()
		set.AddKey(pub)
		writeJSON(w, http.StatusOK, set)
	})
	return mux
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// Claims are an id_token's claims; Launch fills in Moodle's defaults.
type Claims map[string]any

// Roles Moodle sends.
const (
	Instructor = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
	Learner    = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
	Admin      = "http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator"
)

// Launch returns the claims of a resource link launch as Moodle's lti_sign_jwt builds them,
// by user sub in course courseID with roles, for nonce, issued at now.
func (p *Platform) Launch(nonce, sub string, courseID int64, now time.Time, roles ...string) Claims {
	const c = "https://purl.imsglobal.org/spec/lti/claim/"
	return Claims{
		"nonce": nonce, "iat": now.Unix(), "exp": now.Add(60 * time.Second).Unix(),
		"iss": p.Base, "aud": p.ClientID, "sub": sub,
		c + "deployment_id": p.DeploymentID, c + "target_link_uri": "http://tool.invalid/lti/launch",
		c + "message_type": "LtiResourceLinkRequest", c + "version": "1.3.0",
		c + "roles":               roles,
		c + "context":             map[string]any{"id": jsonNumber(courseID), "label": "C1", "title": "Course", "type": []string{"CourseSection"}},
		c + "resource_link":       map[string]any{"id": "3", "title": "Dashboard"},
		c + "launch_presentation": map[string]any{"document_target": "iframe", "return_url": p.Base + "/mod/lti/return.php"},
		"name":                    "Teacher One",
		c + "ext":                 map[string]any{"user_username": "teacher1"},
	}
}

func jsonNumber(n int64) string {
	b, _ := json.Marshal(n)
	return strings.Trim(string(b), `"`)
}

// Sign signs claims with the platform's published key, as Moodle does.
func (p *Platform) Sign(c Claims) string { return sign(p.key, c) }

// Forge signs claims with a key the platform does not publish.
func (p *Platform) Forge(c Claims) string { return sign(p.other, c) }

func sign(k jwk.Key, c Claims) string {
	tok := jwt.New()
	for name, v := range c {
		if name == "iat" || name == "exp" {
			v = time.Unix(v.(int64), 0)
		}
		if err := tok.Set(name, v); err != nil {
			panic(err)
		}
	}
	b, err := jwt.Sign(tok, jwt.WithKey(jwa.RS256(), k))
	if err != nil {
		panic(err)
	}
	return string(b)
}
