package versoritest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/versori-go/versori/versoritest"
)

// Example creates an end user in the seeded hub with plain net/http; in real tests, point
// the SDK at srv.URL with srv.APIKey instead.
func Example() {
	srv := versoritest.NewServer()
	defer srv.Close()

	body, _ := json.Marshal(map[string]any{
		"externalId": "acme-42",
		"primaryConnection": map[string]any{
			"name":      "acme-42 CRM",
			"variables": []any{},
			"credentials": map[string]any{"action": []any{map[string]any{
				"authSchemeConfig": map[string]any{"id": "01J0000000000000000000000A", "description": "", "schemeType": "api-key", "name": "X-API-Key", "in": "header"},
				"credential":       map[string]any{"name": "acme key", "type": "string", "data": map[string]any{"value": "s3cret"}},
			}}},
		},
	})
	req, _ := http.NewRequest("POST", srv.URL+"/hubs/"+srv.Seeded().HubID+"/users", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+srv.APIKey)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer res.Body.Close()
	var user struct {
		ExternalID        string `json:"externalId"`
		PrimaryConnection struct {
			Credentials struct {
				Action []struct {
					Credential struct {
						Data map[string]string `json:"data"`
					} `json:"credential"`
				} `json:"action"`
			} `json:"credentials"`
		} `json:"primaryConnection"`
	}
	_ = json.NewDecoder(res.Body).Decode(&user)
	fmt.Println(res.StatusCode, user.ExternalID)
	fmt.Printf("value on read: %q\n", user.PrimaryConnection.Credentials.Action[0].Credential.Data["value"])
	// Output:
	// 201 acme-42
	// value on read: ""
}

// ExampleFake_FailNext makes the next two GetHub calls answer 503 with Retry-After, as a
// test of a client's retry logic would.
func ExampleFake_FailNext() {
	srv := versoritest.NewServer()
	defer srv.Close()
	srv.FailNext(versoritest.OpGetHub, 2, versoritest.Fault{Status: http.StatusServiceUnavailable, RetryAfter: "1"})

	for range 3 {
		req, _ := http.NewRequest("GET", srv.URL+"/hubs/"+srv.Seeded().HubID, nil)
		req.Header.Set("Authorization", "Bearer "+srv.APIKey)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		res.Body.Close()
		fmt.Printf("%d Retry-After=%q\n", res.StatusCode, res.Header.Get("Retry-After"))
	}
	fmt.Println(len(srv.Requests()), "requests")
	// Output:
	// 503 Retry-After="1"
	// 503 Retry-After="1"
	// 200 Retry-After=""
	// 3 requests
}
