package demo

import (
	"errors"
	"time"

	"github.com/knowthystudents/kts/internal/moodle/wsfake"
)

// batch answers tool_mobile_call_external_functions as Moodle does
// (wsfake.RunBatch): the requests in PHP's array order, each run as its own
// call (its own locking, its own permission checks), its reply in data as a
// JSON string, the batch stopping at the first failing call, whose exception
// (also a JSON string) is the last response. The batch itself succeeds.
func batch(c *call) (any, error) {
	reqs, err := wsfake.BatchRequests(c.raw)
	if err != nil {
		return nil, errInvalidParameter()
	}
	lat := c.s.opts.Latency
	return wsfake.RunBatch(reqs, c.base, func(in wsfake.InnerCall) wsfake.InnerResult {
		c.s.stats.batchedCall(in.Function)
		c.inner = append(c.inner, in.Function)
		sub := &call{ctx: c.ctx, s: c.s, fn: in.Function, u: c.u, svc: c.svc, a: argsOf(in.Args), raw: in.Args, base: c.base}
		result, err := c.s.runInner(sub)
		c.extra += time.Duration(lat.batchFactor() * float64(lat.cost(in.Function, sub.units)))
		if err == nil {
			var b []byte
			if b, err = marshal(result); err == nil {
				return wsfake.InnerResult{Data: b}
			}
		}
		var we *wsError
		if !errors.As(err, &we) {
			we = errMoodle("generalexceptionmessage", err.Error())
		}
		return wsfake.InnerResult{Err: &wsfake.Exception{Code: we.errorcode, Message: we.message}}
	}), nil
}

// runInner runs one call of a batch with the checks of a direct call, in the
// batch's order: Moodle asks whether the token's service has the function
// before anything else, so an inner call of a function that does not exist is
// an accessexception too (a direct call of one is invalidrecord).
func (s *Site) runInner(c *call) (any, error) {
	f := s.funcs[c.fn]
	switch {
	case !c.svc.allowed[c.fn]:
		return nil, errAccess()
	case f == nil:
		return nil, errMissingRecord("external_functions")
	case c.fn == wsfake.BatchFunction:
		return nil, errInvalidParameter()
	}
	switch f.lock {
	case lockRead:
		s.mu.RLock()
		defer s.mu.RUnlock()
	case lockWrite:
		s.mu.Lock()
		defer s.mu.Unlock()
	}
	return f.run(c)
}
