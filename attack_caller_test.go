package versori_test

// Attacks by a careless caller: values not made by the SDK's constructors,
// options net/http will refuse only later, contexts already over, results
// read without looking at the error.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
)

// notInitialised checks a call on a client not made by NewClient: refused,
// not a panic, and nothing sent.
func notInitialised(t *testing.T, name string, call func() error) {
	t.Helper()
	var err error
	mustNotPanic(t, func() { err = call() })
	require.Error(t, err, name)
	assert.ErrorIs(t, err, versori.ErrNotSent, name)
	var ve *versori.ValidationError
	assert.True(t, errors.As(err, &ve), "%s: want a *ValidationError, got %v", name, err)
}

// TestAttackZeroClient: a Client{} (or a nil *Client, or a zero service) is
// used as if NewClient had made it. Every method panicked with a nil
// pointer dereference.
func TestAttackZeroClient(t *testing.T) {
	ctx := context.Background()
	u := versori.ExternalUser("u")
	var zero versori.Client
	var nilClient *versori.Client
	calls := map[string]func() error{
		"Client{}.Do":       func() error { return zero.Do(ctx, versori.Request{Method: "GET", Path: "/hubs/x"}, nil) },
		"(*Client)(nil).Do": func() error { return nilClient.Do(ctx, versori.Request{Method: "GET", Path: "/hubs/x"}, nil) },
		"Client{}.Hubs.Get": func() error { _, err := zero.Hubs.Get(ctx, "x"); return err },
		"Client{}.Users.All": func() error {
			for _, err := range zero.Users.All(ctx, "h", nil) {
				return err
			}
			return nil
		},
		"HubsService{}.Get":                   func() error { _, err := (&versori.HubsService{}).Get(ctx, "x"); return err },
		"UsersService{}.Get":                  func() error { _, err := (&versori.UsersService{}).Get(ctx, "h", u); return err },
		"ConnectionsService{}.Get":            func() error { _, err := (&versori.ConnectionsService{}).Get(ctx, "t", u); return err },
		"IntegrationsService{}.Delete":        func() error { return (&versori.IntegrationsService{}).Delete(ctx, "i") },
		"ActivationsService{}.Get":            func() error { _, err := (&versori.ActivationsService{}).Get(ctx, "a"); return err },
		"EmbedService{}.ListIntegrations":     func() error { _, err := (&versori.EmbedService{}).ListIntegrations(ctx, "h", u, nil); return err },
		"(*ActivationsService)(nil).Get":      func() error { _, err := (*versori.ActivationsService)(nil).Get(ctx, "a"); return err },
		"(*UsersService)(nil).Delete":         func() error { return (*versori.UsersService)(nil).Delete(ctx, "h", u) },
		"(*HubsService)(nil).List":            func() error { _, err := (*versori.HubsService)(nil).List(ctx, "o"); return err },
		"(*EmbedService)(nil).GetIntegration": func() error { _, err := (*versori.EmbedService)(nil).GetIntegration(ctx, "h", u, "i"); return err },
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) { notInitialised(t, name, call) })
	}
	t.Run("accessors", func(t *testing.T) {
		mustNotPanic(t, func() {
			assert.Empty(t, nilClient.BaseURL())
			assert.Empty(t, nilClient.OrganisationID())
			assert.Empty(t, zero.BaseURL())
		})
	})
}

// TestAttackBaseURLWithEmptyQuery: "https://host/api?" has no RawQuery, so
// it passed the "no query" check, and every call went to /api with its path
// in the query string.
func TestAttackBaseURLWithEmptyQuery(t *testing.T) {
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

// TestAttackClientLevelResponseInfo: WithResponseInfo given to NewClient
// made every concurrent call of the client write one struct: a data race
// (and each call's info overwritten by the others).
func TestAttackClientLevelResponseInfo(t *testing.T) {
	var info versori.ResponseInfo
	_, err := versori.NewClient(versori.WithAPIKey("k"), versori.WithResponseInfo(&info))
	require.ErrorIs(t, err, versori.ErrValidation, "WithResponseInfo is for one call; a client-wide one is written by every call at once")
	assert.Contains(t, err.Error(), "call")
}

// TestAttackHeaderValuesTheTransportRefuses: options whose headers net/http
// refuses on every request (a control character, a connection-level header
// HTTP/2 forbids, a token with white space) were accepted; every call then
// failed at the transport, was reported as maybe processed, and was retried.
func TestAttackHeaderValuesTheTransportRefuses(t *testing.T) {
	refused := map[string]versori.Option{
		"WithHeader: a control character":    versori.WithHeader("X-Trace", "a\x01b"),
		"WithHeader: DEL":                    versori.WithHeader("X-Trace", "a\x7f"),
		"WithUserAgent: a control character": versori.WithUserAgent("acme\x1b[31m/1.0"),
		"WithHeader: Connection":             versori.WithHeader("Connection", "upgrade"),
		"WithHeader: Upgrade":                versori.WithHeader("Upgrade", "websocket"),
		"WithHeader: Keep-Alive":             versori.WithHeader("Keep-Alive", "timeout=5"),
		"WithHeader: Proxy-Connection":       versori.WithHeader("Proxy-Connection", "keep-alive"),
		"WithHeader: TE":                     versori.WithHeader("TE", "gzip"),
		"WithHeader: Trailer":                versori.WithHeader("Trailer", "X-A"),
	}
	for name, opt := range refused {
		_, err := versori.NewClient(versori.WithAPIKey("k"), opt)
		assert.ErrorIs(t, err, versori.ErrValidation, name)
	}
	_, err := versori.NewClient(versori.WithAPIKey("k"), versori.WithHeader("X-Trace", "tab\tis fine"))
	assert.NoError(t, err, "a tab is a valid header value")

	for name, tok := range map[string]string{
		"CRLF":        "eyJ.a.b\r\nX-Evil: 1",
		"inner space": "eyJ.a b.c",
		"control":     "eyJ.a\x00.c",
		"DEL":         "eyJ.a\x7f.c",
	} {
		t.Run("token: "+name, func(t *testing.T) {
			srv := startNetHTTP(t, kindH2, healthy)
			c := newHostileClient(t, srv, versori.WithTokenSource(versori.StaticToken(tok)))
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			_, err := c.Hubs.Get(ctx, hostileHubID)
			require.Error(t, err)
			assert.ErrorIs(t, err, versori.ErrNotSent, "a token no request can carry is not sent")
			assert.Zero(t, c.rt.total(), "nor attempted, nor retried")
			assert.NotContains(t, err.Error(), "eyJ", "the error does not show the token")
		})
	}
}

// TestAttackContextAlreadyOver: a call whose context has already ended
// sends nothing, and says so. A GET reported it may have been processed.
func TestAttackContextAlreadyOver(t *testing.T) {
	srv := startNetHTTP(t, kindHTTP1, healthy)
	c := newHostileClient(t, srv)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	past, cancel2 := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel2()
	for name, ctx := range map[string]context.Context{"cancelled": cancelled, "deadline passed": past} {
		for _, m := range hostileMethods {
			err := m.do(ctx, c.Client)
			assert.ErrorIs(t, err, versori.ErrNotSent, "%s %s", name, m.name)
			assert.ErrorIs(t, err, ctx.Err(), "%s %s", name, m.name)
		}
	}
	err := callGetHub.do(context.Background(), c.Client)
	require.NoError(t, err)
	for _, opt := range []versori.Option{versori.WithTimeout(time.Nanosecond), versori.WithTimeout(1)} {
		_, err := c.Hubs.Get(context.Background(), hostileHubID, opt)
		if err != nil {
			assert.ErrorIs(t, err, context.DeadlineExceeded)
		}
	}
	assert.Equal(t, 1, c.rt.total(), "only the healthy call reached the transport")
}

// TestAttackResultOnError: a typed call that fails returned a non-nil
// result next to the error: a zero value, or one decoded half-way from a
// body that failed to decode. A caller that reads the result first acts on
// garbage.
func TestAttackResultOnError(t *testing.T) {
	var status atomic.Int32
	srv := startNetHTTP(t, kindHTTP1, func(w http.ResponseWriter, r *http.Request) {
		switch status.Load() {
		case 404:
			writeAnswer(w, 404, `{"code":"404000","message":"no"}`)
		default: // required properties all there, a date that does not parse
			writeAnswer(w, 200, strings.Replace(hostileEndUserJSON, `"createdAt":"2025-03-14T09:26:53Z","updatedAt":"2025-03-14T09:26:53Z"}`, `"createdAt":"yesterday","updatedAt":"2025-03-14T09:26:53Z"}`, 1))
		}
	})
	c := newHostileClient(t, srv, withNoRetries())
	for _, s := range []int32{404, 200} {
		status.Store(s)
		u, err := c.Users.Get(context.Background(), hostileHubID, versori.ExternalUser(hostileUserID))
		require.Error(t, err, s)
		assert.Nil(t, u, "%d: the result of a failed call is nil, not %+v", s, u)
		h, err := c.Hubs.Get(context.Background(), hostileHubID)
		require.Error(t, err, s)
		assert.Nil(t, h, "%d", s)
	}
}

// TestAttackPaginationFreshCursorsForever: a server that answers every page
// with the same items and a next cursor never seen before (the same cursor
// in another case, with a space, percent-encoded...) is paged forever.
func TestAttackPaginationFreshCursorsForever(t *testing.T) {
	t.Skip("FINDING: pager.All stops on a repeated cursor or an empty page, but a server that returns the same non-empty page " +
		"with an ever-new cursor (\"A\", \"a\", \"A \", \"%41\", ...) is iterated until the context ends, yielding the same items again " +
		"and again. Design decision: a page cap (WithMaxPages), or stopping when a page repeats the previous page's item IDs.")
	var n atomic.Int64
	srv := startNetHTTP(t, kindHTTP1, func(w http.ResponseWriter, r *http.Request) {
		writeAnswer(w, 200, fmt.Sprintf(`{"totalCount":1,"next":"c%s","users":[{"id":"01USR","externalId":"u","displayName":"U","hubId":"01HUB","createdAt":"2025-03-14T09:26:53Z","updatedAt":"2025-03-14T09:26:53Z"}]}`,
			strings.Repeat(" ", int(n.Add(1)))))
	})
	c := newHostileClient(t, srv)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	items := 0
	for _, err := range c.Users.All(ctx, hostileHubID, nil) {
		if err != nil || items > 100 {
			break
		}
		items++
	}
	assert.LessOrEqual(t, items, 2, "the same user was yielded %d times", items)
}

// TestAttackUnknownSchemeTypeDisagreesWithRaw: an UnknownScheme is sent as
// its Raw, but the SDK's checks read its Type: the two may disagree.
func TestAttackUnknownSchemeTypeDisagreesWithRaw(t *testing.T) {
	t.Skip("FINDING (low): UnknownScheme{Type: \"saml\", Raw: {...\"schemeType\":\"basic-auth\"...}} is sent as a basic-auth " +
		"config while SchemeTypeOf/AcceptedCredentials/checkFits see \"saml\" (any credential fits), and the config's ID and " +
		"Description (withID mints one) are dropped for Raw. The raw pass-through of known types is a deliberate escape hatch " +
		"(connections_test.go sends binary credentials through UnknownScheme{Type: \"none\"}), so refusing is a design decision; " +
		"at least Raw's schemeType should equal Type.")
	srv := startNetHTTP(t, kindHTTP1, healthy)
	c := newHostileClient(t, srv)
	p := hostileHubParams()
	p.AuthSchemeConfig = versori.AuthSchemeConfig{Scheme: versori.UnknownScheme{Type: "saml",
		Raw: versori.NewSecretJSON([]byte(`{"id":"01ASC","description":"","schemeType":"basic-auth"}`))}}
	_, err := c.Hubs.Create(context.Background(), p)
	assert.ErrorIs(t, err, versori.ErrValidation, "Raw's schemeType is not Type")
}
