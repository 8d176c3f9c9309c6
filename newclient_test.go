package versori_test

// NewClient: the credentials it requires, the environment it reads, and
// options that are refused, on NewClient and per call.

import (
	"context"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/versoritest"
)

// clearEnv unsets the variables NewClient reads for the rest of the test,
// restoring them after it. Tests that call it cannot be parallel.
func clearEnv(t *testing.T) {
	for _, name := range []string{"VERSORI_API_KEY", "VERSORI_BASE_URL", "VERSORI_ORGANISATION_ID"} {
		t.Setenv(name, "") // restores the variable when the test ends
		require.NoError(t, os.Unsetenv(name))
	}
}

// newFakeServer starts a seeded fake, closed when the test ends, for tests
// that build their own client.
func newFakeServer(t *testing.T) *versoritest.Server {
	t.Helper()
	srv := versoritest.NewServer()
	t.Cleanup(srv.Close)
	return srv
}

func TestNewClientWithoutAKeySaysHowToProvideOne(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  *string // VERSORI_API_KEY, nil for unset
	}{
		{"unset", nil},
		{"empty", new(string)},
		{"blank", versori.Ptr(" \n")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clearEnv(t)
			if tc.env != nil {
				t.Setenv("VERSORI_API_KEY", *tc.env)
			}
			c, err := versori.NewClient(versori.WithBaseURL(versori.StagingBaseURL))
			assert.Nil(t, c)
			var ve *versori.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.ErrorIs(t, err, versori.ErrValidation)
			assert.Contains(t, err.Error(), "versori.WithAPIKey")
			assert.Contains(t, err.Error(), "VERSORI_API_KEY")
		})
	}
}

func TestNewClientKeyFromAFileWithATrailingNewlineWorks(t *testing.T) {
	srv := newFakeServer(t)
	clearEnv(t)
	fromOption, err := versori.NewClient(versori.WithAPIKey(srv.APIKey+"\n"), versori.WithBaseURL(srv.URL))
	require.NoError(t, err)
	t.Setenv("VERSORI_API_KEY", srv.APIKey+"\r\n")
	fromEnv, err := versori.NewClient(versori.WithBaseURL(srv.URL))
	require.NoError(t, err)
	for _, c := range []*versori.Client{fromOption, fromEnv} {
		_, err = c.Hubs.Get(context.Background(), srv.Seeded().HubID)
		require.NoError(t, err)
	}
	for _, r := range srv.Requests() {
		assert.Equal(t, []string{"Bearer [REDACTED]"}, r.Header["Authorization"])
	}
}

func TestNewClientRefusesAKeyWithInnerWhiteSpaceWithoutEchoingIt(t *testing.T) {
	clearEnv(t)
	for _, key := range []string{"vtest_abc def", "vtest_abc\tdef", "vtest_abc\ndef", "vtest_abc\x00def", "vtest_abc\x7fdef"} {
		_, err := versori.NewClient(versori.WithAPIKey(key))
		requireValidationError(t, err, "apiKey")
		assert.NotContains(t, err.Error(), "vtest_abc")
		assert.NotContains(t, err.Error(), "def")

		if strings.ContainsRune(key, 0) {
			continue // no environment variable can hold a NUL
		}
		t.Setenv("VERSORI_API_KEY", key)
		_, err = versori.NewClient()
		requireValidationError(t, err, "environment variable "+"VERSORI_API_KEY")
		assert.NotContains(t, err.Error(), "vtest_abc")
		assert.NotContains(t, err.Error(), "def")
		require.NoError(t, os.Unsetenv("VERSORI_API_KEY"))
	}
}

func TestNewClientReadsTheEnvironment(t *testing.T) {
	srv := newFakeServer(t)
	clearEnv(t)
	t.Setenv("VERSORI_API_KEY", srv.APIKey)
	t.Setenv("VERSORI_BASE_URL", srv.URL+"/")
	t.Setenv("VERSORI_ORGANISATION_ID", srv.Seeded().OrganisationID)

	c, err := versori.NewClient()
	require.NoError(t, err)
	assert.Equal(t, srv.URL, c.BaseURL())
	assert.Equal(t, srv.Seeded().OrganisationID, c.OrganisationID())
	hub, err := c.Hubs.Get(context.Background(), srv.Seeded().HubID)
	require.NoError(t, err)
	assert.Equal(t, srv.Seeded().HubID, hub.ID)
}

func TestNewClientOptionsWinOverTheEnvironment(t *testing.T) {
	srv := newFakeServer(t)
	clearEnv(t)
	// Not even read: each would be refused.
	t.Setenv("VERSORI_API_KEY", "not a key")
	t.Setenv("VERSORI_BASE_URL", "http://example.com/not-loopback")
	t.Setenv("VERSORI_ORGANISATION_ID", " ")

	c, err := versori.NewClient(versori.WithAPIKey(srv.APIKey), versori.WithBaseURL(srv.URL), versori.WithOrganisationID("01ORG"))
	require.NoError(t, err)
	assert.Equal(t, srv.URL, c.BaseURL())
	assert.Equal(t, "01ORG", c.OrganisationID())
	_, err = c.Hubs.Get(context.Background(), srv.Seeded().HubID)
	require.NoError(t, err, "the option's key was sent")

	// Valid variables lose too.
	t.Setenv("VERSORI_API_KEY", "vtest_wrong_key")
	t.Setenv("VERSORI_BASE_URL", versori.StagingBaseURL)
	t.Setenv("VERSORI_ORGANISATION_ID", "env-org")
	c, err = versori.NewClient(versori.WithAPIKey(srv.APIKey), versori.WithBaseURL(srv.URL), versori.WithOrganisationID("option-org"))
	require.NoError(t, err)
	assert.Equal(t, srv.URL, c.BaseURL())
	assert.Equal(t, "option-org", c.OrganisationID())
	_, err = c.Hubs.Get(context.Background(), srv.Seeded().HubID)
	require.NoError(t, err, "the option's key was sent")
}

func TestNewClientRefusesABadEnvironmentVariable(t *testing.T) {
	for _, tc := range []struct{ name, value string }{
		{"VERSORI_BASE_URL", "http://example.com/api"},
		{"VERSORI_BASE_URL", "not a url"},
		{"VERSORI_ORGANISATION_ID", " "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clearEnv(t)
			t.Setenv(tc.name, tc.value)
			_, err := versori.NewClient(versori.WithAPIKey("vtest_key"))
			requireValidationError(t, err, "environment variable "+tc.name)
		})
	}
}

// TestWithMaxRetriesOutOfRangeIsRefused checks -1 and MaxRetries+1 (and
// the ints' extremes) are refused with a *ValidationError on NewClient and on a call (which then
// sends nothing), and that the bounds themselves are taken.
func TestWithMaxRetriesOutOfRangeIsRefused(t *testing.T) {
	t.Parallel()
	c, fake := startFake(t)
	ctx := context.Background()
	hubID := fake.Seeded().HubID
	for _, n := range []int{-1, versori.MaxRetries + 1, -1 << 31, 1 << 30, math.MinInt, math.MaxInt} {
		_, err := versori.NewClient(versori.WithAPIKey(fake.APIKey), versori.WithMaxRetries(n))
		requireValidationError(t, err, "retryPolicy.maxRetries")

		_, err = c.Hubs.Get(ctx, hubID, versori.WithMaxRetries(n))
		requireValidationError(t, err, "retryPolicy.maxRetries")
		assert.NotErrorIs(t, err, versori.ErrMaybeProcessed)
	}
	requireNothingSent(t, fake)

	for _, n := range []int{0, versori.MaxRetries} {
		_, err := versori.NewClient(versori.WithAPIKey(fake.APIKey), versori.WithMaxRetries(n))
		require.NoError(t, err, n)
	}
	// MaxRetries retries are taken: three faults, then the answer.
	fake.FailNext(versoritest.OpGetHub, 3, versoritest.Fault{Status: 503})
	var info versori.ResponseInfo
	_, err := c.Hubs.Get(ctx, hubID, versori.WithMaxRetries(versori.MaxRetries), versori.WithResponseInfo(&info))
	require.NoError(t, err)
	assert.Equal(t, 4, info.Attempts)
	// 0 turns retries off.
	fake.FailNext(versoritest.OpGetHub, 1, versoritest.Fault{Status: 503})
	_, err = c.Hubs.Get(ctx, hubID, versori.WithMaxRetries(0))
	assert.ErrorIs(t, err, versori.ErrServer)
	assert.Equal(t, 5, countOp(fake, versoritest.OpGetHub))
}

// TestNewClientRefusesABaseURLWithAnEmptyQueryOrFragment: "https://host/api?"
// has no RawQuery, so it once passed the "no query" check, and every call
// went to /api with its path in the query string.
func TestNewClientRefusesABaseURLWithAnEmptyQueryOrFragment(t *testing.T) {
	for _, base := range []string{
		"https://platform.versori.com/api/embedded/v1?",
		"https://platform.versori.com/api/embedded/v1/?",
		"https://platform.versori.com/api/embedded/v1#",
		"http://127.0.0.1:8080/v1?",
	} {
		_, err := versori.NewClient(versori.WithAPIKey("k"), versori.WithBaseURL(base))
		assert.ErrorIs(t, err, versori.ErrValidation, "%q", base)
	}
}

// TestNewClientRefusesAClientWideResponseInfo: WithResponseInfo is for one
// call. Given to NewClient it made every concurrent call of the client write
// one struct: a data race, each call's info overwritten by the others.
func TestNewClientRefusesAClientWideResponseInfo(t *testing.T) {
	var info versori.ResponseInfo
	_, err := versori.NewClient(versori.WithAPIKey("k"), versori.WithResponseInfo(&info))
	require.ErrorIs(t, err, versori.ErrValidation, "WithResponseInfo is for one call; a client-wide one is written by every call at once")
	assert.Contains(t, err.Error(), "call")
}
