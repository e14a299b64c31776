// Package cache keeps Moodle data per user, in memory, within one bound, with one typed key.
//
// Every entry is keyed by the Moodle site, the Moodle user id and a fingerprint of the user's
// token, so no entry built for one user can ever be read for another: the only way to a value
// is a Key, and a Key can only be built from an Owner. Values come back typed: Get[T] returns
// a T, never an any.
//
// The cache has one bound, MaxBytes: an estimate of the bytes its values keep alive (a value
// says its size by implementing Sizer). Past it, the least recently used entries go first, so
// one teacher's 5,000-student course cannot push the server out of memory, however many
// teachers come. A bound of 0 keeps nothing: caching is off without callers branching.
//
// Why go-cache and an index beside it: go-cache is the store because each entry has its own
// lifetime (a course snapshot lives until its full refresh is due, a student's extras two
// minutes) and its janitor frees expired entries nobody reads again, which a bound alone would
// keep until pushed out. go-cache cannot carry a size bound: it knows neither sizes nor which
// entry was read last. So the bound lives in a small index (meta: size and last use per key,
// under one mutex), changed on every Set and Get and by go-cache's eviction callback; a
// generation number per value keeps a late eviction from forgetting a newer value.
package cache

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	gocache "github.com/patrickmn/go-cache"
)

// Owner identifies whose data an entry is: the site, the Moodle user and their token.
type Owner struct {
	Site   string
	UserID int64
	// TokenFP is a fingerprint of the token (never the token): a new token (after Moodle
	// revoked the old one, or another service) gets fresh data.
	TokenFP string
}

// Fingerprint returns a short, one-way fingerprint of a token for cache keys and logs.
func Fingerprint(token string) string {
	sum := sha256.Sum256([]byte("kts-token:" + token))
	return hex.EncodeToString(sum[:8])
}

// Key names one cached value of one owner.
type Key struct {
	Owner Owner
	Kind  string // what the value is, e.g. "cohort" or "courses"
	Args  string // the arguments that select it, e.g. a course id
}

// CourseKey is the key of a per-course value.
func CourseKey(o Owner, kind string, courseID int64, extra ...string) Key {
	args := strconv.FormatInt(courseID, 10)
	if len(extra) > 0 {
		args += "|" + strings.Join(extra, "|")
	}
	return Key{Owner: o, Kind: kind, Args: args}
}

func (o Owner) prefix() string {
	return o.Site + "\x00" + strconv.FormatInt(o.UserID, 10) + "\x00" + o.TokenFP + "\x00"
}

func (k Key) String() string { return k.Owner.prefix() + k.Kind + "\x00" + k.Args }

// Sizer is a value that knows roughly how many bytes it keeps alive. Values that are not
// Sizers count DefaultSize.
type Sizer interface {
	CacheSize() int64
}

// DefaultSize is what a value that is not a Sizer counts against Options.MaxBytes.
const DefaultSize = 1 << 10

// DefaultTTL is how long an entry put with Set lives when Options.TTL is not above 0.
const DefaultTTL = 5 * time.Minute

// Options set up the cache.
type Options struct {
	// MaxBytes is the bound: at most about this many bytes of values. 0 or less keeps nothing
	// (caching off).
	MaxBytes int64
	// TTL is how long an entry put with Set lives (SetFor names its own), and how often
	// expired entries are swept (0 or less: DefaultTTL).
	TTL time.Duration
}

// Cache is a bounded per-user cache over go-cache.
type Cache struct {
	c        *gocache.Cache
	ttl      time.Duration
	maxBytes int64

	mu    sync.Mutex
	meta  map[string]meta // per live key: size and recency
	bytes int64
	tick  uint64 // recency clock: bumped on every Set and Get
	gen   uint64 // generation of each stored value, so a late eviction never drops a newer one
}

// meta is what the bounds need to know about one entry.
type meta struct {
	size int64
	used uint64
	gen  uint64
}

// item wraps a stored value with its generation.
type item struct {
	v   any
	gen uint64
}

// New makes a cache. Expired entries are swept every TTL.
func New(o Options) *Cache {
	if o.TTL <= 0 {
		o.TTL = DefaultTTL
	}
	c := &Cache{c: gocache.New(o.TTL, o.TTL), ttl: o.TTL, maxBytes: max(o.MaxBytes, 0), meta: map[string]meta{}}
	c.c.OnEvicted(c.evicted)
	return c
}

// evicted forgets the bookkeeping of a value go-cache removed (expired, deleted, evicted).
// go-cache calls it without holding its own lock, and the Cache never deletes from go-cache
// while holding mu, so taking mu here cannot deadlock.
func (c *Cache) evicted(k string, v any) {
	it, _ := v.(*item)
	c.mu.Lock()
	defer c.mu.Unlock()
	if m, ok := c.meta[k]; ok && it != nil && m.gen == it.gen {
		c.bytes -= m.size
		delete(c.meta, k)
	}
}

// Enabled reports whether the cache keeps anything (MaxBytes above 0).
func (c *Cache) Enabled() bool { return c != nil && c.maxBytes > 0 }

// Get returns the T under k, if present and fresh. A value of another type under k is a
// miss, so a caller never casts an any.
func Get[T any](c *Cache, k Key) (T, bool) {
	v, ok := c.get(k)
	t, isT := v.(T)
	return t, ok && isT
}

// get returns the value under k, if present and fresh.
func (c *Cache) get(k Key) (any, bool) {
	if !c.Enabled() {
		return nil, false
	}
	s := k.String()
	v, ok := c.c.Get(s)
	if !ok {
		return nil, false
	}
	it := v.(*item)
	c.mu.Lock()
	if m, ok := c.meta[s]; ok && m.gen == it.gen {
		c.tick++
		m.used = c.tick
		c.meta[s] = m
	}
	c.mu.Unlock()
	return it.v, true
}

// Set stores v under k for the cache's TTL, evicting the least recently used entries when the
// bound is passed.
func (c *Cache) Set(k Key, v any) {
	c.SetFor(k, v, c.ttl)
}

// SetFor stores v under k for ttl (short negative caching uses a small ttl).
func (c *Cache) SetFor(k Key, v any, ttl time.Duration) {
	if !c.Enabled() || ttl <= 0 {
		return
	}
	s := k.String()
	size := int64(DefaultSize)
	if sz, ok := v.(Sizer); ok {
		size = max(sz.CacheSize(), 1)
	}
	c.mu.Lock()
	c.tick++
	c.gen++
	if old, ok := c.meta[s]; ok {
		c.bytes -= old.size
	}
	c.meta[s] = meta{size: size, used: c.tick, gen: c.gen}
	c.bytes += size
	c.c.Set(s, &item{v: v, gen: c.gen}, ttl)
	victims := c.victimsLocked(s)
	c.mu.Unlock()
	if len(victims) > 0 {
		c.c.DeleteExpired()
		for _, v := range victims {
			c.c.Delete(v)
		}
	}
}

// victimsLocked picks the least recently used keys (never keep) whose removal brings the
// cache back within its bound. Called with mu held.
func (c *Cache) victimsLocked(keep string) []string {
	b := c.bytes
	if b <= c.maxBytes {
		return nil
	}
	type ku struct {
		k string
		m meta
	}
	all := make([]ku, 0, len(c.meta))
	for k, m := range c.meta {
		if k != keep {
			all = append(all, ku{k, m})
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].m.used < all[j].m.used })
	var out []string
	for _, e := range all {
		if b <= c.maxBytes {
			break
		}
		out = append(out, e.k)
		b -= e.m.size
	}
	return out
}

// Delete removes one entry.
func (c *Cache) Delete(k Key) {
	if c == nil {
		return
	}
	c.c.Delete(k.String())
}

// DropOwner removes every entry of one owner (on sign-out or a rejected token).
func (c *Cache) DropOwner(o Owner) {
	if c == nil {
		return
	}
	p := o.prefix()
	for k := range c.c.Items() {
		if strings.HasPrefix(k, p) {
			c.c.Delete(k)
		}
	}
}

// Len is the number of entries, for metrics and tests.
func (c *Cache) Len() int {
	if c == nil {
		return 0
	}
	return c.c.ItemCount()
}

// Bytes is the estimated size of the values held, for metrics and tests.
func (c *Cache) Bytes() int64 {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.bytes
}

// Keys lists the raw keys, for tests that prove no entry crosses users.
func (c *Cache) Keys() []string {
	var out []string
	for k := range c.c.Items() {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
