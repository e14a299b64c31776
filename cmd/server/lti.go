package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/alexedwards/scs/v2"
	"github.com/knowthystudents/kts/internal/lti"
)

// newLTI builds the dashboard as an LTI 1.3 tool of the Moodle site: on when -moodle-url and
// -public-url are set. A hand registration (-lti-client-id) is kept as the platform; a
// dynamic one is kept by /lti/register. store keeps registrations, logins, the tool's key
// and the sealed tokens.
func newLTI(ctx context.Context, cfg *config, store lti.Store, site string, log *slog.Logger) (*lti.Tool, *lti.Tokens, error) {
	sealer, err := lti.ParseKeys(cfg.SecretKey)
	if err != nil {
		return nil, nil, err
	}
	if cfg.MoodleURL == "" || cfg.PublicURL == "" {
		if cfg.MoodleURL != "" {
			log.Info("LTI is off: set -public-url to the dashboard's address to make it an LTI tool of Moodle")
		}
		return nil, nil, nil
	}
	tool, err := lti.New(lti.Options{Site: cfg.MoodleURL, ToolURL: cfg.PublicURL, Store: store})
	if err != nil {
		return nil, nil, err
	}
	if cfg.LTIClientID != "" {
		var deps []string
		for _, d := range strings.Split(cfg.LTIDeployments, ",") {
			if d = strings.TrimSpace(d); d != "" {
				deps = append(deps, d)
			}
		}
		if len(deps) == 0 {
			return nil, nil, fmt.Errorf("-lti-client-id needs -lti-deployment-id: the deployment id Moodle shows for the tool")
		}
		if err := store.SavePlatform(ctx, tool.ManualPlatform(cfg.LTIClientID, deps)); err != nil {
			return nil, nil, fmt.Errorf("lti: keeping the hand registration: %w", err)
		}
	}
	tokens := &lti.Tokens{Store: store, Sealer: sealer, Site: site}
	log.Info("LTI 1.3 tool", "moodle", tool.Site(), "login", tool.ToolURL("/lti/login"), "keeps_tokens", tokens.Keeps())
	return tool, tokens, nil
}

// frameSessions lets the session cookie reach the dashboard inside Moodle's frame: over
// HTTPS, SameSite=None with Partitioned (a frame's cookie is a third-party cookie); the
// cross-origin protection of the forms does what SameSite=Lax did against cross-site posts.
// Over plain HTTP the cookie stays Lax: browsers drop SameSite=None without Secure.
func frameSessions(sm *scs.SessionManager, cfg *config) {
	if cfg.SecureCookie {
		sm.Cookie.SameSite = http.SameSiteNoneMode
		sm.Cookie.Partitioned = true
	}
}
