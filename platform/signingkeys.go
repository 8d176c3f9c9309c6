package platform

import (
	"context"
	"iter"
	"net/http"
	"time"

	"github.com/versori-go/versori"
	"github.com/versori-go/versori/internal/pager"
)

// SigningKeysService calls the Organisations API's signing-key operations. A
// signing key is an RSA key pair: Versori keeps the public half, and the
// private half signs the JWTs of the organisation and its end users (see
// versori.SigningKey). The Organisations API is reached at the Platform
// API's host under /api/organisations/v1, so these calls fail with a
// *versori.ValidationError when the client's base URL does not end in
// /api/v2; a call's own versori.WithBaseURL does not apply to them.
type SigningKeysService struct{ c *Client }

// Create makes a new signing key (CreateSigningKey). The result is the only
// place the private key is ever returned: keep it safe (SigningKeySet.SigningKey
// loads it). Should the call fail after reaching the server
// (versori.ErrMaybeProcessed), a key may exist whose private half is lost:
// list the keys and delete it.
func (s *SigningKeysService) Create(ctx context.Context, name string, opts ...versori.Option) (*SigningKeySet, error) {
	if err := required("name", name); err != nil {
		return nil, err
	}
	path, err := s.orgPath("/keys")
	if err != nil {
		return nil, err
	}
	out := new(SigningKeySet)
	return result(out, s.call(ctx, "CreateSigningKey", http.MethodPost, path, createSigningKey{name}, out, opts))
}

// List returns the organisation's signing keys, public halves only
// (ListSigningKeys). The API returns them all at once.
func (s *SigningKeysService) List(ctx context.Context, opts ...versori.Option) (*SigningKeyList, error) {
	path, err := s.orgPath("/keys")
	if err != nil {
		return nil, err
	}
	out := new(SigningKeyList)
	return result(out, s.call(ctx, "ListSigningKeys", http.MethodGet, path, nil, out, opts))
}

// All iterates over the organisation's signing keys. It makes one call, as
// List does: the API does not page them.
func (s *SigningKeysService) All(ctx context.Context, opts ...versori.Option) iter.Seq2[PublicKey, error] {
	return pager.All("ListSigningKeys", "", func(string) ([]PublicKey, string, error) {
		list, err := s.List(ctx, opts...)
		if err != nil {
			return nil, "", err
		}
		return list.Keys, "", nil
	})
}

// Delete deletes a signing key (DeleteSigningKey): every JWT it signed stops
// being accepted.
func (s *SigningKeysService) Delete(ctx context.Context, keyID string, opts ...versori.Option) error {
	id, err := segment("keyID", keyID)
	if err != nil {
		return err
	}
	path, err := s.orgPath("/keys/" + id)
	if err != nil {
		return err
	}
	return s.call(ctx, "DeleteSigningKey", http.MethodDelete, path, nil, nil, opts)
}

// GetPublicKey returns the public half of any organisation's signing key
// (GetPublicKey), with which a JWT it signed can be verified.
func (s *SigningKeysService) GetPublicKey(ctx context.Context, keyID string, opts ...versori.Option) (*PublicKey, error) {
	id, err := segment("keyID", keyID)
	if err != nil {
		return nil, err
	}
	out := new(PublicKey)
	return result(out, s.call(ctx, "GetPublicKey", http.MethodGet, "/keys/"+id, nil, out, opts))
}

// orgPath returns path below the organisation in the Organisations API.
func (s *SigningKeysService) orgPath(path string) (string, error) {
	org, err := segment("organisationID", s.client().OrganisationID())
	if err != nil {
		return "", err
	}
	return "/organisations/" + org + path, nil
}

// call sends one operation to the Organisations API. The spec declares
// CreateSigningKey and ListSigningKeys as 204 with a body (erratum E12); the
// core takes any 2xx and decodes the body it has.
func (s *SigningKeysService) call(ctx context.Context, op, method, path string, body, out any, opts []versori.Option) error {
	c := s.client()
	switch {
	case c.coreClient() == nil:
		return errNotInitialised
	case c.orgsErr != nil:
		return c.orgsErr
	}
	opts = append(opts[:len(opts):len(opts)], c.orgs)
	return c.core.Do(ctx, versori.Request{Operation: op, Method: method, Path: path, Body: body}, out, opts...)
}

// SigningKeySet is a new signing key: the only time its private half is seen.
type SigningKeySet struct {
	ID         string         `json:"id" required:"true"` // the key ID, named in a JWT's issuer
	Name       string         `json:"name" required:"true"`
	PublicKey  string         `json:"publicKey" required:"true"`  // PEM
	PrivateKey versori.Secret `json:"privateKey" required:"true"` // PEM, PKCS #8
	CreatedAt  time.Time      `json:"createdAt" required:"true"`
}

// SigningKey loads the private key, to mint JWTs with.
func (k *SigningKeySet) SigningKey() (*versori.SigningKey, error) {
	return versori.ParseSigningKey(k.ID, []byte(k.PrivateKey.Reveal()))
}

// PublicKey is the public half of a signing key.
type PublicKey struct {
	ID        string    `json:"id" required:"true"`
	Name      string    `json:"name" required:"true"`
	PublicKey string    `json:"publicKey" required:"true"` // PEM
	CreatedAt time.Time `json:"createdAt" required:"true"`
}

// SigningKeyList is the result of SigningKeysService.List.
type SigningKeyList struct {
	Keys []PublicKey `json:"keys" required:"true"`
}

// createSigningKey is the body of CreateSigningKey.
type createSigningKey struct {
	Name string `json:"name"`
}
