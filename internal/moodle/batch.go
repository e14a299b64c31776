package moodle

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
)

// BatchRequest is one inner call of tool_mobile_call_external_functions.
type BatchRequest struct {
	Function string
	Args     map[string]any // marshalled to the JSON string Moodle expects
}

// BatchResult is the outcome of one inner call: Data (the inner reply, to decode again) or
// Err (*Error from the inner exception).
type BatchResult struct {
	Data json.RawMessage
	Err  error
}

// Decode decodes the inner reply into out.
func (r BatchResult) Decode(fn string, out any) error {
	if r.Err != nil {
		return r.Err
	}
	return decodeReply(fn, r.Data, out)
}

// Batch runs several calls in one HTTP request through tool_mobile_call_external_functions.
//
// Moodle stops a batch at the first failing inner call and returns nothing for the calls
// after it. Batch re-issues those that never ran, so one student's error does not lose the
// others: the result has one entry per request, in order. When the token's service does not
// allow the batch function itself (accessexception), Batch falls back to one call per request.
// The returned error is only for the batch as a whole (network, invalid token, ...).
func (c *Client) Batch(ctx context.Context, token string, reqs []BatchRequest) ([]BatchResult, error) {
	results := make([]BatchResult, len(reqs))
	// Re-issues are bounded: when most inner calls fail (a course whose completion is off, a
	// function Moodle refuses for everyone), re-issuing after each failure would cost one HTTP
	// request per call. Past the bound the calls left are reported as not run.
	rounds := 5 + len(reqs)/10
	for start := 0; start < len(reqs); rounds-- {
		if rounds == 0 {
			for i := start; i < len(reqs); i++ {
				results[i] = BatchResult{Err: &NotRunError{Function: reqs[i].Function}}
			}
			return results, nil
		}
		ran, err := c.batchOnce(ctx, token, reqs[start:], results[start:])
		if errors.Is(err, ErrAccessException) {
			return results, c.singles(ctx, token, reqs[start:], results[start:])
		}
		if err != nil {
			return results, err
		}
		if ran == 0 { // cannot happen with a sane Moodle; avoid looping forever
			return results, &DecodeError{Function: FuncBatch, Kind: DecodeShape, Err: errors.New("no responses")}
		}
		start += ran
	}
	return results, nil
}

// batchOnce sends reqs as one batch, fills out for the calls that ran and returns their count.
func (c *Client) batchOnce(ctx context.Context, token string, reqs []BatchRequest, out []BatchResult) (int, error) {
	p := newParams()
	for i, r := range reqs {
		args, err := json.Marshal(r.Args)
		if err != nil {
			return 0, fmt.Errorf("moodle: batch arguments of %s: %w", r.Function, err)
		}
		p.Item("requests", i, "function", r.Function)
		p.Item("requests", i, "arguments", string(args))
		p.Item("requests", i, "settingfilter", "0")
		p.Item("requests", i, "settingfileurl", "0")
	}
	var reply batchReply
	if err := c.call(ctx, token, FuncBatch, p, &reply); err != nil {
		return 0, err
	}
	return reply.fill(reqs, out, token), nil
}

// batchReply is the reply of tool_mobile_call_external_functions: one response per inner call
// that ran, its data or exception a JSON string to decode again.
type batchReply struct {
	Responses []struct {
		Error     bool   `json:"error"`
		Data      string `json:"data"`
		Exception string `json:"exception"`
	} `json:"responses"`
}

// fill stores the outcome of each inner call that ran in out (index for index with reqs),
// scrubbed of token, and returns how many ran.
func (b *batchReply) fill(reqs []BatchRequest, out []BatchResult, token string) int {
	n := min(len(b.Responses), len(reqs))
	for i := range n {
		r := b.Responses[i]
		if !r.Error {
			out[i] = BatchResult{Data: json.RawMessage(r.Data)}
			continue
		}
		e := exceptionOf([]byte(r.Exception))
		if e == nil {
			var inner struct {
				ErrorCode string `json:"errorcode"`
				Message   string `json:"message"`
			}
			_ = json.Unmarshal([]byte(r.Exception), &inner)
			e = &Error{Code: inner.ErrorCode, Message: inner.Message}
		}
		e.Function = reqs[i].Function
		out[i] = BatchResult{Err: scrub(e, token)}
	}
	return n
}

// singles runs each request on its own, for a service without the batch function.
func (c *Client) singles(ctx context.Context, token string, reqs []BatchRequest, out []BatchResult) error {
	for i, r := range reqs {
		p := ArgsParams(r.Args)
		var raw json.RawMessage
		err := c.call(ctx, token, r.Function, p, &raw)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var me *Error
		if err != nil && !errors.As(err, &me) {
			return err
		}
		out[i] = BatchResult{Data: raw, Err: err}
	}
	return nil
}

// Call runs any wsfunction with raw parameters and decodes the reply into out. Prefer the
// typed methods; this exists for functions the dashboard does not wrap.
func (c *Client) Call(ctx context.Context, token, fn string, params Params, out any) error {
	return c.call(ctx, token, fn, params, out)
}

// NotRunError is an inner call of a batch that was not sent: too many calls before it failed.
type NotRunError struct{ Function string }

func (e *NotRunError) Error() string {
	return "moodle: " + e.Function + ": not run: too many earlier calls of the batch failed"
}
