package versori_test

// Attacks on secrecy from the wire: a hostile server or proxy echoes what the
// SDK sent (the API key, a JWT, a secret in the body) into every place of
// its answer that the SDK copies into an error, a log record or a
// ResponseInfo. The SDK removes those secrets from the API's own error
// bodies (secrets_test.go); these are the other places.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
)

// echoSecret is the secret a hostile answer echoes.
type echoSecret struct {
	name   string
	secret string
	call   hostileCall
	opts   []versori.Option
}

// bodySecret is the credential secret hostileConnectionCreate sends.
const bodySecret = "s3cret-acme-42"

const attackJWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhY21lIn0.c2lnbmF0dXJlLXBhcnQ"

func echoSecrets() []echoSecret {
	return []echoSecret{
		{"API key", hostileKey, callGetUser, nil},
		{"JWT", attackJWT, callGetUser, []versori.Option{versori.WithTokenSource(versori.StaticToken(attackJWT))}},
		{"secret in the body", bodySecret, callCreateUser, nil},
	}
}

// assertNoSecret checks err's text, and everything logged, for the secret.
func assertNoSecret(t *testing.T, secret string, err error, logged string) {
	t.Helper()
	require.Error(t, err)
	assert.NotContains(t, err.Error(), secret, "the error shows the secret")
	assert.NotContains(t, fmt.Sprintf("%+v", err), secret, "the error shows the secret")
	assert.NotContains(t, logged, secret, "the debug log shows the secret")
}

// debugLog returns a debug logger and what it wrote.
func debugLog() (versori.Option, *bytes.Buffer) {
	var buf bytes.Buffer
	return versori.WithLogger(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))), &buf
}

// TestAttackEchoInTransportError: net/http quotes a malformed status line or
// header line in its error, and the SDK put that error's text in its
// TransportError: a proxy that echoes the key it received there put the key
// in the caller's error and logs.
func TestAttackEchoInTransportError(t *testing.T) {
	answers := map[string]func(secret string) string{
		"status code":    func(s string) string { return "HTTP/1.1 " + s + " OK\r\n\r\n" },
		"status line":    func(s string) string { return s + "\r\n\r\n" },
		"header line":    func(s string) string { return "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n" + s + "\r\n\r\n{}" },
		"content length": func(s string) string { return "HTTP/1.1 200 OK\r\nContent-Length: " + s + "\r\n\r\n{}" },
	}
	for _, es := range echoSecrets() {
		for name, answer := range answers {
			t.Run(es.name+"/"+name, func(t *testing.T) {
				t.Parallel()
				srv := rawHTTP1(t, func(nc net.Conn, r *http.Request) {
					_, _ = io.WriteString(nc, answer(es.secret))
				})
				logOpt, logged := debugLog()
				c := newHostileClient(t, srv, append([]versori.Option{withNoRetries(), logOpt}, es.opts...)...)
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
				defer cancel()
				err := es.call.do(ctx, c.Client)
				t.Log(err)
				var te *versori.TransportError
				require.True(t, errors.As(err, &te), "want a *TransportError, got %v", err)
				assertNoSecret(t, es.secret, err, logged.String())
			})
		}
	}
}

// TestAttackEchoInDecodeError: a 2xx body whose date holds the secret fails
// to decode, and the decoder quotes the value it could not parse.
func TestAttackEchoInDecodeError(t *testing.T) {
	for _, es := range echoSecrets() {
		t.Run(es.name, func(t *testing.T) {
			t.Parallel()
			srv := startNetHTTP(t, kindH2, func(w http.ResponseWriter, r *http.Request) {
				body := strings.Replace(hostileEndUserJSON, `"createdAt":"2025-03-14T09:26:53Z","updatedAt":"2025-03-14T09:26:53Z"}`,
					`"createdAt":"`+es.secret+`","updatedAt":"2025-03-14T09:26:53Z"}`, 1)
				body = strings.Replace(body, `"hubId":"01HUB"`, `"hubId":"01HUB","x":{"`+es.secret+`":[1,{"a":"`+es.secret+`"}]}`, 1)
				writeAnswer(w, es.call.status, body)
			})
			logOpt, logged := debugLog()
			c := newHostileClient(t, srv, append([]versori.Option{withNoRetries(), logOpt}, es.opts...)...)
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			err := es.call.do(ctx, c.Client)
			t.Log(err)
			var de *versori.DecodeError
			require.True(t, errors.As(err, &de), "want a *DecodeError, got %v", err)
			assertNoSecret(t, es.secret, err, logged.String())
			assert.NotContains(t, de.Err.Error(), es.secret, "DecodeError.Err shows the secret")
		})
	}
}

// TestAttackRequestIDEchoesBodySecret: a server ID is reported when it is
// "plain" and does not hold the credential, but a secret from the request
// body is as plain: echoed into X-Request-Id it went into errors, the debug
// log and ResponseInfo.
func TestAttackRequestIDEchoesBodySecret(t *testing.T) {
	for _, status := range []int{201, 400, 503} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			t.Parallel()
			srv := startNetHTTP(t, kindHTTP1, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("X-Request-Id", "req-"+bodySecret)
				body := hostileEndUserJSON
				if status != 201 {
					body = `{"code":"x","message":"no"}`
				}
				writeAnswer(w, status, body)
			})
			logOpt, logged := debugLog()
			var info versori.ResponseInfo
			c := newHostileClient(t, srv, withNoRetries(), logOpt)
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			_, err := c.Users.Create(ctx, hostileHubID, hostileUserParams(), versori.WithResponseInfo(&info))
			if status == 201 {
				require.NoError(t, err)
				assert.NotContains(t, info.RequestID, bodySecret, "ResponseInfo.RequestID shows the secret")
				assert.NotContains(t, logged.String(), bodySecret, "the debug log shows the secret")
				return
			}
			assertNoSecret(t, bodySecret, err, logged.String())
		})
	}
	t.Run("a plain server ID is still reported", func(t *testing.T) {
		srv := startNetHTTP(t, kindHTTP1, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Request-Id", "req-0042")
			writeAnswer(w, 400, `{"code":"x","message":"no"}`)
		})
		c := newHostileClient(t, srv, withNoRetries())
		_, err := c.Users.Create(context.Background(), hostileHubID, hostileUserParams())
		var ae *versori.APIError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, "req-0042", ae.RequestID)
	})
}

// TestAttackPaginationCursorEchoesKey: the loop error quotes the server's
// cursor, uncleaned.
func TestAttackPaginationCursorEchoesKey(t *testing.T) {
	t.Skip("FINDING: pager.All's ErrLoop error quotes the server's cursor (up to 64 bytes) without the cleaning every other " +
		"server string gets: a proxy that answers ListEndUsers with next = the API key it received, twice, puts the key in the " +
		"error. The pager does not know the call's secrets; naming the cursor only by length/hash breaks TestPaginationNeverLoops, " +
		"which requires the cursor's text in the error. Design decision: pass a redactor into pager.All, or stop quoting cursors.")
	srv := startNetHTTP(t, kindHTTP1, func(w http.ResponseWriter, r *http.Request) {
		_, key, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		writeAnswer(w, 200, `{"totalCount":9,"next":"`+key+`","users":[{"id":"01USR","externalId":"u","displayName":"U","hubId":"01HUB","createdAt":"2025-03-14T09:26:53Z","updatedAt":"2025-03-14T09:26:53Z"}]}`)
	})
	c := newHostileClient(t, srv)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var last error
	for _, err := range c.Users.All(ctx, hostileHubID, nil) {
		if err != nil {
			last = err
		}
	}
	require.ErrorIs(t, last, versori.ErrPagination)
	assert.NotContains(t, last.Error(), hostileKey)
}

// TestAttackInvalidSecretJSONShowsNoByte: a SecretJSON that is not JSON is
// refused before sending, and the refusal quoted the secret's first byte
// (and a duplicate member's name).
func TestAttackInvalidSecretJSONShowsNoByte(t *testing.T) {
	srv := startNetHTTP(t, kindHTTP1, healthy)
	c := newHostileClient(t, srv)
	for name, raw := range map[string]string{
		"not JSON":         "Zsecret-value",
		"trailing garbage": `"ok" Zsecret-value`,
		"duplicate names":  `{"Zsecret-value":1,"Zsecret-value":2}`,
		"unterminated":     `"Zsecret-value`,
	} {
		err := c.Do(context.Background(), versori.Request{Method: http.MethodPut, Path: "/x", Body: map[string]any{"v": versori.NewSecretJSON([]byte(raw))}}, nil)
		require.ErrorIs(t, err, versori.ErrNotSent, name)
		assert.NotContains(t, err.Error(), "'Z'", name)
		assert.NotContains(t, err.Error(), "Zsecret", name)
	}
	assert.Empty(t, srv.requests(), "nothing is sent")
}

// TestAttackWithHeaderValueEchoed: a credential given with WithHeader (an
// X-Api-Key for a gateway, a Proxy-Authorization) is not one of the call's
// secrets, so an error body echoing it shows it.
func TestAttackWithHeaderValueEchoed(t *testing.T) {
	t.Skip("FINDING: WithHeader values are sent but never treated as secrets: a gateway credential passed as " +
		"WithHeader(\"X-Api-Key\", k) or WithHeader(\"Proxy-Authorization\", v), echoed by the server in a 4xx body, appears " +
		"verbatim in APIError.Message/Details/Snippet. Design decision: a WithSecretHeader option (value a versori.Secret, " +
		"added to the cleaner), or treat Proxy-Authorization/Cookie/*-Key/*-Token values as secrets.")
	const gateway = "gw-credential-77"
	srv := startNetHTTP(t, kindHTTP1, func(w http.ResponseWriter, r *http.Request) {
		writeAnswer(w, 403, `{"code":"403000","message":"bad key `+r.Header.Get("X-Api-Key")+`"}`)
	})
	c := newHostileClient(t, srv, versori.WithHeader("X-Api-Key", gateway))
	_, err := c.Hubs.Get(context.Background(), hostileHubID)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), gateway)
}
