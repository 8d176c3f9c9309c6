//go:build unix

package bench

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"syscall"
	"testing"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/internal/bench/embeddedgen"
	"github.com/versori-go/versori/internal/bench/platformgen"
	"github.com/versori-go/versori/platform"
)

// BenchmarkInMemory makes the get and create rows' calls over a transport
// that answers from memory: no server, no network, no kernel. What is left is
// each side's own work (building the request, encoding, decoding), which on
// loopback is a small part of a call and hidden in its noise. Besides ns/op
// it reports cpu-us/op, the process's CPU time per call, which is steadier
// than wall time on a shared machine. The sides share the transport; raw's
// client is a plain http.Client here, with no timeout, like gen's.
//
//	go test -run '^$' -bench InMemory -count 6 ./internal/bench
func BenchmarkInMemory(b *testing.B) {
	const base = "http://127.0.0.1:1"
	type sides struct {
		name     string
		status   int
		body     []byte
		raw      func(context.Context, rawClient) (any, error)
		gen, sdk func(context.Context, *http.Client) call
	}
	embeddedGen := func(f func(context.Context, *embeddedgen.ClientWithResponses) (any, error)) func(context.Context, *http.Client) call {
		return func(ctx context.Context, hc *http.Client) call {
			c, err := embeddedgen.NewClientWithResponses(base, embeddedgen.WithHTTPClient(hc), embeddedgen.WithRequestEditorFn(genHeaders))
			return calling(ctx, c, err, f)
		}
	}
	platformGen := func(f func(context.Context, *platformgen.ClientWithResponses) (any, error)) func(context.Context, *http.Client) call {
		return func(ctx context.Context, hc *http.Client) call {
			c, err := platformgen.NewClientWithResponses(base, platformgen.WithHTTPClient(hc), platformgen.WithRequestEditorFn(genHeaders))
			return calling(ctx, c, err, f)
		}
	}
	embeddedSDK := func(f func(context.Context, *versori.Client) (any, error)) func(context.Context, *http.Client) call {
		return func(ctx context.Context, hc *http.Client) call {
			c, err := versori.NewClient(versori.WithAPIKey(benchKey), versori.WithBaseURL(base), versori.WithHTTPClient(hc))
			return calling(ctx, c, err, f)
		}
	}
	platformSDK := func(f func(context.Context, *platform.Client) (any, error)) func(context.Context, *http.Client) call {
		return func(ctx context.Context, hc *http.Client) call {
			c, err := platform.NewClient(versori.WithAPIKey(benchKey), versori.WithBaseURL(base), versori.WithOrganisationID(platformOrgID), versori.WithHTTPClient(hc))
			return calling(ctx, c, err, f)
		}
	}
	for _, r := range []sides{
		{"GetEndUser", http.StatusOK, benchUserBody, rawGetEndUser, embeddedGen(genGetEndUser), embeddedSDK(sdkGetEndUser)},
		{"CreateEndUserConnection", http.StatusCreated, benchConnectionBody, rawCreateConnection, embeddedGen(genCreateConnection), embeddedSDK(sdkCreateConnection)},
		{"PlatformGetEndUser", http.StatusOK, platformUserBody, platformRawGetEndUser, platformGen(platformGenGetEndUser), platformSDK(platformSDKGetEndUser)},
		{"PlatformCreateConnection", http.StatusCreated, platformConnectionBody, platformRawCreateConnection, platformGen(platformGenCreateConnection), platformSDK(platformSDKCreateConnection)},
	} {
		hc := &http.Client{Transport: memoryTransport{r.status, r.body}}
		ctx := context.Background()
		b.Run(r.name, func(b *testing.B) {
			runSides(b,
				func(b *testing.B) {
					rc := rawClient{hc, base}
					measureCPU(b, func() (any, error) { return r.raw(ctx, rc) })
				},
				func(b *testing.B) { measureCPU(b, r.gen(ctx, hc)) },
				func(b *testing.B) { measureCPU(b, r.sdk(ctx, hc)) },
				r.name)
		})
	}
}

// calling returns a call of f with client c, or one failing with err.
func calling[C any](ctx context.Context, c C, err error, f func(context.Context, C) (any, error)) call {
	if err != nil {
		return func() (any, error) { return nil, err }
	}
	return func() (any, error) { return f(ctx, c) }
}

// memoryTransport answers every request with status and body, after reading
// the request's body as a server would.
type memoryTransport struct {
	status int
	body   []byte
}

func (m memoryTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		_ = r.Body.Close()
	}
	return &http.Response{
		StatusCode: m.status, Status: strconv.Itoa(m.status), Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:        http.Header{"Content-Type": {"application/json"}, "Content-Length": {strconv.Itoa(len(m.body))}},
		ContentLength: int64(len(m.body)), Body: io.NopCloser(bytes.NewReader(m.body)), Request: r,
	}, nil
}

// measureCPU times c like runSerial and also reports the process's CPU time
// per call (user and system), in µs.
func measureCPU(b *testing.B, c call) {
	if _, err := c(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	start, n := processCPU(), 0
	for b.Loop() {
		n++
		if _, err := c(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(processCPU()-start)/float64(n)/1e3, "cpu-us/op")
}

// processCPU is the CPU time the process has used, in nanoseconds.
func processCPU() int64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Utime.Nano() + ru.Stime.Nano()
}
