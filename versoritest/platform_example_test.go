package versoritest_test

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/versori-go/versori/versoritest"
)

// Example_platform walks the embedding flow against the Platform API with plain
// net/http: find an environment, create an end user, connect them to every system the
// environment needs, activate, set a dynamic variable, mint a JWT for the end user, and
// clean up.
func Example_platform() {
	srv := versoritest.NewServer()
	defer srv.Close()
	org := "/o/" + srv.Seeded().OrganisationID
	apiKey := "Bearer " + srv.APIKey

	// Find an environment.
	var projects struct {
		Projects []struct {
			ID           string `json:"id"`
			Environments []struct {
				ID, Name string
			} `json:"environments"`
		} `json:"projects"`
	}
	send(apiKey, "GET", srv.PlatformURL+org+"/projects", nil, &projects)
	project, env := projects.Projects[0].ID, projects.Projects[0].Environments[0]
	fmt.Println("environment:", env.Name)

	// Create an end user.
	fmt.Println("create user:", send(apiKey, "POST", srv.PlatformURL+org+"/users", map[string]any{"externalId": "acme-42", "displayName": "Acme"}, nil))

	// Give them a connection for each dynamic template, with a credential of the kind its
	// auth scheme config needs.
	var templates struct {
		Items []struct {
			ConnectionTemplateID string           `json:"connectionTemplateId"`
			Name                 string           `json:"name"`
			Dynamic              bool             `json:"dynamic"`
			AuthSchemeConfigs    []map[string]any `json:"authSchemeConfigs"`
		} `json:"items"`
	}
	send(apiKey, "GET", srv.PlatformURL+org+"/projects/"+project+"/connection-templates?env_id="+env.ID, nil, &templates)
	for _, tm := range templates.Items {
		if !tm.Dynamic {
			continue
		}
		scheme := tm.AuthSchemeConfigs[0]
		body := map[string]any{
			"connectionTemplateId": tm.ConnectionTemplateID,
			"externalId":           "acme-42",
			"connection": map[string]any{"name": "acme-42 " + tm.Name, "credentials": []any{map[string]any{
				"id": zero, "authSchemeConfig": scheme, "credential": credentialFor(scheme),
			}}},
		}
		fmt.Printf("connect %s: %d\n", tm.Name, send(apiKey, "POST", srv.PlatformURL+org+"/connections", body, nil))
	}

	// Activate, then set a dynamic variable.
	var activation struct{ ID string }
	send(apiKey, "POST", srv.PlatformURL+org+"/activations", map[string]any{"userId": "acme-42", "environmentId": env.ID, "connections": []any{}}, &activation)
	activationPath := srv.PlatformURL + org + "/environments/" + env.ID + "/activations/" + activation.ID
	var vars map[string]any
	send(apiKey, "PUT", activationPath+"/variables/region", map[string]any{"value": "eu"}, &vars)
	fmt.Println("variables:", vars)

	// Mint a JWT for the end user with a new signing key, and act as them.
	var key struct{ ID, PrivateKey string }
	send(apiKey, "POST", srv.OrganisationsURL+"/organisations/"+srv.Seeded().OrganisationID+"/keys", map[string]any{"name": "backend"}, &key)
	block, _ := pem.Decode([]byte(key.PrivateKey))
	priv, _ := x509.ParsePKCS8PrivateKey(block.Bytes)
	token, _ := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{
		"sub": "acme-42", "iss": "https://versori.com/sk/" + key.ID,
		"iat": time.Now().Unix(), "exp": time.Now().Add(time.Hour).Unix(),
	}).SignedString(priv.(*rsa.PrivateKey))
	var activations []any
	send("JWT "+token, "GET", srv.PlatformURL+org+"/environment/"+env.ID+"/users/acme-42/activations", nil, &activations)
	fmt.Println("end user sees activations:", len(activations))
	fmt.Println("end user lists all users:", send("JWT "+token, "GET", srv.PlatformURL+org+"/users", nil, nil))

	// Clean up.
	fmt.Println("deactivate:", send(apiKey, "DELETE", activationPath, nil, nil))
	fmt.Println("delete user:", send(apiKey, "DELETE", srv.PlatformURL+org+"/users/acme-42", nil, nil))
	fmt.Println("delete key:", send(apiKey, "DELETE", srv.OrganisationsURL+"/organisations/"+srv.Seeded().OrganisationID+"/keys/"+key.ID, nil, nil))
	// Output:
	// environment: production
	// create user: 201
	// connect acme: 201
	// connect zendesk: 201
	// connect shopify: 201
	// connect netsuite: 201
	// connect trello: 201
	// variables: map[region:eu]
	// end user sees activations: 1
	// end user lists all users: 403
	// deactivate: 204
	// delete user: 204
	// delete key: 204
}

// zero is the ID clients send where the server assigns one.
const zero = "00000000000000000000000000"

// credentialFor makes a new credential for an auth scheme config: keyed data under the
// credential type's key.
func credentialFor(scheme map[string]any) map[string]any {
	cred := func(typ, key string, data map[string]any) map[string]any {
		return map[string]any{"id": zero, "organisationId": zero, "name": typ, "type": typ, "data": map[string]any{key: data}}
	}
	switch scheme["type"] {
	case "api-key":
		return cred("string", "string", map[string]any{"value": "s3cret"})
	case "basic-auth":
		return cred("basic-auth", "basicAuth", map[string]any{"username": "agent", "password": "s3cret"})
	case "oauth1":
		// After InitialiseOAuth1Connection and the provider's redirect.
		return cred("oauth1", "oauth1", map[string]any{"state": "st", "oauthToken": "tok", "oauthVerifier": "ver"})
	}
	grant := scheme["oauth2"].(map[string]any)["grant"].(map[string]any)
	if grant["type"] == "clientCredentials" {
		return cred("oauth2-client", "oauth2Client", map[string]any{"clientId": "id", "clientSecret": "s3cret", "tokenUrl": "https://netsuite.example/token"})
	}
	// After InitialiseOAuth2Connection and the provider's redirect.
	return cred("oauth2-code", "oauth2Code", map[string]any{"code": "c0de", "state": "st"})
}

// send makes one request, decodes a 2xx body into out, and returns the status.
func send(auth, method, url string, body, out any) int {
	var rd *bytes.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	req, _ := http.NewRequest(method, url, rd)
	req.Header.Set("Authorization", auth)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer res.Body.Close()
	if out != nil && res.StatusCode < 300 {
		_ = json.NewDecoder(res.Body).Decode(out)
	}
	return res.StatusCode
}
