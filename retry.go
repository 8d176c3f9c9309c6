package versori

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

// RetryPolicy says how failed calls are retried. GET, PUT, PATCH and DELETE
// are retried on connection errors and on 408, 429, 500, 502, 503 and 504. A
// POST is retried only when the API cannot have processed it: on 429, and on
// connection failures before any of the request was written.
//
// Waits grow exponentially with full jitter; a Retry-After header (seconds or
// an HTTP date) sets the wait instead. A wait that would pass the context's
// deadline, or one longer than MaxDelay, is not taken: the last error is
// returned at once.
type RetryPolicy struct {
	MaxRetries int           // retries after the first attempt; 0 turns retries off
	BaseDelay  time.Duration // first backoff ceiling; 0 means 250 ms
	MaxDelay   time.Duration // largest wait; 0 means 30 s
}

// DefaultRetryPolicy returns the policy NewClient uses: 2 retries, 250 ms
// base delay, 30 s maximum.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxRetries: 2}.withDefaults()
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.BaseDelay <= 0 {
		p.BaseDelay = 250 * time.Millisecond
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = 30 * time.Second
	}
	return p
}

// backoff returns a full-jitter wait before retry number attempt (1-based).
func (p RetryPolicy) backoff(attempt int) time.Duration {
	ceiling := p.BaseDelay << min(attempt-1, 30)
	if ceiling <= 0 || ceiling > p.MaxDelay {
		ceiling = p.MaxDelay
	}
	return time.Duration(rand.Int64N(int64(ceiling) + 1))
}

// wait returns how long to wait before the next attempt, honouring
// Retry-After, and false when the wait must not be taken.
func (p RetryPolicy) wait(ctx context.Context, attempt int, retryAfter string) (time.Duration, bool) {
	d := p.backoff(attempt)
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

// retryableStatus reports whether a response with this status may be retried.
func retryableStatus(status int, idempotent bool) bool {
	if status == http.StatusTooManyRequests {
		return true
	}
	if !idempotent {
		return false
	}
	switch status {
	case http.StatusRequestTimeout, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}
