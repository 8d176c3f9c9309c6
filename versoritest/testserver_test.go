package versoritest_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/versoritest"
)

func TestNewClosesAtCleanup(t *testing.T) {
	t.Parallel()
	var url string
	t.Run("inner", func(t *testing.T) {
		srv := versoritest.New(t)
		url = srv.URL
		res, err := http.Get(url + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	})
	if res, err := http.Get(url + "/healthz"); err == nil {
		res.Body.Close()
		t.Fatalf("server still answering after its test ended: %d", res.StatusCode)
	}
}

func TestClient(t *testing.T) {
	t.Parallel()
	srv := versoritest.New(t, versoritest.WithAPIKey("k-client-test"))
	ctx := context.Background()
	hub, err := srv.Client().Hubs.Get(ctx, srv.Seeded().HubID)
	if err != nil || hub.ID != srv.Seeded().HubID {
		t.Fatalf("Hubs.Get = %+v, %v", hub, err)
	}
	if got := srv.Requests()[0].Header.Get("Authorization"); got != "Bearer [REDACTED]" {
		t.Errorf("Authorization = %q, want the server's API key as Bearer", got)
	}
	// Options given to Client come after its own, so they override them.
	_, err = srv.Client(versori.WithAPIKey("wrong")).Hubs.Get(ctx, srv.Seeded().HubID)
	if !errors.Is(err, versori.ErrUnauthorized) {
		t.Errorf("with WithAPIKey(wrong): err = %v, want ErrUnauthorized", err)
	}
}

func TestClientPanicsWithoutTest(t *testing.T) {
	t.Parallel()
	srv := versoritest.NewServer()
	defer srv.Close()
	defer func() {
		if recover() == nil {
			t.Error("Client with a refused option did not panic")
		}
	}()
	srv.Client(versori.WithAPIKey(""))
}
