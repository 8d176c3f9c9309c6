package versori

import (
	"context"
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori/internal/testutil"
)

// shouldRetry is the one retry decision: this table is the policy.
func TestShouldRetry(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		r          attemptResult
		idempotent bool // GET, PUT, PATCH, DELETE
		post       bool
	}{
		{"connection failed before sending", attemptResult{status: 0, sent: false}, true, true},
		{"connection failed after sending", attemptResult{status: 0, sent: true}, true, false},
		{"no credentials", attemptResult{status: 0, permanent: true}, false, false},
		{"2xx body cut off", attemptResult{status: 200, sent: true, truncated: true}, true, false},
		{"2xx body malformed", attemptResult{status: 200, sent: true}, false, false},
		{"408", attemptResult{status: 408, sent: true}, true, false},
		{"429", attemptResult{status: 429, sent: true}, true, true},
		{"500", attemptResult{status: 500, sent: true}, true, false},
		{"501", attemptResult{status: 501, sent: true}, false, false},
		{"502", attemptResult{status: 502, sent: true}, true, false},
		{"503", attemptResult{status: 503, sent: true}, true, false},
		{"504", attemptResult{status: 504, sent: true}, true, false},
		{"307 redirect", attemptResult{status: 307, sent: true}, false, false},
		{"400", attemptResult{status: 400, sent: true}, false, false},
		{"404", attemptResult{status: 404, sent: true}, false, false},
		{"409", attemptResult{status: 409, sent: true}, false, false},
	} {
		for _, m := range []string{http.MethodGet, http.MethodPut, http.MethodPatch, http.MethodDelete} {
			assert.Equal(t, tc.idempotent, shouldRetry(m, tc.r), "%s %s", m, tc.name)
		}
		assert.Equal(t, tc.post, shouldRetry(http.MethodPost, tc.r), "POST %s", tc.name)
	}
}

// A policy is checked when it is set (WithMaxRetries: newclient_test.go),
// and no value, however large, can make the backoff overflow or panic.
func TestRetryPolicyBounds(t *testing.T) {
	t.Parallel()
	for _, p := range []RetryPolicy{
		{MaxRetries: -1}, {MaxRetries: MaxRetries + 1}, {MaxRetries: math.MaxInt},
		{BaseDelay: -1}, {MaxDelay: -time.Second},
	} {
		_, err := NewClient(WithAPIKey(testKey), WithRetryPolicy(p))
		assert.ErrorIs(t, err, ErrValidation, "%+v", p)
	}
	for _, p := range []RetryPolicy{
		{MaxRetries: MaxRetries, BaseDelay: math.MaxInt64, MaxDelay: math.MaxInt64},
		{MaxRetries: 1, BaseDelay: 1, MaxDelay: math.MaxInt64},
		{MaxRetries: 1, BaseDelay: math.MaxInt64, MaxDelay: 1},
		{MaxRetries: 1, BaseDelay: time.Hour, MaxDelay: time.Millisecond},
	} {
		p, err := p.normalise()
		require.NoError(t, err)
		for retry := 1; retry <= 200; retry++ {
			d := p.backoff(retry)
			assert.Positive(t, d, "%+v retry %d", p, retry)
			assert.LessOrEqual(t, d, p.MaxDelay, "%+v retry %d", p, retry)
		}
	}
}

// A call with a policy of huge delays returns at once when its context has a
// deadline the wait would pass, rather than sleeping or panicking.
func TestHugeDelaysRespectTheDeadline(t *testing.T) {
	t.Parallel()
	srv := testutil.NewServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		writeJSON(w, 503, `{"code":"503000","message":"busy"}`)
	})
	c, err := NewClient(WithAPIKey(testKey), WithBaseURL(srv.URL),
		WithRetryPolicy(RetryPolicy{MaxRetries: MaxRetries, BaseDelay: math.MaxInt64, MaxDelay: math.MaxInt64}))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	start := time.Now()
	_, err = c.Hubs.Get(ctx, "01HUB")
	assert.ErrorIs(t, err, ErrServer)
	assert.Less(t, time.Since(start), time.Second)
}

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{"3", 3 * time.Second, true},
		{"-1", 0, false},
		{"99999999999999999999", 0, false},
		{"9223372036854775807", (1 << 32) * time.Second, true},
		{now.Add(5 * time.Second).Format(http.TimeFormat), 5 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{"soon", 0, false},
	} {
		got, ok := parseRetryAfter(tc.in, now)
		assert.Equal(t, tc.ok, ok, tc.in)
		assert.Equal(t, tc.want, got, tc.in)
	}
}
