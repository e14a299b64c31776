package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/knowthystudents/kts/internal/app"
	"github.com/knowthystudents/kts/internal/demo"
	"github.com/knowthystudents/kts/internal/load"
	"github.com/knowthystudents/kts/internal/moodle"
	"github.com/knowthystudents/kts/internal/store"
	"github.com/knowthystudents/kts/views"
)

// run is the whole server: parse configuration, build the dependencies, serve until ctx is
// cancelled, then drain requests in flight. Tests call it too.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, fs, err := parseConfig(args, getenv, stderr)
	if err != nil {
		return err
	}
	switch {
	case cfg.Healthcheck:
		return healthcheck(ctx, cfg.Addr)
	case cfg.ListFunctions:
		fmt.Fprintln(stdout, strings.Join(load.Functions(), "\n"))
		return nil
	case cfg.PrintFlags:
		printFlags(fs, stdout)
		return nil
	}
	log, err := newLogger(cfg, stderr)
	if err != nil {
		return err
	}
	if cfg.ForgetUser != 0 {
		return forgetUser(ctx, cfg, log, stdout)
	}
	if cfg.OldCacheMaxEntries != 0 {
		log.Warn("-cache-max-entries (KTS_CACHE_MAX_ENTRIES) is no longer used and is ignored: -cache-max-bytes is the cache's one bound")
	}
	if cfg.CacheTTL <= 0 {
		return errors.New("-cache-ttl must be above 0: it is how long a page shows Moodle data without asking Moodle again (-cache-max-bytes 0 switches caching off)")
	}
	proxies, err := parsePrefixes(cfg.TrustedProxies)
	if err != nil {
		return err
	}
	loc := time.Local
	if cfg.Timezone != "" {
		if loc, err = time.LoadLocation(cfg.Timezone); err != nil {
			return fmt.Errorf("-timezone: %w", err)
		}
	}

	moodleURL := cfg.MoodleURL
	var demoAccounts []views.DemoAccount
	if moodleURL == "" {
		site, url, stopDemo, err := startDemo(cfg, log)
		if err != nil {
			return err
		}
		defer stopDemo()
		moodleURL = url
		for _, a := range site.Accounts() {
			demoAccounts = append(demoAccounts, views.DemoAccount{Username: a.Username, Password: a.Password, Token: a.Token, Role: a.Description})
		}
		log.Info("demo mode: no -moodle-url given, using the built-in demo Moodle", "url", url)
	}
	var sessionStore scs.Store
	if cfg.RedisURL != "" {
		rs, closeRedis, err := newRedisStore(cfg.RedisURL)
		if err != nil {
			return err
		}
		defer closeRedis()
		sessionStore = rs
	}
	st, err := store.Open(ctx, cfg.DatabaseURL, cfg.DataDir, log)
	if err != nil {
		return err
	}
	defer st.Close()
	acfg := cfg.app(moodleURL, proxies, loc)
	if cfg.MoodleURL != "" && cfg.PublicURL == "" {
		log.Info("LTI is off: set -public-url to the dashboard's address to make it an LTI tool of Moodle")
	}
	a, err := app.New(ctx, acfg, app.Deps{Log: log, Store: st, SessionStore: sessionStore, DemoAccounts: demoAccounts})
	if err != nil {
		return err
	}

	srv := &http.Server{
		Addr: cfg.Addr, Handler: a.Handler,
		ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: acfg.WriteTimeout(), IdleTimeout: 2 * time.Minute,
		MaxHeaderBytes: 64 << 10,
		ErrorLog:       slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return listenError(cfg.Addr, err)
	}
	log.Info("listening", "addr", ln.Addr().String(), "moodle", moodleURL)
	fmt.Fprintf(stdout, "Know Thy Students is running: open %s in a browser.\n", dashboardURL(ln.Addr()))
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: draining requests in flight", "timeout", cfg.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

func newLogger(cfg *config, w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		return nil, fmt.Errorf("-log-level: %w", err)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch cfg.LogFormat {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("-log-format must be text or json, not %q", cfg.LogFormat)
}

// startDemo serves the demo Moodle on a loopback port, so the dashboard reaches it over HTTP
// through the same client as a real site.
func startDemo(cfg *config, log *slog.Logger) (*demo.Site, string, func(), error) {
	ln, err := net.Listen("tcp", cfg.DemoAddr)
	if err != nil {
		return nil, "", nil, fmt.Errorf("demo Moodle: %w", err)
	}
	url := "http://" + ln.Addr().String()
	opts := demo.Options{Now: time.Now(), BaseURL: url, BigStudents: cfg.DemoBigStudents}
	switch cfg.DemoLatency {
	case "none":
	case "realistic":
		opts.Latency = demo.RealisticLatency()
	default:
		ln.Close()
		return nil, "", nil, fmt.Errorf("-demo-latency must be none or realistic, not %q", cfg.DemoLatency)
	}
	site := demo.New(opts)
	srv := &http.Server{Handler: site.Handler(), ReadHeaderTimeout: 10 * time.Second,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	go srv.Serve(ln)
	return site, url, func() { srv.Close() }, nil
}

// healthcheck asks a running server's /healthz; used by the container's HEALTHCHECK, where no
// curl exists.
func healthcheck(ctx context.Context, addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+net.JoinHostPort(host, port)+"/healthz", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthz: %s", resp.Status)
	}
	return nil
}

// dashboardURL is the address a person on this machine opens: localhost for a wildcard
// listener (":8080" listens on every interface).
func dashboardURL(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return "http://" + a.String() + "/"
	}
	host := tcp.IP.String()
	if tcp.IP.IsUnspecified() || tcp.IP.IsLoopback() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, strconv.Itoa(tcp.Port)) + "/"
}

// listenError says what to do when the address cannot be listened on: a busy port is the
// usual case on a developer's machine.
func listenError(addr string, err error) error {
	if errors.Is(err, syscall.EADDRINUSE) {
		return fmt.Errorf("the address %s is already in use (another program, or another copy of this server, listens there): "+
			"choose another with -addr, e.g. -addr :8081 (or KTS_ADDR=:8081; with make: go run ./cmd/server -addr :8081)", addr)
	}
	return fmt.Errorf("listen on %s (-addr): %w", addr, err)
}

// forgetUser deletes one teacher's data from the store: the admin's command for a request to
// erase it (docs/DEPLOY.md, privacy). The site is -moodle-url's, spelled as the handlers key it.
func forgetUser(ctx context.Context, cfg *config, log *slog.Logger, stdout io.Writer) error {
	if cfg.MoodleURL == "" {
		return errors.New("-forget-user needs -moodle-url: the site whose user it is")
	}
	if cfg.ForgetUser < 0 {
		return errors.New("-forget-user must be a Moodle user id")
	}
	mc, err := moodle.New(cfg.MoodleURL, moodle.Options{})
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, cfg.DatabaseURL, cfg.DataDir, log)
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := st.Forget(ctx, mc.BaseURL(), cfg.ForgetUser)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "deleted %d rows about user %d of %s\n", n, cfg.ForgetUser, mc.BaseURL())
	return nil
}
