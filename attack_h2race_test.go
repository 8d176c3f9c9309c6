package versori_test

import (
	"context"
	"crypto/tls"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
)

// TestH2CancelWhileHeadersBlocked: over HTTP/2, a context that ends while
// the transport's writer is still flushing a request's headers makes
// RoundTrip return at once (net/http waits only for the body's Close, not
// for its writer), and the writer then goes on to Read the body. Telling
// whether the body was read by looking at it after Do failed is then a data
// race with that Read (go test -race).
func TestH2CancelWhileHeadersBlocked(t *testing.T) {
	const padding = 8 << 20
	cert, roots := hostileCertificate()
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"h2"}})
	require.NoError(t, err)
	defer ln.Close()
	gate := make(chan struct{})
	served := make(chan struct{})
	var got atomic.Int64
	go func() {
		defer close(served)
		nc, err := ln.Accept()
		if err != nil {
			return
		}
		defer nc.Close()
		_ = nc.(*tls.Conn).Handshake()
		<-gate // read nothing until the call has failed: the client's writes block
		_ = nc.SetReadDeadline(time.Now().Add(5 * time.Second))
		buf := make([]byte, 64<<10)
		for {
			n, err := nc.Read(buf)
			got.Add(int64(n))
			if err != nil {
				return
			}
		}
	}()
	tr := sdkTransport(&tls.Config{RootCAs: roots})
	defer tr.CloseIdleConnections()
	c, err := versori.NewClient(versori.WithAPIKey(hostileKey), versori.WithBaseURL("https://"+ln.Addr().String()),
		versori.WithHTTPClient(&http.Client{Transport: tr}), withNoRetries())
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 700*time.Millisecond)
	_, err = c.Hubs.Create(ctx, hostileHubParams(), versori.WithHeader("X-Padding", strings.Repeat("a", padding)))
	cancel()
	close(gate)
	require.Error(t, err)
	var te *versori.TransportError
	require.True(t, errors.As(err, &te), "%v", err)
	// Its headers went out: it may not be reported as never sent.
	require.ErrorIs(t, err, versori.ErrMaybeProcessed)
	// Let the writer finish flushing the headers and reach the body.
	for deadline := time.Now().Add(20 * time.Second); got.Load() < padding/2 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
	tr.CloseIdleConnections()
}
