package versori

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

// RetryPolicy says how failed calls are retried (see shouldRetry for which).
// Waits grow exponentially with full jitter from BaseDelay up to MaxDelay; a
// Retry-After header (seconds or an HTTP date) sets the wait instead. A wait
// longer than MaxDelay, or one that would pass the context's deadline, is not
// taken: the last error is returned at once.
type RetryPolicy struct {
	MaxRetries int           // retries after the first attempt, 0 to MaxRetries; 0 turns retries off
	BaseDelay  time.Duration // first backoff ceiling; 0 means 250 ms
	MaxDelay   time.Duration // largest wait; 0 means 30 s
}

// MaxRetries is the most retries a RetryPolicy may ask for.
const MaxRetries = 100

// DefaultRetryPolicy returns the policy of a new client: 2 retries, 250 ms
// base delay, 30 s maximum.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxRetries: 2, BaseDelay: 250 * time.Millisecond, MaxDelay: 30 * time.Second}
}

// normalise fills in defaults and refuses what cannot work.
func (p RetryPolicy) normalise() (RetryPolicy, error) {
	switch {
	case p.MaxRetries < 0 || p.MaxRetries > MaxRetries:
		return p, &ValidationError{Field: "retryPolicy.maxRetries", Reason: "must be between 0 and " + strconv.Itoa(MaxRetries)}
	case p.BaseDelay < 0:
		return p, &ValidationError{Field: "retryPolicy.baseDelay", Reason: "must not be negative"}
	case p.MaxDelay < 0:
		return p, &ValidationError{Field: "retryPolicy.maxDelay", Reason: "must not be negative"}
	}
	d := DefaultRetryPolicy()
	if p.BaseDelay == 0 {
		p.BaseDelay = d.BaseDelay
	}
	if p.MaxDelay == 0 {
		p.MaxDelay = d.MaxDelay
	}
	return p, nil
}

// attemptResult is what one attempt ended with, as far as retrying goes.
type attemptResult struct {
	err        error
	status     int    // the answer's HTTP status; 0 when there was none
	sent       bool   // the request may have reached the server
	truncated  bool   // a 2xx body the connection cut off
	retryAfter string // the answer's Retry-After header
	permanent  bool   // a failure that repeating cannot mend
}

// shouldRetry is the SDK's one retry decision. GET, PUT, PATCH and DELETE
// (whose effect does not change when repeated, in this API) are retried on a
// connection failure, a 2xx body cut off, and 408, 429, 500, 502, 503 and
// 504. A POST is retried only where it provably was not processed: on 429,
// and when the connection failed before any of it was sent.
func shouldRetry(method string, r attemptResult) bool {
	idempotent := method != http.MethodPost
	switch {
	case r.permanent:
		return false
	case r.status == http.StatusTooManyRequests:
		return true
	case r.status == 0:
		return idempotent || !r.sent
	case r.truncated:
		return idempotent
	}
	switch r.status {
	case http.StatusRequestTimeout, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return idempotent
	}
	return false
}

// wait returns how long to wait before retry number retry (1-based),
// honouring Retry-After, and false when the wait must not be taken.
func (p RetryPolicy) wait(ctx context.Context, retry int, retryAfter string) (time.Duration, bool) {
	d := p.backoff(retry)
	if ra, ok := parseRetryAfter(retryAfter, time.Now()); ok {
		if ra > p.MaxDelay {
			return 0, false
		}
		d = ra
	}
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < d {
		return 0, false
	}
	return d, true
}

// backoff returns a full-jitter wait before retry number retry (1-based).
func (p RetryPolicy) backoff(retry int) time.Duration {
	ceiling := p.MaxDelay
	if shift := retry - 1; shift < 62 && p.BaseDelay <= p.MaxDelay>>shift {
		ceiling = p.BaseDelay << shift
	}
	if ceiling <= 0 {
		return 0
	}
	return time.Duration(rand.Int64N(int64(ceiling))) + 1
}

// parseRetryAfter reads Retry-After as delay-seconds or an HTTP date; a date
// in the past means no wait.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(min(secs, 1<<32)) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
