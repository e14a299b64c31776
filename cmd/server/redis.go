package main

import (
	"fmt"
	"net/url"
	"time"

	"github.com/alexedwards/scs/redisstore"
	"github.com/alexedwards/scs/v2"
	"github.com/gomodule/redigo/redis"
)

// newRedisStore keeps sessions in Redis so that any replica serves any teacher.
func newRedisStore(rawURL string) (scs.Store, func(), error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") {
		return nil, nil, fmt.Errorf("-redis-url must look like redis://host:6379/0")
	}
	pool := &redis.Pool{
		MaxIdle: 10, IdleTimeout: 4 * time.Minute,
		Dial: func() (redis.Conn, error) {
			return redis.DialURL(rawURL, redis.DialConnectTimeout(2*time.Second),
				redis.DialReadTimeout(2*time.Second), redis.DialWriteTimeout(2*time.Second))
		},
		TestOnBorrow: func(c redis.Conn, t time.Time) error {
			if time.Since(t) < 30*time.Second {
				return nil
			}
			_, err := c.Do("PING")
			return err
		},
	}
	return redisstore.NewWithPrefix(pool, "kts:session:"), func() { pool.Close() }, nil
}
