package lti

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
)

// Options configure a Tool.
type Options struct {
	// Site is the Moodle site's base URL (-moodle-url): the only platform, and the only host
	// the tool ever calls.
	Site string
	// ToolURL is the dashboard's own base URL as browsers and Moodle reach it, e.g.
	// https://kts.school.example: the registration's redirect, login and key URLs.
	ToolURL string
	Store   Store
	// Client makes the tool's requests (it is wrapped so that it reaches Site only);
	// nil: a client with a 15-second timeout.
	Client *http.Client
	Now    func() time.Time
	// Name is the tool's name in Moodle's tool list.
	Name string
}

// Tool is the dashboard as an LTI 1.3 tool of one Moodle site.
type Tool struct {
	site    *url.URL
	toolURL *url.URL
	store   Store
	http    *http.Client
	now     func() time.Time
	name    string

	keyOnce sync.Mutex
	key     jwk.Key // the tool's private key, loaded or made once

	jwksMu sync.Mutex
	jwks   map[string]cachedSet
}

type cachedSet struct {
	set     jwk.Set
	fetched time.Time
}

// New returns the tool for one Moodle site.
func New(o Options) (*Tool, error) {
	site, err := parseBase(o.Site)
	if err != nil {
		return nil, fmt.Errorf("lti: the Moodle URL: %w", err)
	}
	tool, err := parseBase(o.ToolURL)
	if err != nil {
		return nil, fmt.Errorf("lti: the dashboard's URL: %w", err)
	}
	if o.Store == nil {
		return nil, errors.New("lti: no store")
	}
	c := o.Client
	if c == nil {
		c = &http.Client{Timeout: 15 * time.Second}
	}
	guarded := *c
	base := c.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	guarded.Transport = siteOnly{site: site, next: base}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Name == "" {
		o.Name = "Know Thy Students"
	}
	return &Tool{site: site, toolURL: tool, store: o.Store, http: &guarded, now: o.Now, name: o.Name,
		jwks: map[string]cachedSet{}}, nil
}

// parseBase reads a base URL: http or https, a host, no query; no trailing slash kept.
func parseBase(s string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(strings.TrimSpace(s), "/"))
	if err != nil {
		return nil, err
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%q is not an http(s) base URL", s)
	}
	return u, nil
}

// Issuer is the issuer the configured Moodle site signs as: its base URL (wwwroot).
func (t *Tool) Issuer() string { return t.site.String() }

// Site is the Moodle site's base URL.
func (t *Tool) Site() string { return t.site.String() }

// OnSite reports whether raw is an absolute URL on the configured Moodle site: same scheme,
// host and port, and a path under the site's path.
func (t *Tool) OnSite(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.User != nil {
		return false
	}
	return onSite(t.site, u)
}

func onSite(site, u *url.URL) bool {
	if !strings.EqualFold(u.Scheme, site.Scheme) || !strings.EqualFold(u.Host, site.Host) {
		return false
	}
	p := u.Path
	return site.Path == "" || p == site.Path || strings.HasPrefix(p, site.Path+"/")
}

// siteOnly refuses any request that is not for the Moodle site, redirects included.
type siteOnly struct {
	site *url.URL
	next http.RoundTripper
}

func (s siteOnly) RoundTrip(r *http.Request) (*http.Response, error) {
	if !onSite(s.site, r.URL) {
		return nil, fmt.Errorf("lti: refusing to call %s: only the configured Moodle site is reached", r.URL.Host)
	}
	return s.next.RoundTrip(r)
}

// ToolURL returns the dashboard's absolute URL for a path.
func (t *Tool) ToolURL(path string) string { return t.toolURL.String() + path }

// ManualPlatform is the platform as configured by hand: Moodle's endpoints are fixed paths of
// its site.
func (t *Tool) ManualPlatform(clientID string, deploymentIDs []string) Platform {
	return Platform{Issuer: t.Issuer(), ClientID: clientID, DeploymentIDs: deploymentIDs,
		AuthURL: t.site.String() + "/mod/lti/auth.php", TokenURL: t.site.String() + "/mod/lti/token.php",
		JWKSURL: t.site.String() + "/mod/lti/certs.php"}
}

// signingKey returns the tool's private key, made and kept in the store the first time.
func (t *Tool) signingKey(ctx context.Context) (jwk.Key, error) {
	t.keyOnce.Lock()
	defer t.keyOnce.Unlock()
	if t.key != nil {
		return t.key, nil
	}
	raw, err := t.store.ToolKey(ctx, newKey)
	if err != nil {
		return nil, fmt.Errorf("lti: the tool's key: %w", err)
	}
	k, err := jwk.ParseKey(raw)
	if err != nil {
		return nil, fmt.Errorf("lti: the tool's key: %w", err)
	}
	t.key = k
	return k, nil
}

// newKey makes an RSA key for RS256, the algorithm LTI 1.3 requires, as a JWK in JSON.
func newKey() ([]byte, error) {
	pk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	k, err := jwk.Import(pk)
	if err != nil {
		return nil, err
	}
	if err := jwk.AssignKeyID(k); err != nil {
		return nil, err
	}
	k.Set(jwk.AlgorithmKey, jwa.RS256())
	k.Set(jwk.KeyUsageKey, "sig")
	return json.Marshal(k)
}

// JWKS returns the tool's public key set, as JSON for GET /lti/jwks.
func (t *Tool) JWKS(ctx context.Context) ([]byte, error) {
	k, err := t.signingKey(ctx)
	if err != nil {
		return nil, err
	}
	pub, err := k.PublicKey()
	if err != nil {
		return nil, err
	}
	set := jwk.NewSet()
	if err := set.AddKey(pub); err != nil {
		return nil, err
	}
	return json.Marshal(set)
}
