package versori_test

// Memory attacks: what a hostile server can make the SDK allocate before
// it has sent the bytes to fill it.

import (
	"context"
	"errors"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/versori-go/versori"
)

// hugeContentLengths are Content-Lengths a 2xx answer claims and never
// sends: 1 TiB (more than the machine has), 64 TiB, and the largest int64.
var hugeContentLengths = []int64{1 << 40, 1 << 46, math.MaxInt64}

// callWithHugeContentLength makes a GetHub call, with no practical body
// limit, against a server that claims cl bytes, sends two and closes.
func callWithHugeContentLength(t *testing.T, cl int64) error {
	srv := rawHTTP1(t, func(nc net.Conn, _ *http.Request) {
		_, _ = io.WriteString(nc, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "+strconv.FormatInt(cl, 10)+"\r\n\r\n{}")
	})
	c := newHostileClient(t, srv, withNoRetries(), versori.WithMaxResponseBytes(math.MaxInt64))
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	return callGetHub.do(ctx, c.Client)
}

// TestAttackHugeContentLength: with a large WithMaxResponseBytes (MaxInt64
// reads as "no limit"), readBody trusted the Content-Length and made a
// buffer of that size before reading a byte: a 1 TiB claim killed the
// process (fatal "out of memory", which no recover catches), MaxInt64 made
// it panic. Each claim is made in a child process, so a crash fails this
// test rather than the whole run.
func TestAttackHugeContentLength(t *testing.T) {
	if v := os.Getenv("VERSORI_ATTACK_CONTENT_LENGTH"); v != "" {
		cl, err := strconv.ParseInt(v, 10, 64)
		require.NoError(t, err)
		var callErr error
		mustNotPanic(t, func() { callErr = callWithHugeContentLength(t, cl) })
		var de *versori.DecodeError
		require.True(t, errors.As(callErr, &de), "want a *DecodeError (a body cut off), got %v", callErr)
		assert.ErrorIs(t, callErr, io.ErrUnexpectedEOF, "the body ended before its Content-Length")
		return
	}
	for _, cl := range hugeContentLengths {
		t.Run(strconv.FormatInt(cl, 10), func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestAttackHugeContentLength$", "-test.v", "-test.count=1")
			cmd.Env = append(os.Environ(), "VERSORI_ATTACK_CONTENT_LENGTH="+strconv.FormatInt(cl, 10))
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("a Content-Length of %d bytes that never came: %v\n%s", cl, err, tail(out, 1500))
			}
		})
	}
}

// tail returns the last n bytes of b.
func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}
