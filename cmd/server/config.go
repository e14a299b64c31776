package main

import (
	"flag"
	"fmt"
	"io"
	"net/netip"
	"strings"
	"time"

	"github.com/knowthystudents/kts/internal/app"
	"github.com/knowthystudents/kts/internal/moodle"
)

// config is every setting of the server. Each is a flag with an environment fallback: the
// flag's name in upper case, '-' turned into '_', with a KTS_ prefix (-moodle-url and
// KTS_MOODLE_URL). A flag on the command line wins over the environment.
type config struct {
	Addr            string
	MoodleURL       string
	MoodleService   string
	MoodleTimeout   time.Duration
	MoodleMaxBody   int64
	BreakerFailures int
	BreakerCooldown time.Duration
	RedisURL        string
	DatabaseURL     string
	DataDir         string
	ForgetUser      int64
	CacheTTL        time.Duration
	CacheMaxBytes   int64
	FullRefresh     time.Duration
	SinceMargin     time.Duration
	LoadTimeout     time.Duration
	BatchSize       int
	BatchParallel   int
	PageSize        int
	SessionIdle     time.Duration
	SessionLifetime time.Duration
	SecureCookie    bool
	PublicURL       string
	SecretKey       string
	LTIClientID     string
	LTIDeployments  string
	TrustedProxies  string
	Timezone        string
	LogLevel        string
	LogFormat       string
	InactiveDays    int
	FollowUpDays    int
	BehindRatio     float64
	MaxRecipients   int
	ConfirmAbove    int
	DemoAddr        string
	DemoLatency     string
	DemoBigStudents int
	ShutdownTimeout time.Duration
	Healthcheck     bool
	ListFunctions   bool
	PrintFlags      bool
	// OldCacheMaxEntries is the removed -cache-max-entries, read only to warn that it is ignored.
	OldCacheMaxEntries int
}

// envName is the environment variable behind a flag.
func envName(flagName string) string {
	return "KTS_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// parseConfig reads flags, then fills every flag not given on the command line from the
// environment.
func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (*config, *flag.FlagSet, error) {
	c := &config{}
	d := app.DefaultConfig()
	fs := flag.NewFlagSet("kts", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.Addr, "addr", ":8080", "listen address")
	fs.StringVar(&c.MoodleURL, "moodle-url", "", "the Moodle site's base URL, e.g. https://moodle.school.example (empty: built-in demo Moodle)")
	fs.StringVar(&c.MoodleService, "moodle-service", d.MoodleService, "the web service a password sign-in asks a token for")
	fs.DurationVar(&c.MoodleTimeout, "moodle-timeout", d.MoodleTimeout, "timeout of one Moodle request")
	fs.Int64Var(&c.MoodleMaxBody, "moodle-max-body", d.MoodleMaxBody, "largest Moodle reply read, in bytes")
	fs.IntVar(&c.BreakerFailures, "moodle-breaker-failures", d.Breaker.Threshold, "Moodle failures in a row (no answer, timeout, HTTP 5xx) after which the dashboard pauses its requests to Moodle (0: never pause)")
	fs.DurationVar(&c.BreakerCooldown, "moodle-breaker-cooldown", d.Breaker.Cooldown, "how long requests to a failing Moodle are paused before one is tried again")
	fs.StringVar(&c.RedisURL, "redis-url", "", "Redis URL for sessions shared by several replicas, e.g. redis://127.0.0.1:6379/0 (empty: in-process)")
	fs.StringVar(&c.DatabaseURL, "database-url", "", "the dashboard's own store, e.g. postgres://kts:secret@db.school.example/kts for several replicas (empty: an SQLite file kts.db in -data-dir)")
	fs.StringVar(&c.DataDir, "data-dir", "./kts-data", "directory of the SQLite store when -database-url is empty (created with mode 0700)")
	fs.DurationVar(&c.CacheTTL, "cache-ttl", d.CacheTTL, "how long a page shows Moodle data without asking Moodle again: past it, a course is shown as it was while an incremental refresh runs behind it, and the course list is read again")
	fs.IntVar(&c.OldCacheMaxEntries, "cache-max-entries", 0, "no longer used: -cache-max-bytes is the cache's one bound; accepted, with a warning, so an old command line or environment still starts")
	fs.Int64Var(&c.CacheMaxBytes, "cache-max-bytes", d.CacheMaxBytes, "the cache's one bound: about the most bytes of Moodle data kept in memory; past it, the least recently used go first (0 switches caching off: every page asks Moodle and waits for the whole course)")
	fs.DurationVar(&c.FullRefresh, "full-refresh-after", d.FullRefresh, "after this long since a course's last full load, the next refresh reads everything again (what incremental refreshes miss: a teacher's completion override)")
	fs.DurationVar(&c.SinceMargin, "refresh-margin", d.SinceMargin, "an incremental refresh re-reads what changed since the previous load started, less this margin (clock skew, Moodle's minute-grained access times)")
	fs.DurationVar(&c.LoadTimeout, "load-timeout", d.LoadTimeout, "longest a course load or refresh may run, in the background")
	fs.IntVar(&c.BatchSize, "batch-size", d.BatchSize, "students per completion batch request to Moodle")
	fs.IntVar(&c.BatchParallel, "batch-concurrency", d.BatchParallel, "completion batches in flight at once per course load")
	fs.IntVar(&c.PageSize, "page-size", d.PageSize, "students per page of the cohort view (0: all on one page); the CSV export always has every student of the filter")
	fs.DurationVar(&c.SessionIdle, "session-idle", d.SessionIdle, "a session ends after this long without a request")
	fs.DurationVar(&c.SessionLifetime, "session-lifetime", d.SessionLifetime, "a session ends this long after sign-in, whatever happens")
	fs.BoolVar(&c.SecureCookie, "secure-cookie", false, "mark the session cookie Secure (set it when users reach the dashboard over HTTPS)")
	fs.StringVar(&c.PublicURL, "public-url", "", "the dashboard's own address as browsers and Moodle reach it, e.g. https://kts.school.example: the URLs an LTI registration gives Moodle (empty: LTI is off)")
	fs.StringVar(&c.SecretKey, "secret-key", "", "comma-separated keys (32 random bytes each, base64, e.g. from openssl rand -base64 32) that encrypt what the store keeps secret, such as a teacher's token for LTI launches; the first encrypts, all decrypt (empty: such tokens last one session)")
	fs.StringVar(&c.LTIClientID, "lti-client-id", "", "LTI registered by hand: the client id Moodle shows for the tool (empty: dynamic registration only)")
	fs.StringVar(&c.LTIDeployments, "lti-deployment-id", "", "LTI registered by hand: the deployment id(s) Moodle shows for the tool, comma-separated")
	fs.StringVar(&c.TrustedProxies, "trusted-proxies", "", "comma-separated addresses or CIDRs of reverse proxies whose X-Forwarded-For is trusted (empty: none)")
	fs.StringVar(&c.Timezone, "timezone", "", "IANA time zone dates are shown in, e.g. Europe/Copenhagen (empty: the server's local zone)")
	fs.StringVar(&c.LogLevel, "log-level", "info", "log level: debug, info, warn, error")
	fs.StringVar(&c.LogFormat, "log-format", "text", "log format: text or json")
	fs.IntVar(&c.InactiveDays, "inactive-days", d.InactiveDays, "days without course access that raise the inactive flag")
	fs.IntVar(&c.FollowUpDays, "followup-days", d.FollowUpDays, "days after a message from the dashboard with no action by the student that make a follow-up due")
	fs.Float64Var(&c.BehindRatio, "behind-ratio", d.BehindRatio, "the behind flag is raised below this share of the course's median completion")
	fs.IntVar(&c.MaxRecipients, "max-recipients", d.MaxRecipients, "most recipients of one message send")
	fs.IntVar(&c.ConfirmAbove, "confirm-above", d.ConfirmAbove, "ask for a confirmation when a message goes to more students than this")
	fs.StringVar(&c.DemoAddr, "demo-addr", "127.0.0.1:0", "where the built-in demo Moodle listens (demo mode only)")
	fs.StringVar(&c.DemoLatency, "demo-latency", "none", "demo Moodle latency model: none or realistic (measured on a real Moodle 4.5)")
	fs.IntVar(&c.DemoBigStudents, "demo-big-students", 5000, "students in the demo's generated big course")
	fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", 20*time.Second, "how long a shutdown waits for requests in flight")
	fs.BoolVar(&c.Healthcheck, "healthcheck", false, "GET /healthz on -addr and exit 0 if it answers ok (for container health checks)")
	fs.BoolVar(&c.ListFunctions, "list-functions", false, "print the Moodle web-service functions the dashboard calls and exit")
	fs.Int64Var(&c.ForgetUser, "forget-user", 0, "delete everything the store keeps about this Moodle user id of -moodle-url's site, print how many rows went, and exit (0: off)")
	fs.BoolVar(&c.PrintFlags, "print-flags", false, "print every flag with its environment variable as a Markdown table and exit")
	if err := fs.Parse(args); err != nil {
		return nil, nil, err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if set[f.Name] || err != nil {
			return
		}
		if v := getenv(envName(f.Name)); v != "" {
			if e := fs.Set(f.Name, v); e != nil {
				err = fmt.Errorf("%s=%q: %w", envName(f.Name), v, e)
			}
		}
	})
	if err != nil {
		return nil, nil, err
	}
	if fs.NArg() > 0 {
		return nil, nil, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	return c, fs, nil
}

// app is the dashboard's configuration: moodleURL is the site it talks to (the demo's in
// demo mode, where LTI stays off), proxies and loc the parsed -trusted-proxies and -timezone.
func (c *config) app(moodleURL string, proxies []netip.Prefix, loc *time.Location) app.Config {
	a := app.Config{
		MoodleURL: moodleURL, Demo: c.MoodleURL == "", MoodleService: c.MoodleService, MoodleTimeout: c.MoodleTimeout, MoodleMaxBody: c.MoodleMaxBody,
		Breaker:  moodle.BreakerOptions{Threshold: c.BreakerFailures, Cooldown: c.BreakerCooldown, Disabled: c.BreakerFailures == 0},
		CacheTTL: c.CacheTTL, CacheMaxBytes: c.CacheMaxBytes,
		FullRefresh: c.FullRefresh, SinceMargin: c.SinceMargin, LoadTimeout: c.LoadTimeout,
		BatchSize: c.BatchSize, BatchParallel: c.BatchParallel,
		PageSize: c.PageSize, SessionIdle: c.SessionIdle, SessionLifetime: c.SessionLifetime, SecureCookie: c.SecureCookie,
		TrustedProxies: proxies, Location: loc,
		InactiveDays: c.InactiveDays, FollowUpDays: c.FollowUpDays, BehindRatio: c.BehindRatio,
		MaxRecipients: c.MaxRecipients, ConfirmAbove: c.ConfirmAbove,
		SecretKey: c.SecretKey, LTIClientID: c.LTIClientID, LTIDeployments: c.LTIDeployments,
	}
	if c.MoodleURL != "" {
		a.PublicURL = c.PublicURL
	}
	return a
}

// printFlags writes the flag table for docs/DEPLOY.md, generated from the flags themselves so
// the documentation cannot drift.
func printFlags(fs *flag.FlagSet, w io.Writer) {
	fmt.Fprintln(w, "| flag | environment | default | what |")
	fmt.Fprintln(w, "| --- | --- | --- | --- |")
	fs.VisitAll(func(f *flag.Flag) {
		def := f.DefValue
		if def == "" {
			def = "(empty)"
		}
		fmt.Fprintf(w, "| `-%s` | `%s` | `%s` | %s |\n", f.Name, envName(f.Name), def, f.Usage)
	})
}

// parsePrefixes reads -trusted-proxies: addresses or CIDRs, comma-separated.
func parsePrefixes(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !strings.Contains(f, "/") {
			a, err := netip.ParseAddr(f)
			if err != nil {
				return nil, fmt.Errorf("-trusted-proxies: %q: %w", f, err)
			}
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, fmt.Errorf("-trusted-proxies: %q: %w", f, err)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}
